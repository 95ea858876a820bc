import type { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { type Harness, startHarness, waitUntilStored } from '../support/harness';
import { makeJpeg } from '../support/images';
import { recordHistoryIfAsked } from '../support/record-history';
import { spawnHarnessWorker, waitForLine } from '../support/spawn-worker';
import { testTemporalAddress } from '../support/test-env';

/**
 * A machine dies mid-ingest: worker A (its own process, sharing PostgreSQL and the blob store with
 * this one, as two machines would) has done the ingest work when it is killed with SIGKILL. Worker
 * B takes over; the workflow finishes and nothing is duplicated. Both processes use the run's
 * embedded PostgreSQL server, as `npm start` and a second worker on one laptop would.
 */
describe('killing the worker mid-ingest (dev server, embedded PostgreSQL)', () => {
  let harness: Harness;
  let workerA: ChildProcess | undefined;
  beforeAll(async () => {
    harness = await startHarness('embedded', { worker: false });
  });
  afterAll(async () => {
    workerA?.kill('SIGKILL');
    await harness?.close();
  });

  it('another worker finishes the workflow with one version, one blob and one of each transition', async () => {
    workerA = spawnHarnessWorker(harness, 'ingestVersion');
    await waitForLine(workerA, 'READY');

    const jpeg = await makeJpeg(800, 600);
    const upload = await harness.http
      .post('/api/assets')
      .attach('file', jpeg, { filename: 'crash.jpg', contentType: 'image/jpeg' })
      .expect(201);
    const id: string = upload.body.id;

    // Worker A has analysed the version and written the result, then dies before reporting it.
    await waitForLine(workerA, 'HELD ingestVersion');
    const analysedByA = await harness.http.get(`/api/assets/${id}`).expect(200);
    expect(analysedByA.body.latestVersion.analysis).toMatchObject({ kind: 'image', width: 800 });
    expect(analysedByA.body.state).toBe('created');
    workerA.kill('SIGKILL');

    await harness.startWorker();
    const stored = await waitUntilStored(harness, id, { timeoutMs: 60_000 });

    expect(await harness.storage.assets.versionNumbers(id)).toEqual([1]);
    expect(stored.latestVersion.version).toBe(1);
    const timeline = await harness.http.get(`/api/assets/${id}/timeline`).expect(200);
    expect(timeline.body.timeline.map((t: { to: string }) => t.to)).toEqual(['created', 'stored']);
    // One blob on disk, the uploaded one; one thumbnail although ingest ran twice; nothing partial.
    const root = harness.config.blobs.dir;
    expect(listFiles(path.join(root, 'hot'))).toEqual([upload.body.latestVersion.sha256]);
    expect(listFiles(path.join(root, 'renditions'))).toEqual([
      expect.stringMatching(/^thumbnail-[0-9a-f]{12}$/),
    ]);
    expect(listFiles(path.join(root, 'tmp'))).toEqual([]);

    // The history shows the ingest ran twice (attempt 2 on worker B), yet its effects are single.
    const connection = await Connection.connect({ address: testTemporalAddress() });
    try {
      const history = await new Client({ connection }).workflow.getHandle(`asset-${id}`).fetchHistory();
      const started = history.events?.filter((e) => e.activityTaskStartedEventAttributes) ?? [];
      expect(started.map((e) => e.activityTaskStartedEventAttributes?.attempt)).toEqual([2]);
      const timedOut = history.events?.filter((e) => e.activityTaskTimedOutEventAttributes) ?? [];
      expect(timedOut).toHaveLength(0);
    } finally {
      await connection.close();
    }
    await recordHistoryIfAsked(
      testTemporalAddress(),
      `asset-${id}`,
      'asset-lifecycle-v6-ingest-retried-after-crash',
    );
  }, 120_000);
});

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name)
    .sort();
}
