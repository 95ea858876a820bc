import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { eventually, type Harness, startHarness, waitUntilStored } from '../support/harness';
import { makeJpeg } from '../support/images';
import { recordHistoryIfAsked } from '../support/record-history';
import { spawnHarnessWorker, waitForLine } from '../support/spawn-worker';
import { testTemporalAddress } from '../support/test-env';

/**
 * A bulk edit is a durable batch: each asset's workflow decides its own change, refusals are
 * reported per asset, and a worker killed mid-batch (after it changed assets but before it
 * reported them) is replaced without any asset being changed twice.
 */
describe('bulk edit as a durable batch (dev server, embedded PostgreSQL)', () => {
  let harness: Harness;
  let workerA: ChildProcess | undefined;
  beforeAll(async () => {
    harness = await startHarness('embedded', { worker: false });
  });
  afterAll(async () => {
    workerA?.kill('SIGKILL');
    await harness?.close();
  });

  /** The batch's progress; undefined while no worker can answer (the query is the batch's own). */
  const progressOf = async (batchId: string) => {
    const res = await harness.http.get(`/api/batches/${batchId}`);
    if (res.status === 503) return undefined;
    expect(res.status).toBe(200);
    return res.body;
  };

  it('adds a tag to every asset it may, reports the rest, and survives its worker being killed', async () => {
    workerA = spawnHarnessWorker(harness, 'applyBulkChange');
    await waitForLine(workerA, 'READY');
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await harness.http
        .post('/api/assets')
        .attach('file', await makeJpeg(200 + i, 150, [30 * i, 100, 200]), `bulk-${i}.jpg`)
        .expect(201);
      ids.push(res.body.id);
    }
    for (const id of ids) await waitUntilStored(harness, id, { timeoutMs: 60_000 });
    const frozen = ids[2]!;
    await harness.http.post(`/api/assets/${frozen}/freeze`).send({ reason: 'signed off' }).expect(200);
    const unknown = randomUUID();
    const stranger = await harness.as('bulk-stranger');

    const started = await harness.http
      .post('/api/batches')
      .send({ assetIds: [...ids, unknown], change: { kind: 'tags', add: ['summer'] } })
      .expect(202);
    const batchId = started.body.batchId as string;
    expect(started.body).toMatchObject({ total: 7, done: 1, finished: false });
    expect(started.body.results).toEqual([
      { assetId: unknown, ok: false, error: { code: 'ASSET_NOT_FOUND', message: expect.any(String) } },
    ]);

    // Worker A changes assets, then dies before telling Temporal; worker B takes the batch over.
    await waitForLine(workerA, 'HELD applyBulkChange');
    workerA.kill('SIGKILL');
    await harness.startWorker();
    const finished = await eventually(async () => {
      const p = await progressOf(batchId);
      return p?.finished ? p : undefined;
    }, 90_000);
    expect(finished).toMatchObject({ total: 7, done: 7, succeeded: 5, failed: 2 });
    const byAsset = new Map(finished.results.map((r: { assetId: string }) => [r.assetId, r]));
    expect(byAsset.get(frozen)).toMatchObject({ ok: false, error: { code: 'ASSET_FROZEN' } });
    for (const id of ids.filter((id) => id !== frozen)) {
      expect(byAsset.get(id)).toEqual({ assetId: id, ok: true, state: 'stored' });
      const asset = (await harness.http.get(`/api/assets/${id}`).expect(200)).body;
      expect(asset.tags).toContain('summer');
      // Changed once, though worker A's attempt was never reported and worker B sent it again.
      const timeline = (await harness.http.get(`/api/assets/${id}/timeline`).expect(200)).body.timeline;
      expect(timeline.filter((t: { event?: string }) => t.event === 'tags-changed')).toHaveLength(1);
    }

    await recordHistoryIfAsked(
      testTemporalAddress(),
      `bulk-${batchId}`,
      'bulk-edit-resumed-after-worker-crash',
    );

    // A batch is its starter's. (The default project is everyone's: make it the administrator's.)
    await harness.http.get(`/api/batches/${batchId}`).set(stranger).expect(404);
    await harness.http
      .put('/api/projects/default/grants')
      .send({ grants: [{ principal: `user:${await harness.userId('admin')}`, level: 'manage' }] })
      .expect(200);
    await harness.http.get(`/api/batches/${randomUUID()}`).expect(404);
    // Someone with no access to the project: every asset refused at the start, nothing changed.
    const theirs = await harness.http
      .post('/api/batches')
      .set(stranger)
      .send({ assetIds: ids.slice(0, 2), change: { kind: 'archive' } })
      .expect(202);
    expect(theirs.body.results.map((r: { error: { code: string } }) => r.error.code)).toEqual([
      'ASSET_NOT_FOUND',
      'ASSET_NOT_FOUND',
    ]);
    await harness.http
      .post('/api/batches')
      .send({ assetIds: ids, change: { kind: 'rename' } })
      .expect(400);
  }, 240_000);
});

describe('bulk freeze tells collaborators as a single freeze does (embedded)', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness('embedded');
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('the uploader hears once that a batch froze their asset', async () => {
    const uma = await harness.as('bulk-uma', 'editor');
    const res = await harness.http
      .post('/api/assets')
      .set(uma)
      .attach('file', await makeJpeg(240, 160, [10, 200, 90]), 'uma.jpg')
      .expect(201);
    await waitUntilStored(harness, res.body.id);
    const started = await harness.http
      .post('/api/batches')
      .send({ assetIds: [res.body.id], change: { kind: 'freeze', reason: 'campaign closed' } })
      .expect(202);
    await eventually(async () => {
      const p = (await harness.http.get(`/api/batches/${started.body.batchId}`)).body;
      return p.finished ? p : undefined;
    });
    const frozenNotices = await eventually(async () => {
      const list = (await harness.http.get('/api/notifications').set(uma).expect(200)).body.notifications as {
        kind: string;
        message: string;
      }[];
      const found = list.filter((n) => n.kind === 'asset.frozen');
      return found.length > 0 ? found : undefined;
    });
    expect(frozenNotices).toHaveLength(1);
    expect(frozenNotices[0]!.message).toContain('campaign closed');
  }, 60_000);
});
