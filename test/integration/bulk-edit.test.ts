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
    const res = await harness.http.get(`/api/bulk/${batchId}`);
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
      .post('/api/bulk')
      .send({ assetIds: [...ids, unknown], operations: [{ kind: 'tags', add: ['summer'] }] })
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
    await harness.http.get(`/api/bulk/${batchId}`).set(stranger).expect(404);
    await harness.http
      .put('/api/projects/default/grants')
      .send({ grants: [{ principal: `user:${await harness.userId('admin')}`, level: 'manage' }] })
      .expect(200);
    await harness.http.get(`/api/bulk/${randomUUID()}`).expect(404);
    // Someone with no access to the project: every asset refused at the start, nothing changed.
    const theirs = await harness.http
      .post('/api/bulk')
      .set(stranger)
      .send({ assetIds: ids.slice(0, 2), operations: [{ kind: 'archive' }] })
      .expect(202);
    expect(theirs.body.results.map((r: { error: { code: string } }) => r.error.code)).toEqual([
      'ASSET_NOT_FOUND',
      'ASSET_NOT_FOUND',
    ]);
    await harness.http
      .post('/api/bulk')
      .send({ assetIds: ids, operations: [{ kind: 'rename' }] })
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
      .post('/api/bulk')
      .send({ assetIds: [res.body.id], operations: [{ kind: 'freeze', reason: 'campaign closed' }] })
      .expect(202);
    await eventually(async () => {
      const p = (await harness.http.get(`/api/bulk/${started.body.batchId}`)).body;
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

  it('applies several operations in order to what a search finds; an asset’s first refusal ends its turn', async () => {
    const ids: string[] = [];
    for (const [i, rgb] of [
      [200, 30, 30],
      [30, 200, 30],
      [30, 30, 200],
    ].entries()) {
      const res = await harness.http
        .post('/api/assets')
        .attach('file', await makeJpeg(260 + i, 170, rgb as [number, number, number]), `opsquery-${i}.jpg`)
        .expect(201);
      await waitUntilStored(harness, res.body.id);
      ids.push(res.body.id);
    }
    await harness.http.post(`/api/assets/${ids[0]}/freeze`).send({ reason: 'signed off' }).expect(200);
    await eventually(async () => {
      const found = (await harness.http.get('/api/search').query({ q: 'opsquery' }).expect(200)).body.items;
      return found.length === 3 ? found : undefined;
    });

    const started = await harness.http
      .post('/api/bulk')
      .send({
        query: { q: 'opsquery' },
        operations: [
          { kind: 'tags', add: ['autumn'] },
          { kind: 'freeze', reason: 'autumn campaign' },
        ],
      })
      .expect(202);
    expect(started.body.total).toBe(3);
    const done = await eventually(async () => {
      const p = (await harness.http.get(`/api/bulk/${started.body.batchId}`)).body;
      return p.finished ? p : undefined;
    });
    expect(done).toMatchObject({ succeeded: 2, failed: 1 });
    await recordHistoryIfAsked(
      testTemporalAddress(),
      `bulk-${started.body.batchId}`,
      'bulk-edit-two-operations-first-refusal-ends',
    );
    const refused = done.results.find((r: { assetId: string }) => r.assetId === ids[0]);
    expect(refused.error.code).toBe('ASSET_FROZEN');
    expect(refused.error.message).toMatch(/^Operation 1 \(tags\): /);
    for (const id of ids.slice(1)) {
      const asset = (await harness.http.get(`/api/assets/${id}`).expect(200)).body;
      expect(asset.tags).toContain('autumn');
      expect(asset.frozen).toMatchObject({ reason: 'autumn campaign' });
    }
    // The already frozen one got neither: the freeze after the refused tag was not sent.
    expect((await harness.http.get(`/api/assets/${ids[0]}`).expect(200)).body.tags).not.toContain('autumn');

    const none = await harness.http
      .post('/api/bulk')
      .send({ query: { q: 'nothing-matches-this-word' }, operations: [{ kind: 'archive' }] })
      .expect(400);
    expect(none.body.error.details).toMatchObject({ field: 'query', found: 0 });
    // Both ways of choosing at once, or neither, is not a request the contract takes.
    await harness.http
      .post('/api/bulk')
      .send({ assetIds: ids, query: { q: 'opsquery' }, operations: [{ kind: 'archive' }] })
      .expect(400);
    await harness.http
      .post('/api/bulk')
      .send({ operations: [{ kind: 'archive' }] })
      .expect(400);
  }, 90_000);
});
