import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { backfillVisualFeatures } from '../../services/visual-backfill';
import { type Harness, startHarness, waitUntilStored } from '../support/harness';
import { ATTACKS } from '../support/image-attacks';
import { databaseKinds } from '../support/test-databases';

const PHOTOS = path.join(__dirname, '..', 'fixtures', 'photos');
const photo = (name: string) => readFileSync(path.join(PHOTOS, name));

/**
 * Find similar through HTTP on the whole product (real worker, ingest, PostgreSQL): ingest indexes
 * the region hashes, the endpoint ranks edited and cropped copies nearest first, leaves different
 * pictures out and lists only assets the caller may see.
 */
describe('GET /api/assets/{id}/similar', () => {
  let harness: Harness;
  const ids: Record<string, string> = {};
  let viewer: { Authorization: string };

  beforeAll(async () => {
    harness = await startHarness(databaseKinds[0]!);
    viewer = await harness.as('similar-viewer');
    await harness.http
      .post('/api/projects')
      .send({
        id: 'seen',
        name: 'Seen',
        grants: [{ principal: `user:${await harness.userId('similar-viewer')}`, level: 'view' }],
      })
      .expect(201);
    await harness.http.post('/api/projects').send({ id: 'hidden', name: 'Hidden', grants: [] }).expect(201);
    const astronaut = photo('astronaut.jpg');
    const files: [string, Buffer, string][] = [
      ['original', astronaut, 'seen'],
      ['crop10', await ATTACKS['crop 10 % (centred)']!(astronaut), 'seen'],
      ['resized', await ATTACKS['resize 50 %']!(astronaut), 'seen'],
      ['hiddenCrop', await ATTACKS['crop 5 % (centred)']!(astronaut), 'hidden'],
      ['rocket', photo('rocket.jpg'), 'seen'],
    ];
    for (const [key, bytes, project] of files) {
      const res = await harness.http
        .post(`/api/assets?project=${project}`)
        .attach('file', bytes, `${key}.jpg`)
        .expect(201);
      ids[key] = res.body.id;
    }
    for (const id of Object.values(ids))
      await waitUntilStored(harness, id, { version: 1, timeoutMs: 60_000 });
  }, 120_000);
  afterAll(() => harness?.close());

  const similarTo = (key: string, query = '', headers: Record<string, string> = {}) =>
    harness.http.get(`/api/assets/${ids[key]}/similar${query}`).set(headers);

  it('ranks the edited and cropped copies, nearest first, and leaves other pictures out', async () => {
    const res = await similarTo('original').expect(200);
    const found = res.body.similar.map((s: { assetId: string }) => s.assetId);
    expect(found).toEqual(expect.arrayContaining([ids.crop10, ids.resized, ids.hiddenCrop]));
    expect(found).not.toContain(ids.rocket);
    expect(found).not.toContain(ids.original);
    const distances = res.body.similar.map((s: { distance: number }) => s.distance);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    expect(res.body.similar.find((s: { assetId: string }) => s.assetId === ids.crop10)).toMatchObject({
      displayName: 'crop10.jpg',
      version: 1,
    });
    // The other way round: the crop finds its original.
    const back = await similarTo('crop10').expect(200);
    expect(back.body.similar.map((s: { assetId: string }) => s.assetId)).toContain(ids.original);
  });

  it('lists only assets the caller may see', async () => {
    const res = await similarTo('original', '', viewer).expect(200);
    const found = res.body.similar.map((s: { assetId: string }) => s.assetId);
    expect(found).toEqual(expect.arrayContaining([ids.crop10, ids.resized]));
    expect(found).not.toContain(ids.hiddenCrop);
    await similarTo('hiddenCrop', '', viewer).expect(404);
  });

  it('honours the limit and refuses one out of range with a 400', async () => {
    const one = await similarTo('original', '?limit=1').expect(200);
    expect(one.body.similar).toHaveLength(1);
    for (const bad of ['0', '51', 'many']) {
      const res = await similarTo('original', `?limit=${bad}`).expect(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('computes the features of a version indexed before they existed on its first lookup', async () => {
    const db = harness.storage.database.db;
    await sql`DELETE FROM visual_features WHERE asset_id = ${ids.original}`.execute(db);
    const res = await similarTo('original').expect(200);
    expect(res.body.similar.map((s: { assetId: string }) => s.assetId)).toContain(ids.crop10);
    const { rows } = await sql<{ n: string }>`
      SELECT count(*) AS n FROM visual_features WHERE asset_id = ${ids.original}`.execute(db);
    expect(Number(rows[0]!.n)).toBe(4);
  });

  it('finds versions indexed before the region hashes existed once `duplicates backfill` has run', async () => {
    const db = harness.storage.database.db;
    await sql`DELETE FROM visual_features WHERE asset_id = ${ids.crop10}`.execute(db);
    const found = async () =>
      (await similarTo('original').expect(200)).body.similar.map((s: { assetId: string }) => s.assetId);
    expect(await found()).not.toContain(ids.crop10);
    const deps = {
      ...harness.storage,
      maxImagePixels: harness.config.limits.maxImagePixels,
    };
    expect(await backfillVisualFeatures(deps)).toEqual({ indexed: 1, skipped: 0 });
    expect(await found()).toContain(ids.crop10);
    expect(await backfillVisualFeatures(deps)).toEqual({ indexed: 0, skipped: 0 });
  });

  it('answers 404 for an unknown asset', async () => {
    await harness.http.get('/api/assets/7d1f2f0e-0000-4000-8000-000000000000/similar').expect(404);
  });
});
