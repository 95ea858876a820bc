import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AssetflowError } from '../../domain/errors';
import { resolveTemporalCli, resolveTestServer } from '../../toolchain/temporal-binaries';

/** Real files in temporary directories stand for the places the resolver looks. */
function executable(dir: string, name: string): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  writeFileSync(file, '#!/bin/sh\nexit 0\n');
  chmodSync(file, 0o755);
  return file;
}

describe('Temporal toolchain resolution', () => {
  const log = () => {};
  let scratch: string;
  let env: NodeJS.ProcessEnv;
  beforeEach(() => {
    scratch = mkdtempSync(path.join(os.tmpdir(), 'assetflow-toolchain-'));
    env = { PATH: path.join(scratch, 'empty-path'), ASSETFLOW_CACHE_DIR: path.join(scratch, 'cache') };
  });

  it('prefers an explicit path, and refuses one that does not exist', async () => {
    const cli = executable(path.join(scratch, 'opt'), 'temporal');
    await expect(resolveTemporalCli({ env: { ...env, TEMPORAL_CLI_PATH: cli }, log })).resolves.toEqual({
      type: 'existing-path',
      path: cli,
    });
    await expect(
      resolveTemporalCli({ explicitPath: path.join(scratch, 'missing'), env, log }),
    ).rejects.toThrow('missing or not executable');
  });

  it('then PATH, then the cached go build', async () => {
    const cached = executable(path.join(scratch, 'cache', 'bin'), 'temporal');
    await expect(resolveTemporalCli({ env, log })).resolves.toEqual({ type: 'existing-path', path: cached });
    const onPath = executable(path.join(scratch, 'path-bin'), 'temporal');
    await expect(
      resolveTemporalCli({ env: { ...env, PATH: path.join(scratch, 'path-bin') }, log }),
    ).resolves.toEqual({
      type: 'existing-path',
      path: onPath,
    });
  });

  it('then the SDK download, when it works', async () => {
    const result = await resolveTemporalCli({ env, log, trySdkDownload: async () => true });
    expect(result).toMatchObject({ type: 'cached-download' });
  });

  it('says what it tried when nothing works', async () => {
    const error = await resolveTemporalCli({ env, log, trySdkDownload: async () => false }).catch((e) => e);
    expect(error).toBeInstanceOf(AssetflowError);
    expect(error.code).toBe('TOOLCHAIN_UNAVAILABLE');
    expect(error.message).toContain('go install (no `go` on PATH)');
    const testServerError = await resolveTestServer({ env, log, trySdkDownload: async () => false }).catch(
      (e) => e,
    );
    expect(testServerError.message).toContain('needs mvn and java on PATH');
  });

  it('finds the test-server launcher built from Maven Central in the cache', async () => {
    const launcher = executable(path.join(scratch, 'cache', 'test-server-1.38.0'), 'temporal-test-server');
    await expect(resolveTestServer({ env, log })).resolves.toEqual({ type: 'existing-path', path: launcher });
  });
});
