import { eventually, type Harness, startHarness, waitUntilStored } from '../support/harness';
import { makeJpeg } from '../support/images';
import { LUXURY_METADATA, LUXURY_NAME } from '../support/luxury';
import { recordHistoryIfAsked } from '../support/record-history';
import { databaseKinds } from '../support/test-databases';
import { testTemporalAddress } from '../support/test-env';

/**
 * Correcting what ingest got wrong, through the API on real parts: tags (a removed one does not
 * come back with the next version's ingest), the classification (search follows) and the project
 * (access follows), each in the asset's timeline with who and before → after.
 */
describe.each(databaseKinds)('corrections (%s)', (kind) => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness(kind);
  });
  afterAll(async () => {
    await harness?.close();
  });

  const upload = async (rgb: [number, number, number]) => {
    const res = await harness.http
      .post('/api/assets')
      .field('ruleSet', 'luxury')
      .field('metadata', LUXURY_METADATA)
      .field('dimensions', JSON.stringify({ region: 'APAC', scenario: 'store' }))
      .attach('file', await makeJpeg(640, 480, rgb), LUXURY_NAME)
      .expect(201);
    await waitUntilStored(harness, res.body.id);
    // The state is mirrored first, the status (tags) by the next local activity.
    return (await eventually(async () => {
      const body = (await harness.http.get(`/api/assets/${res.body.id}`).expect(200)).body;
      return body.tags.length > 0 ? body : undefined;
    })) as { id: string; tags: string[] };
  };
  const record = (id: string, name: string) =>
    kind === 'embedded' ? recordHistoryIfAsked(testTemporalAddress(), `asset-${id}`, name) : undefined;
  const events = async (id: string) =>
    (await harness.http.get(`/api/assets/${id}/timeline`).expect(200)).body.timeline as {
      event?: string;
      by?: string;
      reason: string;
    }[];

  it('tags: add, remove and confirm; a removed tag stays removed through the next version', async () => {
    const { id, tags } = await upload([210, 40, 40]);
    // Ingest's rule taggers read a 640×480 picture as landscape.
    expect(tags).toEqual(expect.arrayContaining(['landscape', 'image']));
    const view = await harness.http
      .patch(`/api/assets/${id}/tags`)
      .send({ add: ['hero shot'], remove: ['landscape', '横版'], confirm: ['image'] })
      .expect(200);
    expect(view.body.asset.tags).toEqual(expect.arrayContaining(['hero shot', 'image']));
    expect(view.body.asset.tags).not.toContain('landscape');
    const asset = (await harness.http.get(`/api/assets/${id}`).expect(200)).body;
    expect(asset.tagSources).toEqual({
      'hero shot': { source: 'user', by: 'admin@example.test', at: expect.any(String) },
      image: { source: 'user', by: 'admin@example.test', at: expect.any(String) },
    });
    expect((await events(id)).at(-1)).toMatchObject({
      event: 'tags-changed',
      by: 'admin@example.test',
      reason: 'added hero shot; removed landscape, 横版; confirmed image',
    });

    await harness.http
      .post(`/api/assets/${id}/versions`)
      .attach('file', await makeJpeg(640, 480, [200, 50, 50]), 'v2.jpg')
      .expect(201);
    const after = await waitUntilStored(harness, id, { version: 2 });
    expect(after.latestVersion.analysis.tags.map((t: { name: string }) => t.name)).toContain('landscape');
    expect(after.tags).not.toContain('landscape');
    expect(after.tags).toEqual(expect.arrayContaining(['hero shot', 'image']));

    const compliance = await harness.http
      .patch(`/api/assets/${id}/tags`)
      .send({ remove: ['CN-mainland-only'] })
      .expect(409);
    expect(compliance.body.error.code).toBe('TAG_FROM_RULE');
    await harness.http
      .patch(`/api/assets/${id}/tags`)
      .send({ add: [''] })
      .expect(400);
    await record(id, 'asset-lifecycle-v8-tags-corrected');
  });

  it('classification: dimensions replaced and checked, search and the timeline follow', async () => {
    const { id } = await upload([40, 210, 40]);
    expect((await harness.http.get(`/api/assets/${id}`).expect(200)).body.dimensions).toEqual({
      region: ['APAC'],
      scenario: ['store'],
    });
    await harness.http
      .patch(`/api/assets/${id}/dimensions`)
      .send({ set: { region: ['EMEA'], scenario: ['store', 'social'] } })
      .expect(200);
    expect((await harness.http.get(`/api/assets/${id}`).expect(200)).body.dimensions).toEqual({
      region: ['EMEA'],
      scenario: ['store', 'social'],
    });
    expect((await events(id)).at(-1)).toMatchObject({
      event: 'dimensions-changed',
      reason: 'region: APAC → EMEA; scenario: store → store, social',
    });
    const found = await harness.http.get('/api/search').query({ 'dim.region': 'EMEA' }).expect(200);
    expect(found.body.items.map((i: { id: string }) => i.id)).toContain(id);
    const bad = await harness.http
      .patch(`/api/assets/${id}/dimensions`)
      .send({ set: { region: ['Mars'] } })
      .expect(400);
    expect(bad.body.error).toMatchObject({
      code: 'METADATA_INVALID',
      message: expect.stringContaining('Mars'),
    });
    await record(id, 'asset-lifecycle-v8-reclassified');
  });

  it('project: moving needs edit on the target; access follows the asset', async () => {
    const { id } = await upload([40, 40, 210]);
    const pat = await harness.as('move-pat');
    const patId = await harness.userId('move-pat');
    await harness.http
      .post('/api/projects')
      .send({ id: 'move-target', name: 'Target', grants: [{ principal: `user:${patId}`, level: 'view' }] })
      .expect(201);
    await harness.http
      .post('/api/projects')
      .send({ id: 'move-other', name: 'Other', grants: [] })
      .expect(201);
    // Pat may view the target but not add to it.
    await harness.http
      .put('/api/projects/default/grants')
      .send({
        grants: [
          { principal: `user:${await harness.userId('admin')}`, level: 'manage' },
          { principal: `user:${patId}`, level: 'edit' },
        ],
      })
      .expect(200);
    const refused = await harness.http
      .post(`/api/assets/${id}/move`)
      .set(pat)
      .send({ project: 'move-target' })
      .expect(403);
    expect(refused.body.error.code).toBe('FORBIDDEN');

    await harness.http.post(`/api/assets/${id}/move`).send({ project: 'move-other' }).expect(200);
    expect((await harness.http.get(`/api/assets/${id}`).expect(200)).body.project).toBe('move-other');
    // Pat could see it in the default project; in one that grants them nothing, it is gone.
    await harness.http.get(`/api/assets/${id}`).set(pat).expect(404);
    expect((await events(id)).at(-1)).toMatchObject({
      event: 'moved',
      reason: 'project default → move-other',
    });
    // A project that does not exist is refused before the workflow hears of it, administrators included.
    const nowhere = await harness.http
      .post(`/api/assets/${id}/move`)
      .send({ project: 'no-such-project' })
      .expect(404);
    expect(nowhere.body.error.code).toBe('PROJECT_NOT_FOUND');
    const again = await harness.http
      .post(`/api/assets/${id}/move`)
      .send({ project: 'move-other' })
      .expect(409);
    expect(again.body.error.code).toBe('ALREADY_IN_PROJECT');
    await record(id, 'asset-lifecycle-v8-moved');
  });

  it('metadata over the size limits is refused at the edge, alone or in a batch; a batch change over 8 KiB too', async () => {
    const { id } = await upload([120, 120, 40]);
    const huge = { campaign: 'x'.repeat(5000) };
    const alone = await harness.http.patch(`/api/assets/${id}/metadata`).send({ set: huge }).expect(400);
    expect(alone.body.error).toMatchObject({
      code: 'METADATA_INVALID',
      details: { fields: { campaign: expect.any(String) } },
    });
    const batch = await harness.http
      .post('/api/bulk')
      .send({ assetIds: [id], operations: [{ kind: 'metadata', set: huge }] })
      .expect(400);
    expect(batch.body.error.code).toBe('METADATA_INVALID');
    // Within the per-field limits, but too large to copy into a thousand steps of a batch's history.
    const wide = Object.fromEntries(Array.from({ length: 3 }, (_, i) => [`f${i}`, 'y'.repeat(4000)]));
    const tooWide = await harness.http
      .post('/api/bulk')
      .send({ assetIds: [id], operations: [{ kind: 'metadata', set: wide }] })
      .expect(400);
    expect(tooWide.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { max: 8192 } });
  });
});
