import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { eventually, type Harness, startHarness, waitUntilStored } from '../support/harness';
import { makeJpeg } from '../support/images';
import { uploadLuxury } from '../support/luxury';
import { databaseKinds } from '../support/test-databases';

/**
 * Deleting through the API on real parts: the asset's workflow moves it to the trash, the
 * catalogue and search follow, its share link stops, and restoring brings all of it back. Bulk
 * requests answer per asset. (The purge after the trash period is proven on the time-skipping
 * server: test/workflows/retention.timeskip.test.ts.)
 */
describe.each(databaseKinds)('the trash through the API (%s)', (kind) => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness(kind);
  });
  afterAll(async () => {
    await harness?.close();
  });

  const stored = async (name: string, rgb: [number, number, number]) => {
    const id = await uploadLuxury(harness, await makeJpeg(320, 240, rgb), { name });
    await waitUntilStored(harness, id);
    return id;
  };
  const found = async (q: string) =>
    ((await harness.http.get('/api/search').query({ q }).expect(200)).body.items as { id: string }[]).map(
      (i) => i.id,
    );

  it('a deleted asset leaves search and its link, waits in the trash, and comes back whole when restored', async () => {
    const id = await stored('SS26_store_V1_20261128.jpg', [200, 30, 30]);
    const link = await harness.http
      .post('/api/shares')
      .send({ assetIds: [id], permission: 'download', rendition: 'medium', password: 'a long password' })
      .expect(201);
    const token = (link.body.url as string).split('/s/')[1]!;
    // The rule set wants a password on links: a live link asks for it (401), a dead one is gone (404).
    await request(harness.app).get(`/s/${token}`).expect(401);
    expect(await found('SS26')).toContain(id);

    const view = await harness.http
      .delete(`/api/assets/${id}`)
      .query({ reason: 'duplicate shot' })
      .expect(200);
    expect(view.body).toMatchObject({
      state: 'trashed',
      trashed: { from: 'stored', reason: 'duplicate shot' },
    });
    const purgeAt = view.body.trashed.purgeAt as string;
    // Thirty days by default (trash.keepDays).
    expect(Date.parse(purgeAt) - Date.parse(view.body.trashed.at)).toBe(30 * 24 * 60 * 60 * 1000);

    // The workflow mirrors the change by a local activity, and a workflow task (which carries the
    // update's answer) completes only once its local activities have: what the client reads next
    // shows it. (Not so while ingest still runs ahead of it in the outbox.)
    expect((await harness.http.get(`/api/assets/${id}`).expect(200)).body.state).toBe('trashed');
    expect(await found('SS26')).not.toContain(id);
    await request(harness.app).get(`/s/${token}`).expect(404);
    const trash = await harness.http.get('/api/trash').expect(200);
    expect(trash.body.items.find((a: { id: string }) => a.id === id)).toMatchObject({
      state: 'trashed',
      trashed: { purgeAt, from: 'stored' },
    });
    // Nothing else may happen to it but a restore.
    const refused = await harness.http.post(`/api/assets/${id}/archive`).expect(409);
    expect(refused.body.error.code).toBe('ASSET_TRASHED');
    // A deleted asset neither blocks nor absorbs an upload of its bytes (luxury blocks duplicates).
    const again = await uploadLuxury(harness, await makeJpeg(320, 240, [200, 30, 30]), {
      name: 'SS26_store_V9_20261128.jpg',
    });
    expect(again).not.toBe(id);

    const restored = await harness.http.post(`/api/trash/${id}/restore`).expect(200);
    expect(restored.body.state).toBe('stored');
    const twice = await harness.http.post(`/api/trash/${id}/restore`).expect(409);
    expect(twice.body.error.code).toBe('NOT_IN_TRASH');
    await eventually(async () => ((await found('SS26')).includes(id) ? true : undefined));
    await request(harness.app).get(`/s/${token}`).expect(401);
    expect(
      (await harness.http.get('/api/trash').expect(200)).body.items.map((a: { id: string }) => a.id),
    ).not.toContain(id);
    const timeline = await harness.http.get(`/api/assets/${id}/timeline`).expect(200);
    expect(timeline.body.timeline.map((t: { event?: string }) => t.event).slice(-2)).toEqual([
      'trashed',
      'untrashed',
    ]);
  });

  it('bulk delete reports per asset: legal hold, no access and unknown ids refused, the rest deleted', async () => {
    const free = await stored('SS26_store_V2_20261128.jpg', [30, 200, 30]);
    const held = await stored('SS26_store_V3_20261128.jpg', [30, 30, 200]);
    const legal = await harness.as('trash-legal', 'legal');
    const viewer = await harness.as('trash-viewer');
    await harness.http
      .put('/api/projects/default/grants')
      .send({
        grants: [
          { principal: `user:${await harness.userId('trash-legal')}`, level: 'edit' },
          { principal: `user:${await harness.userId('trash-viewer')}`, level: 'view' },
          { principal: `user:${await harness.userId('admin')}`, level: 'manage' },
        ],
      })
      .expect(200);
    await harness.http
      .post(`/api/assets/${held}/legal-hold`)
      .set(legal)
      .send({ on: true, reason: 'case 2026-17' })
      .expect(200);
    const unknown = randomUUID();

    // Someone who may only view the project: refused per asset, nothing deleted.
    const tried = await harness.http
      .post('/api/trash')
      .set(viewer)
      .send({ assetIds: [free] })
      .expect(200);
    expect(tried.body.results).toEqual([
      { assetId: free, ok: false, error: { code: 'FORBIDDEN', message: expect.any(String) } },
    ]);

    const res = await harness.http
      .post('/api/trash')
      .set(legal)
      .send({ assetIds: [held, free, unknown], reason: 'season over' })
      .expect(200);
    expect(res.body.results).toEqual([
      {
        assetId: held,
        ok: false,
        error: { code: 'ON_LEGAL_HOLD', message: expect.stringContaining('case 2026-17') },
      },
      { assetId: free, ok: true, state: 'trashed' },
      { assetId: unknown, ok: false, error: { code: 'ASSET_NOT_FOUND', message: expect.any(String) } },
    ]);
    expect((await harness.http.delete(`/api/assets/${held}`).expect(409)).body.error.code).toBe(
      'ON_LEGAL_HOLD',
    );

    const twice = await harness.http
      .post('/api/trash/restore')
      .send({ assetIds: [free, held] })
      .expect(200);
    expect(twice.body.results).toEqual([
      { assetId: free, ok: true, state: 'stored' },
      { assetId: held, ok: false, error: { code: 'NOT_IN_TRASH', message: expect.any(String) } },
    ]);
    // Too many, or repeated, ids are a bad request, not a partial answer.
    const many = Array.from({ length: 101 }, () => randomUUID());
    await harness.http.post('/api/trash').send({ assetIds: many }).expect(400);
    await harness.http
      .post('/api/trash')
      .send({ assetIds: [free, free] })
      .expect(400);
  });
});
