import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { type Harness, startHarness } from '../support/harness';
import { addIndexedAsset } from '../support/indexed-asset';
import { databaseKinds } from '../support/test-databases';

/**
 * Collections (lightboxes) through HTTP on a real catalogue: order kept and changed, sharing with a
 * team (members change items, only the owner renames or deletes), each reader seeing only what
 * they may see, items nobody listed kept, the trash hiding an item until it is restored, limits.
 */
describe.each(databaseKinds)('collections (%s)', (kind) => {
  let harness: Harness;
  const ids: Record<string, string> = {};
  let owner: { Authorization: string };
  let member: { Authorization: string };
  let stranger: { Authorization: string };

  const addAsset = async (key: string, project = 'default') => {
    const id = randomUUID();
    await addIndexedAsset(harness.storage, {
      id,
      name: `${key}.jpg`,
      capturedAt: '2026-05-01',
      colour: 'red',
      tags: [],
      dimensions: {},
      project,
    });
    ids[key] = id;
  };
  const names = (body: { items: { name: string }[] }) => body.items.map((i) => i.name);

  beforeAll(async () => {
    harness = await startHarness(kind);
    await harness.storage.access.createProject({
      id: 'open',
      name: 'Open',
      createdBy: 'tests',
      grants: [
        { principal: 'team:studio', level: 'view' },
        { principal: 'team:outside', level: 'view' },
      ],
    });
    await harness.storage.access.createProject({
      id: 'secret',
      name: 'Secret',
      createdBy: 'tests',
      grants: [{ principal: `user:${await harness.userId('coll-owner')}`, level: 'view' }],
    });
    for (const key of ['a', 'b', 'c', 'd']) await addAsset(key, 'open');
    await addAsset('hidden', 'secret');
    owner = await harness.as('coll-owner', 'team:studio');
    member = await harness.as('coll-member', 'team:studio');
    stranger = await harness.as('coll-stranger', 'team:outside');
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('keeps the order given, and one PUT adds, removes and reorders', async () => {
    const made = await harness.http
      .post('/api/collections')
      .set(owner)
      .send({ name: '  Spring picks ', assetIds: [ids.c, ids.a] })
      .expect(201);
    expect(made.body).toMatchObject({ name: 'Spring picks', mine: true, team: null, assetCount: 2 });
    expect(names(made.body)).toEqual(['c.jpg', 'a.jpg']);
    const id = made.body.id as string;

    const changed = await harness.http
      .put(`/api/collections/${id}/assets`)
      .set(owner)
      .send({ assetIds: [ids.b, ids.c, ids.d] })
      .expect(200);
    expect(names(changed.body)).toEqual(['b.jpg', 'c.jpg', 'd.jpg']);
    expect(names((await harness.http.get(`/api/collections/${id}`).set(owner).expect(200)).body)).toEqual([
      'b.jpg',
      'c.jpg',
      'd.jpg',
    ]);
    const listed = (await harness.http.get('/api/collections').set(owner).expect(200)).body.collections;
    expect(listed.find((c: { id: string }) => c.id === id)).toMatchObject({ assetCount: 3, mine: true });
  });

  it('lets the members of its team change the items, and only the owner rename or delete it', async () => {
    const id = (
      await harness.http
        .post('/api/collections')
        .set(owner)
        .send({ name: 'Team board', team: 'studio', assetIds: [ids.a] })
        .expect(201)
    ).body.id as string;

    const seen = await harness.http.get(`/api/collections/${id}`).set(member).expect(200);
    expect(seen.body).toMatchObject({ mine: false, team: 'studio' });
    await harness.http
      .put(`/api/collections/${id}/assets`)
      .set(member)
      .send({ assetIds: [ids.a, ids.b] })
      .expect(200);
    expect(
      (await harness.http.patch(`/api/collections/${id}`).set(member).send({ name: 'Mine now' }).expect(403))
        .body.error.code,
    ).toBe('FORBIDDEN');
    await harness.http.delete(`/api/collections/${id}`).set(member).expect(403);
    // Someone outside the team cannot tell it exists.
    for (const res of [
      await harness.http.get(`/api/collections/${id}`).set(stranger),
      await harness.http.put(`/api/collections/${id}/assets`).set(stranger).send({ assetIds: [] }),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('COLLECTION_NOT_FOUND');
    }
    expect((await harness.http.get('/api/collections').set(stranger).expect(200)).body.collections).toEqual(
      [],
    );
    // Sharing with a team the owner is not in is refused.
    const foreign = await harness.http
      .patch(`/api/collections/${id}`)
      .set(owner)
      .send({ team: 'outside' })
      .expect(400);
    expect(foreign.body.error.details).toMatchObject({ field: 'team' });

    await harness.http
      .patch(`/api/collections/${id}`)
      .set(owner)
      .send({ name: 'Board', team: null })
      .expect(200);
    await harness.http.get(`/api/collections/${id}`).set(member).expect(404);
    await harness.http.delete(`/api/collections/${id}`).set(owner).expect(204);
    await harness.http.get(`/api/collections/${id}`).set(owner).expect(404);
  });

  it('shows each reader what they may see, and keeps the items a change could not list', async () => {
    const id = (
      await harness.http
        .post('/api/collections')
        .set(owner)
        .send({ name: 'Mixed', team: 'studio', assetIds: [ids.hidden, ids.a, ids.b] })
        .expect(201)
    ).body.id as string;
    const asMember = await harness.http.get(`/api/collections/${id}`).set(member).expect(200);
    expect(names(asMember.body)).toEqual(['a.jpg', 'b.jpg']);
    expect(asMember.body.assetCount).toBe(3);

    // The member reorders and removes what they see; the hidden item is not theirs to remove.
    await harness.http
      .put(`/api/collections/${id}/assets`)
      .set(member)
      .send({ assetIds: [ids.b] })
      .expect(200);
    expect(names((await harness.http.get(`/api/collections/${id}`).set(owner).expect(200)).body)).toEqual([
      'b.jpg',
      'hidden.jpg',
    ]);
    // Nor may they add an asset they cannot see: as if it did not exist.
    const refused = await harness.http
      .put(`/api/collections/${id}/assets`)
      .set(member)
      .send({ assetIds: [ids.b, ids.hidden] })
      .expect(404);
    expect(refused.body.error.code).toBe('ASSET_NOT_FOUND');
  });

  it('hides an item in the trash, keeps it through changes, and shows it again once restored', async () => {
    const id = (
      await harness.http
        .post('/api/collections')
        .set(owner)
        .send({ name: 'Trash', assetIds: [ids.a, ids.c] })
        .expect(201)
    ).body.id as string;
    const setState = (state: string) =>
      sql`UPDATE assets SET state = ${state} WHERE id = ${ids.c}`.execute(harness.storage.database.db);
    await setState('trashed');
    expect(names((await harness.http.get(`/api/collections/${id}`).set(owner).expect(200)).body)).toEqual([
      'a.jpg',
    ]);
    await harness.http
      .put(`/api/collections/${id}/assets`)
      .set(owner)
      .send({ assetIds: [ids.d, ids.a] })
      .expect(200);
    await setState('stored');
    expect(names((await harness.http.get(`/api/collections/${id}`).set(owner).expect(200)).body)).toEqual([
      'd.jpg',
      'a.jpg',
      'c.jpg',
    ]);
  });

  it('refuses a blank name, a repeated asset, and more than 500 assets', async () => {
    const blank = await harness.http.post('/api/collections').set(owner).send({ name: '   ' }).expect(400);
    expect(blank.body.error.details).toMatchObject({ field: 'name' });
    const id = (await harness.http.post('/api/collections').set(owner).send({ name: 'Limits' }).expect(201))
      .body.id as string;
    await harness.http
      .put(`/api/collections/${id}/assets`)
      .set(owner)
      .send({ assetIds: [ids.a, ids.a] })
      .expect(400);
    // The same asset written in upper and lower case is one item.
    const mixed = await harness.http
      .put(`/api/collections/${id}/assets`)
      .set(owner)
      .send({ assetIds: [ids.a!.toUpperCase(), ids.a, ids.b] })
      .expect(200);
    expect(names(mixed.body)).toEqual(['a.jpg', 'b.jpg']);
    const tooMany = Array.from({ length: 501 }, () => randomUUID());
    await harness.http
      .put(`/api/collections/${id}/assets`)
      .set(owner)
      .send({ assetIds: tooMany })
      .expect(400);
    expect(
      (await harness.http.get(`/api/collections/${randomUUID()}`).set(owner).expect(404)).body.error.code,
    ).toBe('COLLECTION_NOT_FOUND');
    await harness.http.get('/api/collections/not-a-uuid').set(owner).expect(404);
    // An administrator passes the policy without a lookup: the service answers the same 404.
    for (const res of [
      await harness.http.get('/api/collections/0'),
      await harness.http.patch('/api/collections/0').send({ name: 'x' }),
      await harness.http.put('/api/collections/0/assets').send({ assetIds: [] }),
      await harness.http.delete('/api/collections/0'),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('COLLECTION_NOT_FOUND');
    }
  });
});
