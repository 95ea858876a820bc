import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import request from 'supertest';
import type { BasicColour } from '../../imaging/colour-names';
import { buildApp } from '../../runtime/http-server';
import { type Harness, startHarness } from '../support/harness';
import { addIndexedAsset } from '../support/indexed-asset';
import { databaseKinds } from '../support/test-databases';

/** The day the searches are saved on (relative dates count from it unless a request says otherwise). */
const TODAY = '2026-11-28';
const SPRING_FESTIVAL_2025 = { from: '2025-01-22', to: '2025-02-12' };
const SPRING_FESTIVAL_2026 = { from: '2026-02-10', to: '2026-03-03' };
const ecommerce = readFileSync(
  path.join(__dirname, '..', '..', 'rules', 'examples', 'ecommerce.yaml'),
  'utf8',
);

interface Fixture {
  name: string;
  capturedAt: string;
  colour: BasicColour;
  tags: string[];
  project?: string;
  /** Default: platform amazon. */
  dimensions?: Record<string, string[]>;
}

/**
 * Saved searches through HTTP on a real catalogue: what is stored, what a run finds (live, by the
 * stored interpretation, within the caller's visibility), that the meaning does not drift with the
 * date or the vocabulary until re-interpreted, sharing with a team, and the limits.
 */
describe.each(databaseKinds)('saved searches (%s)', (kind) => {
  let harness: Harness;
  /** Asset ids by fixture key. */
  const ids: Record<string, string> = {};

  /** An analysed, indexed asset made directly in the catalogue (no upload: the search is the subject). */
  const addAsset = async (key: string, f: Fixture) => {
    const id = randomUUID();
    await addIndexedAsset(harness.storage, {
      ...f,
      id,
      dimensions: f.dimensions ?? { platform: ['amazon'] },
      project: f.project ?? 'default',
    });
    ids[key] = id;
  };

  beforeAll(async () => {
    harness = await startHarness(kind);
    await harness.storage.access.createProject({
      id: 'private-line',
      name: 'Private line',
      createdBy: 'tests',
      grants: [{ principal: 'team:line', level: 'view' }],
    });
    const poster = ['poster', '海报'];
    await addAsset('sf2025', {
      name: 'sf-2025.jpg',
      capturedAt: '2025-02-05T10:00:00Z',
      colour: 'red',
      tags: poster,
    });
    await addAsset('sf2025blue', {
      name: 'sf-2025-blue.jpg',
      capturedAt: '2025-02-05T10:00:00Z',
      colour: 'blue',
      tags: poster,
    });
    await addAsset('sf2025private', {
      name: 'sf-2025-private.jpg',
      capturedAt: '2025-02-06T10:00:00Z',
      colour: 'red',
      tags: poster,
      project: 'private-line',
    });
    await addAsset('sf2026', {
      name: 'sf-2026.jpg',
      capturedAt: '2026-02-15T10:00:00Z',
      colour: 'red',
      tags: poster,
    });
    await addAsset('tmallWord', {
      name: 'shop-window.jpg',
      capturedAt: '2026-06-01T10:00:00Z',
      colour: 'green',
      tags: ['photo', 'tmall'],
    });
  }, 120_000);
  afterAll(async () => {
    await harness?.close();
  });

  const as = {
    alice: () => harness.as('saved-alice', 'team:design'),
    bob: () => harness.as('saved-bob', 'team:design', 'team:line'),
    carol: () => harness.as('saved-carol', 'team:other'),
  };
  const save = async (who: Record<string, string>, body: Record<string, unknown>) =>
    harness.http
      .post('/api/saved-searches')
      .set(who)
      .send({ today: TODAY, ...body });
  const run = async (id: string, who: Record<string, string>, app = harness.app) => {
    const res = await request(app).get(`/api/saved-searches/${id}/results`).set(who).query({ limit: 100 });
    expect(res.status).toBe(200);
    return res.body as { interpreted: Record<string, unknown>; items: { id: string }[] };
  };
  const found = (body: { items: { id: string }[] }) => body.items.map((i) => i.id).sort();
  const idsOf = (...keys: string[]) => keys.map((k) => ids[k]!).sort();

  it('stores the interpretation the query had when saved, and answers it', async () => {
    const alice = await as.alice();
    const res = await save(alice, { name: '春节红色海报', q: '去年春节的红色海报', sort: 'newest' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: '春节红色海报',
      q: '去年春节的红色海报',
      mine: true,
      team: null,
      sort: 'newest',
      filters: {},
      interpretedOn: TODAY,
      interpreted: { dateRange: SPRING_FESTIVAL_2025, colours: ['red'], types: ['poster'], text: '' },
    });
    const stored = await harness.http.get(`/api/saved-searches/${res.body.id}`).set(alice).expect(200);
    expect(stored.body).toEqual(res.body);
    const listed = await harness.http.get('/api/saved-searches').set(alice).expect(200);
    expect(listed.body.savedSearches.map((s: { id: string }) => s.id)).toContain(res.body.id);
  });

  it('runs the stored interpretation, live: an asset added later that matches appears', async () => {
    const alice = await as.alice();
    const saved = (await save(alice, { name: 'live', q: '去年春节的红色海报' })).body;
    const before = await run(saved.id, alice);
    expect(before.interpreted).toEqual(saved.interpreted);
    expect(found(before)).toEqual(idsOf('sf2025'));

    await addAsset('sf2025later', {
      name: 'sf-2025-later.jpg',
      capturedAt: '2025-01-30T10:00:00Z',
      colour: 'red',
      tags: ['poster'],
    });
    expect(found(await run(saved.id, alice))).toEqual(idsOf('sf2025', 'sf2025later'));
  });

  it('keeps its meaning when the date moves on, until it is re-interpreted on purpose', async () => {
    const alice = await as.alice();
    // Saved "in March 2027": last Spring Festival is 2026's. Run today (December 2026), reading the
    // words again would mean 2025's; the saved search must keep 2026's.
    const saved = (await save(alice, { name: 'in 2027', q: '去年春节的红色海报', today: '2027-03-01' })).body;
    expect(saved.interpreted.dateRange).toEqual(SPRING_FESTIVAL_2026);
    const ran = await run(saved.id, alice);
    expect(ran.interpreted.dateRange).toEqual(SPRING_FESTIVAL_2026);
    expect(found(ran)).toEqual(idsOf('sf2026'));

    // `today` alone changes nothing and is refused, so nobody believes they refreshed it.
    const bare = await harness.http
      .patch(`/api/saved-searches/${saved.id}`)
      .set(alice)
      .send({ today: TODAY })
      .expect(400);
    expect(bare.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'today' } });

    const renamed = await harness.http
      .patch(`/api/saved-searches/${saved.id}`)
      .set(alice)
      .send({ name: 'renamed' })
      .expect(200);
    expect(renamed.body).toMatchObject({ name: 'renamed', interpretedOn: '2027-03-01' });
    expect(renamed.body.interpreted).toEqual(saved.interpreted);

    const again = await harness.http
      .patch(`/api/saved-searches/${saved.id}`)
      .set(alice)
      .send({ reinterpret: true, today: TODAY })
      .expect(200);
    expect(again.body).toMatchObject({
      interpretedOn: TODAY,
      interpreted: { dateRange: SPRING_FESTIVAL_2025 },
    });
    expect(found(await run(saved.id, alice))).toContain(ids.sf2025);
    expect(found(await run(saved.id, alice))).not.toContain(ids.sf2026);

    const newWords = await harness.http
      .patch(`/api/saved-searches/${saved.id}`)
      .set(alice)
      .send({ q: '去年春节的蓝色海报', today: TODAY })
      .expect(200);
    expect(newWords.body.interpreted).toMatchObject({ colours: ['blue'], dateRange: SPRING_FESTIVAL_2025 });
    expect(found(await run(saved.id, alice))).toEqual(idsOf('sf2025blue'));
  });

  it('keeps its meaning when a rule set’s vocabulary changes', async () => {
    const alice = await as.alice();
    const saved = (await save(alice, { name: 'tmall', q: 'tmall' })).body;
    expect(saved.interpreted).toMatchObject({ facets: {}, text: 'tmall' });
    expect(found(await run(saved.id, alice))).toEqual(idsOf('tmallWord'));

    // Tmall becomes a platform of the rule set: a fresh search reads it as that dimension value.
    await harness.http
      .post('/api/rule-sets')
      .set('Content-Type', 'application/yaml')
      .send(ecommerce.replace('tiktok: TikTok }', 'tiktok: TikTok, tmall: { en: Tmall, zh: 天猫 } }'))
      .expect(201);
    // A shop's asset classified under the new platform (its words include tmall too).
    await addAsset('tmallShop', {
      name: 'storefront.jpg',
      capturedAt: '2026-06-02T10:00:00Z',
      colour: 'green',
      tags: ['photo'],
      dimensions: { platform: ['tmall'] },
    });
    // A new app, as after a restart: its search reads the vocabulary afresh (no minute-long cache).
    const restarted = buildApp(harness.config, harness.storage, harness.workflows, pino({ level: 'silent' }));
    const fresh = await request(restarted).get('/api/search').set(alice).query({ q: 'tmall', today: TODAY });
    expect(fresh.body.interpreted).toMatchObject({ facets: { platform: ['tmall'] }, text: '' });
    expect(found(fresh.body)).toEqual(idsOf('tmallShop'));

    // The saved search still reads tmall as a word: both assets have it.
    const ran = await run(saved.id, alice, restarted);
    expect(ran.interpreted).toEqual(saved.interpreted);
    expect(new Set(found(ran))).toEqual(new Set(idsOf('tmallWord', 'tmallShop')));

    const again = await request(restarted)
      .patch(`/api/saved-searches/${saved.id}`)
      .set(alice)
      .send({ reinterpret: true })
      .expect(200);
    expect(again.body.interpreted).toMatchObject({ facets: { platform: ['tmall'] } });
    expect(found(await run(saved.id, alice, restarted))).toEqual(idsOf('tmallShop'));
  });

  it('is shared with a team: members run it with their own visibility, cannot change it; others get a 404', async () => {
    const [alice, bob, carol] = [await as.alice(), await as.bob(), await as.carol()];
    const saved = (await save(alice, { name: 'team posters', q: '去年春节的红色海报', team: 'design' })).body;
    expect(saved.team).toBe('design');

    // Bob is in design (and in line, whose private project alice cannot see): he finds more.
    const bobs = await harness.http.get(`/api/saved-searches/${saved.id}`).set(bob).expect(200);
    expect(bobs.body).toMatchObject({ id: saved.id, mine: false, owner: { id: saved.owner.id } });
    expect(found(await run(saved.id, bob))).toContain(ids.sf2025private);
    expect(found(await run(saved.id, alice))).not.toContain(ids.sf2025private);
    const bobsList = (await harness.http.get('/api/saved-searches').set(bob).expect(200)).body.savedSearches;
    expect(bobsList.map((s: { id: string }) => s.id)).toContain(saved.id);

    for (const change of [
      harness.http.patch(`/api/saved-searches/${saved.id}`).set(bob).send({ name: 'mine now' }),
      harness.http.delete(`/api/saved-searches/${saved.id}`).set(bob),
    ]) {
      const refused = await change;
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('FORBIDDEN');
    }

    // Carol is in no team it is shared with: the same answer as for an id never used.
    const unknown = randomUUID();
    const stranger = await harness.http.get(`/api/saved-searches/${saved.id}`).set(carol);
    const never = await harness.http.get(`/api/saved-searches/${unknown}`).set(carol);
    expect(stranger.status).toBe(404);
    expect(stranger.body).toEqual(JSON.parse(JSON.stringify(never.body).replaceAll(unknown, saved.id)));
    expect(stranger.body.error.code).toBe('SAVED_SEARCH_NOT_FOUND');
    for (const req of [
      harness.http.get(`/api/saved-searches/${saved.id}/results`).set(carol),
      harness.http.patch(`/api/saved-searches/${saved.id}`).set(carol).send({ name: 'x' }),
      harness.http.delete(`/api/saved-searches/${saved.id}`).set(carol),
      harness.http.get('/api/saved-searches/not-a-uuid').set(carol),
      harness.http.get('/api/saved-searches/not-a-uuid'), // the administrator
    ])
      expect((await req).body.error?.code).toBe('SAVED_SEARCH_NOT_FOUND');
    const carolsList = (await harness.http.get('/api/saved-searches').set(carol).expect(200)).body
      .savedSearches;
    expect(carolsList.map((s: { id: string }) => s.id)).not.toContain(saved.id);

    // Only with a team one belongs to.
    const foreign = await harness.http
      .patch(`/api/saved-searches/${saved.id}`)
      .set(alice)
      .send({ team: 'other' })
      .expect(400);
    expect(foreign.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { team: 'other' } });

    // Unshared, it is alice's alone again; deleted, it is gone for her too.
    await harness.http.patch(`/api/saved-searches/${saved.id}`).set(alice).send({ team: null }).expect(200);
    expect((await harness.http.get(`/api/saved-searches/${saved.id}`).set(bob)).status).toBe(404);
    await harness.http.delete(`/api/saved-searches/${saved.id}`).set(alice).expect(204);
    expect((await harness.http.get(`/api/saved-searches/${saved.id}`).set(alice)).status).toBe(404);
  });

  it('refuses what is too big or malformed with a 4xx and a code, never a 500', async () => {
    const dave = await harness.as('saved-dave');
    const refusals: Array<[Record<string, unknown>, number, string]> = [
      [{ name: 'x'.repeat(101), q: 'poster' }, 400, 'VALIDATION_FAILED'],
      [{ name: '   ', q: 'poster' }, 400, 'VALIDATION_FAILED'],
      [{ name: 'long', q: 'x'.repeat(501) }, 400, 'VALIDATION_FAILED'],
      [{ name: 'no q' }, 400, 'VALIDATION_FAILED'],
      [{ name: 'unknown filter', q: '', filters: { flavour: ['sweet'] } }, 400, 'VALIDATION_FAILED'],
      // Names an object has by inheritance are not filters either.
      [{ name: 'inherited name', q: '', filters: { constructor: ['x'] } }, 400, 'VALIDATION_FAILED'],
      [
        {
          name: 'many families',
          q: '',
          filters: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`dim.d${i}`, ['v']])),
        },
        400,
        'VALIDATION_FAILED',
      ],
      [
        { name: 'many values', q: '', filters: { colour: Array.from({ length: 51 }, (_, i) => `c${i}`) } },
        400,
        'VALIDATION_FAILED',
      ],
      [{ name: 'bad team', q: '', team: 'no spaces allowed' }, 400, 'VALIDATION_FAILED'],
      [{ name: 'bad sort', q: '', sort: 'random' }, 400, 'VALIDATION_FAILED'],
      [{ name: 'bad day', q: '', today: '2026-13-45' }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [body, status, code] of refusals) {
      const res = await save(dave, body);
      expect({ body, status: res.status, code: res.body.error?.code }).toEqual({ body, status, code });
    }
    const unknownFilter = await save(dave, { name: 'f', q: '', filters: { flavour: ['sweet'] } });
    expect(unknownFilter.body.error.message).toContain('filters');

    const saved = (await save(dave, { name: 'ok', q: 'poster', filters: { colour: ['red'] } })).body;
    const badCursor = await harness.http
      .get(`/api/saved-searches/${saved.id}/results`)
      .set(dave)
      .query({ cursor: 'not-ours' });
    expect({ status: badCursor.status, code: badCursor.body.error?.code }).toEqual({
      status: 400,
      code: 'VALIDATION_FAILED',
    });

    // One person keeps at most 100.
    for (let i = 1; i < 100; i += 1) expect((await save(dave, { name: `n${i}`, q: '' })).status).toBe(201);
    const over = await save(dave, { name: 'one too many', q: '' });
    expect({ status: over.status, code: over.body.error?.code }).toEqual({
      status: 409,
      code: 'TOO_MANY_SAVED_SEARCHES',
    });
    expect(over.body.error.details).toEqual({ limit: 100 });
    // Others are not limited by dave's.
    expect((await save(await as.carol(), { name: 'carol’s', q: '' })).status).toBe(201);
  }, 120_000);
});
