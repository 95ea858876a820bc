import { createHash } from 'node:crypto';
import { type Harness, startHarness, waitUntilStored } from '../support/harness';
import { makeJpeg, makePng } from '../support/images';
import { recordHistoryIfAsked } from '../support/record-history';
import { databaseKinds } from '../support/test-databases';
import { testTemporalAddress } from '../support/test-env';

/**
 * The vertical slice on real parts: an upload over HTTP lands in the blob store and the catalogue,
 * starts the asset's workflow on the Temporal dev server, whose activity reads the image with sharp
 * and moves the asset to `stored`.
 */
describe.each(databaseKinds)('upload → workflow → stored (%s)', (kind) => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness(kind);
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('stores an image, starts asset-<id> and reaches state stored with sharp metadata', async () => {
    const jpeg = await makeJpeg(640, 480);
    const name = 'MuseDAM_春季新品_主图_V3_20250308.jpg';
    const res = await harness.http
      .post('/api/assets')
      .field('metadata', JSON.stringify({ brand: 'MuseDAM', line: '春季新品' }))
      .attach('file', jpeg, { filename: name, contentType: 'image/jpeg' })
      .expect(201);

    expect(res.body.workflowId).toBe(`asset-${res.body.id}`);
    expect(res.body.name).toBe(name);
    expect(res.body.metadata).toEqual({ brand: 'MuseDAM', line: '春季新品' });
    expect(res.body.latestVersion.sha256).toBe(createHash('sha256').update(jpeg).digest('hex'));
    expect(res.body.latestVersion.sizeBytes).toBe(jpeg.length);

    const stored = await waitUntilStored(harness, res.body.id);
    expect(stored.kind).toBe('image');
    expect(stored.latestVersion.analysis).toMatchObject({
      kind: 'image',
      format: 'jpeg',
      width: 640,
      height: 480,
      channels: 3,
    });

    // The bytes on disk are the bytes sent, under their hash.
    const sha = res.body.latestVersion.sha256;
    expect(await harness.storage.blobs.exists(sha)).toBe(true);

    const timeline = await harness.http.get(`/api/assets/${res.body.id}/timeline`).expect(200);
    expect(timeline.body.timeline.map((t: { to: string }) => t.to)).toEqual(['created', 'stored']);
    // The workflow's own view (a query) agrees with the catalogue's mirror.
    const fromWorkflow = await harness.workflows.timeline(res.body.id);
    expect(fromWorkflow.timeline).toEqual(timeline.body.timeline);
    if (kind === 'embedded')
      await recordHistoryIfAsked(
        testTemporalAddress(),
        res.body.workflowId,
        'asset-lifecycle-v6-stored-image',
      );
  });

  it('accepts a batch of files in one request, each its own asset and workflow', async () => {
    const res = await harness.http
      .post('/api/assets')
      .attach('file', await makeJpeg(320, 200), 'a.jpg')
      .attach('file', await makePng(100, 50), 'b.png')
      .expect(201);
    expect(res.body.assets).toHaveLength(2);
    const [a, b] = res.body.assets;
    expect(a.id).not.toBe(b.id);
    expect((await waitUntilStored(harness, b.id)).latestVersion.analysis).toMatchObject({
      format: 'png',
      width: 100,
      height: 50,
      hasAlpha: true,
    });
    await waitUntilStored(harness, a.id);
  });

  it('stores a non-image as a generic asset without image metadata', async () => {
    const res = await harness.http
      .post('/api/assets')
      .attach('file', Buffer.from('%PDF-not-really\nplain text'), {
        filename: 'payload.bin',
        contentType: 'image/jpeg',
      })
      .expect(201);
    const stored = await waitUntilStored(harness, res.body.id);
    expect(stored.kind).toBe('generic');
    expect(stored.latestVersion.analysis.kind).toBe('generic');
    expect(stored.latestVersion.analysis.width).toBeUndefined();
    if (kind === 'embedded')
      await recordHistoryIfAsked(
        testTemporalAddress(),
        res.body.workflowId,
        'asset-lifecycle-v6-stored-generic',
      );
  });

  it('keeps one blob for identical bytes uploaded twice', async () => {
    const jpeg = await makeJpeg(64, 64, [1, 2, 3]);
    const first = await harness.http.post('/api/assets').attach('file', jpeg, 'one.jpg').expect(201);
    const second = await harness.http.post('/api/assets').attach('file', jpeg, 'two.jpg').expect(201);
    expect(first.body.id).not.toBe(second.body.id);
    expect(first.body.latestVersion.sha256).toBe(second.body.latestVersion.sha256);
    const rows = await harness.storage.database.db
      .selectFrom('blobs')
      .selectAll()
      .where('sha256', '=', first.body.latestVersion.sha256)
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('an upload retried with its Idempotency-Key answers the asset the first made, never a second', async () => {
    const jpeg = await makeJpeg(320, 200, [12, 34, 56]);
    const send = (key: string, bytes = jpeg, who?: Record<string, string>) => {
      let req = harness.http.post('/api/assets').set('Idempotency-Key', key);
      if (who) req = req.set(who);
      return req.attach('file', bytes, 'retried.jpg');
    };
    const first = await send('import-42').expect(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const again = await send('import-42').expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    // The same key for other bytes is refused, naming the asset it made.
    const other = await send('import-42', await makeJpeg(320, 200, [56, 34, 12])).expect(409);
    expect(other.body.error).toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
      details: { assetId: first.body.id },
    });
    // Keys are each person's own: someone else's same key is their own upload.
    const eve = await harness.as('idem-eve', 'editor');
    const theirs = await send('import-42', jpeg, eve).expect(201);
    expect(theirs.body.id).not.toBe(first.body.id);
    // Two at once with a fresh key: one asset, whatever each answer says.
    const both = await Promise.all([
      send('import-43', await makeJpeg(321, 200)),
      send('import-43', await makeJpeg(321, 200)),
    ]);
    const made = new Set(both.filter((r) => r.status === 201).map((r) => r.body.id));
    expect(made.size).toBe(1);
    for (const r of both) expect([201, 409]).toContain(r.status);
    // One key, one file: a batch with a key is refused before anything is kept.
    const batch = await harness.http
      .post('/api/assets')
      .set('Idempotency-Key', 'import-44')
      .attach('file', jpeg, 'a.jpg')
      .attach('file', jpeg, 'b.jpg')
      .expect(400);
    expect(batch.body.error.code).toBe('VALIDATION_FAILED');
    const named = await harness.storage.database.db
      .selectFrom('assets')
      .select('id')
      .where('display_name', '=', 'retried.jpg')
      .execute();
    expect(named).toHaveLength(3); // the first, eve's, and one of the pair
  });

  it('a retried upload that the rule set links as a new version adds that version once', async () => {
    const jpeg = await makeJpeg(330, 220, [90, 30, 150]);
    const send = (key?: string) => {
      let req = harness.http.post('/api/assets');
      if (key) req = req.set('Idempotency-Key', key);
      return req
        .field('ruleSet', 'ecommerce')
        .field(
          'metadata',
          JSON.stringify({ sku: 'EL-424242', brand: 'Voltio', purpose: 'main', category: 'home' }),
        )
        .attach('file', jpeg, 'Voltio_EL-424242_main_V1_20260401.jpg')
        .expect(201);
    };
    const first = await send();
    // E-commerce links the same bytes to the asset holding them, as a new version.
    const linked = await send('relink-1');
    expect([linked.body.id, linked.body.linkedAsVersion]).toEqual([first.body.id, 2]);
    const retried = await send('relink-1');
    expect([retried.body.id, retried.body.linkedAsVersion]).toEqual([first.body.id, 2]);
    const versions = (await harness.http.get(`/api/assets/${first.body.id}/versions`).expect(200)).body
      .versions;
    expect(versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
  });
});
