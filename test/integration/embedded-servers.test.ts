import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openEmbeddedPostgres } from '../../runtime/embedded-postgres';
import { isRunning, refOf, writeJsonFile } from '../../runtime/processes';

/**
 * Where the kernel cannot stop a child with its parent (no setpriv), a server outlives a killed
 * owner. The owner file names both; the next start stops the orphan (here a stand-in process
 * recorded as the server) and starts its own, never two on one data directory.
 */
describe('an orphaned embedded server is stopped at the next start', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'assetflow-orphan-'));
  chmodSync(root, 0o755);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('stops the server a dead owner left, then starts and owns a new one', async () => {
    const dataDir = path.join(root, 'postgres');
    mkdirSync(dataDir, { recursive: true });
    const orphan = spawn('sleep', ['600'], { detached: true, stdio: 'ignore' });
    const orphanRef = refOf(orphan.pid!);
    // An owner that is certainly gone: a process that has exited.
    const gone = spawn('true');
    await new Promise((resolve) => gone.on('exit', resolve));
    writeJsonFile(path.join(dataDir, 'owner.json'), {
      owner: { pid: gone.pid, startedAt: 1 },
      kind: 'service',
      server: orphanRef,
      port: 1,
    });
    const said: string[] = [];
    const postgres = await openEmbeddedPostgres({ dataDir, use: 'command', log: (m) => said.push(m) });
    try {
      expect(isRunning(orphanRef)).toBe(false);
      expect(said.join('\n')).toContain(`Stopping an embedded PostgreSQL (pid ${orphan.pid})`);
      expect(postgres.owned).toBe(true);
    } finally {
      await postgres.stop(0);
    }
  });
});
