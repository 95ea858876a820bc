import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { SearchRepository } from '../../catalogue/search.repository';
import type { BasicColour } from '../../imaging/colour-names';
import { SearchIndexer } from '../../operations/search-indexer';
import { type SearchRequest, SearchService } from '../../services/search.service';
import { eventually, type Harness, startHarness } from '../support/harness';
import { makeJpeg } from '../support/images';
import { addIndexedAsset } from '../support/indexed-asset';
import { databaseKinds } from '../support/test-databases';

const TODAY = '2026-11-28';
const isPrivate = (i: number) => i % 10 === 0;

/** One generated asset: everything the queries below select on, known in advance. */
interface Fixture {
  id: string;
  name: string;
  capturedAt: string;
  colour: BasicColour;
  poster: boolean;
  tags: string[];
  market: string;
  platform: string;
  lastUsedAt: string | null;
}

const COLOURS: BasicColour[] = ['red', 'blue', 'green', 'yellow', 'black', 'white'];
const DATES = [
  '2025-01-25',
  '2025-02-05',
  '2025-02-20',
  '2025-06-10',
  '2026-02-15',
  '2026-10-08',
  '2026-10-30',
  '2026-11-20',
];

/** 300 assets with a deterministic spread of dates, colours, posters, markets, platforms and use. */
function fixtures(): Fixture[] {
  return Array.from({ length: 300 }, (_, i) => {
    const poster = i % 3 === 0;
    const car = i % 4 === 1;
    return {
      id: randomUUID(),
      name:
        i % 5 === 0
          ? `MuseDAM_春季新品_主图_V${i}.jpg`
          : poster
            ? `campaign-poster-${i}.jpg`
            : `IMG_${1000 + i}.jpg`,
      capturedAt: `${DATES[i % DATES.length]}T10:00:00.000Z`,
      colour: COLOURS[i % COLOURS.length]!,
      poster,
      tags: [
        ...(poster ? ['poster', '海报'] : ['photo', '照片']),
        ...(car ? ['car', '汽车'] : []),
        ...(i % 7 === 0 ? ['商品'] : []),
        ...(i % 11 === 0 ? ['sku'] : []),
      ],
      market: ['US', 'EU', 'JP'][i % 3]!,
      platform: ['amazon', 'shopify'][Math.floor(i / 3) % 2]!,
      lastUsedAt: i % 2 === 0 ? '2026-03-01T00:00:00.000Z' : i % 5 === 0 ? null : '2026-09-01T00:00:00.000Z',
    };
  });
}

describe.each(databaseKinds)('search (%s)', (kind) => {
  let harness: Harness;
  const all = fixtures();
  beforeAll(async () => {
    harness = await startHarness(kind);
    // Every tenth asset is in a project only its team sees (the rest in the shared default).
    await harness.storage.access.createProject({
      id: 'private-line',
      name: 'Private line',
      createdBy: 'tests',
      grants: [{ principal: 'team:line', level: 'view' }],
    });
    for (const [i, f] of all.entries()) {
      await addIndexedAsset(harness.storage, {
        ...f,
        metadata: { brand: 'MuseDAM' },
        dimensions: { market: [f.market], platform: [f.platform] },
        project: isPrivate(i) ? 'private-line' : 'default',
        // Uploaded before any of the fixtures' uses (a use cannot precede the upload), a second apart.
        createdAt: new Date(Date.parse('2026-01-10T00:00:00Z') + i * 1000).toISOString(),
      });
    }
  }, 180_000);
  afterAll(async () => {
    await harness?.close();
  });

  const search = async (params: Record<string, string | string[]>) => {
    const res = await harness.http.get('/api/search').query({ today: TODAY, limit: '100', ...params });
    expect(res.status).toBe(200);
    return res.body;
  };
  const ids = (body: { items: { id: string }[] }) => body.items.map((i) => i.id).sort();
  const expected = (pick: (f: Fixture) => boolean) =>
    all
      .filter(pick)
      .map((f) => f.id)
      .sort();
  const within = (f: Fixture, from: string, to: string) =>
    f.capturedAt.slice(0, 10) >= from && f.capturedAt.slice(0, 10) <= to;

  it("去年春节的红色主题海报 finds last Spring Festival's red posters and nothing else", async () => {
    const body = await search({ q: '去年春节的红色主题海报' });
    expect(body.interpreted).toMatchObject({
      dateRange: { from: '2025-01-22', to: '2025-02-12' },
      colours: ['red'],
      types: ['poster'],
    });
    const want = expected((f) => f.poster && f.colour === 'red' && within(f, '2025-01-22', '2025-02-12'));
    expect(want.length).toBeGreaterThan(0);
    expect(ids(body)).toEqual(want);
    // The same question in English gets the same answer.
    expect(ids(await search({ q: 'red posters from last Spring Festival' }))).toEqual(want);
  });

  it('上个月的汽车主图 combines last month with words and their synonyms', async () => {
    const body = await search({ q: '上个月的汽车主图' });
    const want = expected(
      (f) => within(f, '2026-10-01', '2026-10-31') && f.tags.includes('汽车') && f.name.includes('主图'),
    );
    expect(want.length).toBeGreaterThan(0);
    expect(ids(body)).toEqual(want);
    expect(ids(await search({ q: 'last month car 主图' }))).toEqual(want);
  });

  it('images for Amazon US not used since June uses dimensions and last use', async () => {
    const body = await search({ q: 'images for Amazon US not used since June' });
    expect(body.interpreted).toMatchObject({
      facets: { market: ['US'], platform: ['amazon'] },
      unusedSince: '2026-06-01',
    });
    const want = expected(
      (f) =>
        // Never used counts from the upload (January): idle since before June too.
        f.market === 'US' &&
        f.platform === 'amazon' &&
        (f.lastUsedAt === null || f.lastUsedAt < '2026-06-01'),
    );
    expect(want.length).toBeGreaterThan(0);
    expect(ids(body)).toEqual(want);
  });

  it('finds and counts only what the caller may see', async () => {
    const asUser = async (name: string, ...teams: string[]) =>
      (
        await harness.http
          .get('/api/search')
          .set(await harness.as(name, ...teams))
          .query({ today: TODAY, q: '海报', limit: '100' })
          .expect(200)
      ).body;
    const posters = all.map((f, i) => ({ f, i })).filter(({ f }) => f.poster);
    const outsider = await asUser('search-outsider');
    const member = await asUser('search-member', 'team:line');
    const visible = posters
      .filter(({ i }) => !isPrivate(i))
      .map(({ f }) => f.id)
      .sort();
    expect(ids(outsider)).toEqual(visible);
    expect(ids(member)).toEqual(posters.map(({ f }) => f.id).sort());
    expect(outsider.facets.project).toEqual({ default: visible.length });
    expect(member.facets.project).toEqual({
      default: visible.length,
      'private-line': posters.length - visible.length,
    });
    expect(Object.values(outsider.facets.colour as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(
      visible.length,
    );
  });

  it('counts facets exactly over all matches', async () => {
    const body = await search({ q: '', 'dim.platform': 'amazon', limit: '5' });
    expect(body.items).toHaveLength(5);
    const amazon = all.filter((f) => f.platform === 'amazon');
    const count = (key: (f: Fixture) => string) => {
      const counts: Record<string, number> = {};
      for (const f of amazon) counts[key(f)] = (counts[key(f)] ?? 0) + 1;
      return counts;
    };
    expect(body.facets['dim.platform']).toEqual({ amazon: amazon.length });
    expect(body.facets['dim.market']).toEqual(count((f) => f.market));
    expect(body.facets.colour).toEqual(count((f) => f.colour));
    expect(body.facets.month).toEqual(count((f) => f.capturedAt.slice(0, 7)));
    expect(body.facets.type).toEqual({
      image: amazon.length,
      poster: amazon.filter((f) => f.poster).length,
      photo: amazon.filter((f) => !f.poster).length,
    });
  });

  it('finds across languages with synonyms, and names despite a typo', async () => {
    expect(ids(await search({ q: 'product' }))).toEqual(expected((f) => f.tags.includes('商品')));
    // A synonym group from the ecommerce rule set (store.synonyms): 货号 ↔ sku.
    expect(ids(await search({ q: '货号' }))).toEqual(expected((f) => f.tags.includes('sku')));
    const typo = await search({ q: 'MuseDAN' });
    expect(typo.items.length).toBeGreaterThan(0);
    expect(typo.items.every((i: { name: string }) => i.name.startsWith('MuseDAM'))).toBe(true);
  });

  it('a word nothing has is dropped, not required, and the response says so (words, reading)', async () => {
    // 汽车 (car) is known; zqxv is in no document: the car posters are the answer.
    const dropped = await search({ q: '找一下汽车海报 zqxv' });
    expect(dropped.interpreted.reading).toBe('known-words');
    expect(dropped.interpreted.words).toEqual([
      { word: '找一下', as: 'filler' },
      { word: '汽车', as: 'required' },
      { word: '海报', as: 'type', value: 'poster' },
      { word: 'zqxv', as: 'unmatched' },
    ]);
    expect(ids(dropped)).toEqual(expected((f) => f.poster && f.tags.includes('汽车')));
    // No word matches: the understood filters alone answer, page after page.
    const red = await search({ q: '红色海报 zqxv', limit: '10' });
    expect(red.interpreted.reading).toBe('filters-only');
    const seen = ids(red);
    const next = await search({ q: '红色海报 zqxv', limit: '100', cursor: red.nextCursor });
    expect([...seen, ...ids(next)].sort()).toEqual(expected((f) => f.poster && f.colour === 'red'));
    // An unknown word alone is no filter: nothing, not the whole catalogue.
    expect((await search({ q: 'zqxv' })).items).toEqual([]);
  });

  it('ranks a word in the name above the same word in the metadata', async () => {
    // Every asset has MuseDAM in its metadata; the red ones with it in the name come first.
    const body = await search({ q: 'MuseDAM', colour: 'red', sort: 'relevance' });
    const inName = expected((f) => f.colour === 'red' && f.name.startsWith('MuseDAM'));
    expect(inName).toHaveLength(10);
    expect(body.items).toHaveLength(50);
    expect(ids({ items: body.items.slice(0, 10) })).toEqual(inName);
    expect(body.items[0].score).toBeGreaterThan(body.items[10].score);
  });

  it('searches by colour swatch: the family of the picked colour', async () => {
    const body = await search({ q: '', swatch: '#d01818' });
    expect(ids(body)).toEqual(expected((f) => f.colour === 'red'));
    const bad = await harness.http.get('/api/search').query({ swatch: 'reddish' });
    expect(bad.status).toBe(400);
  });

  it('pages with a keyset cursor: every match once, in order', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 20; page++) {
      const body = await search({
        q: '',
        type: 'poster',
        sort: 'oldest',
        limit: '7',
        ...(cursor ? { cursor } : {}),
      });
      seen.push(...body.items.map((i: { id: string }) => i.id));
      cursor = body.nextCursor ?? undefined;
      if (!cursor) break;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual(expected((f) => f.poster));
  });

  describe('with small limits (count cap 5, 10 ranked candidates)', () => {
    const small = (candidates = 10, countCap = 5) =>
      new SearchService({
        search: new SearchRepository(harness.storage.database.db, {
          countCap,
          sampleRows: 1000,
          candidates,
        }),
        assets: harness.storage.assets,
        ruleSets: harness.storage.ruleSets,
      });
    const request = (q: string, more: Partial<SearchRequest> = {}): SearchRequest => ({
      q,
      filters: {},
      limit: 20,
      today: TODAY,
      visibleProjects: 'all',
      ...more,
    });

    it('counts exactly up to the cap and marks counts beyond it as estimates', async () => {
      // sku on every 11th asset, red on every 6th: 5 assets, the cap itself.
      const under = await small().search(request('sku', { filters: { colour: ['red'] } }));
      expect(under.total).toEqual({ count: 5, exact: true });
      expect(under.facetsExact).toBe(true);
      expect(under.facets.colour).toEqual({ red: 5 });
      const over = await small().search(request('sku'));
      const skus = expected((f) => f.tags.includes('sku')).length;
      expect(over.total.exact).toBe(false);
      expect(over.facetsExact).toBe(false);
      expect(over.total.count).toBeGreaterThan(5);
      // The whole table is the sample at this size: the estimate is the count.
      expect(over.total.count).toBe(skus);
      // The API says the same with its default cap, exactly.
      const body = await search({ q: 'sku' });
      expect(body.total).toEqual({ count: skus, exact: true });
      expect(body.facetsExact).toBe(true);
    });

    // MuseDAM in the red assets' metadata (50 of them), and in the names of 10 of those: scores
    // differ. Beyond a cap of 5 the candidates come from the created_at index walk; under a cap of
    // 50 every match is collected, counted and paged in one statement.
    it.each([
      [10, 5],
      [1, 5],
      [10, 50],
    ])(
      'pages by relevance through %i ranked candidates (count cap %i), then the rest newest first: every match once',
      async (candidates, countCap) => {
        const seen: string[] = [];
        const scores: number[] = [];
        let cursor: string | undefined;
        for (let page = 0; page < 30; page++) {
          const body = await small(candidates, countCap).search(
            request('MuseDAM', { filters: { colour: ['red'] }, limit: 4, sort: 'relevance', cursor }),
          );
          seen.push(...body.items.map((i) => i.id));
          scores.push(...body.items.map((i) => i.score));
          cursor = body.nextCursor ?? undefined;
          if (!cursor) break;
        }
        expect(new Set(seen).size).toBe(seen.length);
        expect([...seen].sort()).toEqual(expected((f) => f.colour === 'red'));
        const ranked = scores.slice(0, candidates);
        expect(ranked).toEqual([...ranked].sort((a, b) => b - a));
        // The order is visible: among the newest ten, two have MuseDAM in their name too.
        if (candidates > 1) expect(new Set(ranked).size).toBeGreaterThan(1);
        const newest = seen.slice(candidates).map((id) => all.findIndex((f) => f.id === id));
        // The fixtures were created in index order: newest first is descending index.
        expect(newest).toEqual([...newest].sort((a, b) => b - a));
      },
    );
  });

  it('rebuilds the whole index from the catalogue (what `assetflow search reindex` runs)', async () => {
    const before = ids(await search({ q: '去年春节的红色主题海报' }));
    await harness.storage.database.db.deleteFrom('search_documents').execute();
    expect((await search({ q: '' })).items).toHaveLength(0);
    const indexer = new SearchIndexer(harness.storage.search, harness.storage.ruleSets);
    expect(await indexer.reindexAll()).toBeGreaterThanOrEqual(all.length);
    expect(ids(await search({ q: '去年春节的红色主题海报' }))).toEqual(before);
    // Nothing is left in the GIN indexes' pending lists, which every search would read through
    // (a clean-up returns the pages it merged), and the lists are kept small (migration 0018).
    const indexes = await sql<{ name: string; options: string[] | null; merged: number }>`
      SELECT i.relname AS name, i.reloptions AS options, gin_clean_pending_list(i.oid::regclass)::int AS merged
      FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_am am ON am.oid = i.relam
      WHERE x.indrelid = 'search_documents'::regclass AND am.amname = 'gin' ORDER BY 1`.execute(
      harness.storage.database.db,
    );
    expect(indexes.rows).toEqual(
      ['facets', 'name_trgm', 'words'].map((n) => ({
        name: `search_documents_${n}_idx`,
        options: ['gin_pending_list_limit=256'],
        merged: 0,
      })),
    );
  });

  it('takes any text as words, never as query syntax', async () => {
    for (const q of ["o'neil & | ! :* (", '\\', "'; DROP TABLE assets; --", '💥 ∞']) {
      const res = await harness.http.get('/api/search').query({ q, today: TODAY });
      expect(res.status).toBe(200);
    }
  });

  it('refuses a bad cursor or an unknown filter with a 400', async () => {
    const cursor = await harness.http.get('/api/search').query({ q: 'x', cursor: 'not-a-cursor' });
    expect(cursor.status).toBe(400);
    expect(cursor.body.error.code).toBe('VALIDATION_FAILED');
    // Cursors that decode but hold what no page returns: an id that is no UUID, a score on a
    // newest-first page, a key that is no date (each reached a SQL cast, a 500).
    const crafted = (value: unknown[]) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const uuid = '0b6f5a0e-1111-4222-8333-444455556666';
    for (const [c, sort] of [
      [crafted(['2026-01-10T00:00:00.000000', '-'.repeat(36), 0, 0]), 'newest'],
      [crafted([0.5, uuid, 0, 0]), 'newest'],
      [crafted(['soon', uuid, 0, 0]), 'newest'],
    ] as const) {
      const res = await harness.http.get('/api/search').query({ q: '海报', sort, cursor: c });
      expect([res.status, res.body.error?.code]).toEqual([400, 'VALIDATION_FAILED']);
    }
    const filter = await harness.http.get('/api/search').query({ flavour: 'sweet' });
    expect(filter.status).toBe(400);
    expect(filter.body.error.details).toMatchObject({ filter: 'flavour' });
    // A name every object inherits is no filter either (it was a 500).
    for (const inherited of ['constructor', 'toString', 'hasOwnProperty']) {
      const res = await harness.http.get(`/api/search?${inherited}=x`);
      expect(res.status).toBe(400);
    }
  });

  it("checks an upload's dimensions against the rule set, naming each problem", async () => {
    const res = await harness.http
      .post('/api/assets')
      .field('ruleSet', 'ecommerce')
      .field('dimensions', JSON.stringify({ market: 'MARS', season: ['spring', 'winter'], colourway: 'x' }))
      .attach('file', await makeJpeg(64, 64), 'x.jpg');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('METADATA_INVALID');
    expect(Object.keys(res.body.error.details.dimensions).sort()).toEqual(['colourway', 'market', 'season']);
  });

  it("browses a rule set's tree level by level with counts (automotive: programme → system → part)", async () => {
    const { assets, search, ruleSets } = harness.storage;
    const ruleSet = (await ruleSets.latest('automotive'))!;
    const indexer = new SearchIndexer(search, ruleSets);
    const parts: [string, string, string][] = [
      ['X1', 'powertrain', '10001-AB1'],
      ['X1', 'powertrain', '10001-AB1'],
      ['X1', 'powertrain', '10002-AB1'],
      ['X1', 'chassis', '20001-CD2'],
      ['S3', 'body', '30001-EF3'],
    ];
    for (const [programme, system, partNumber] of parts) {
      const id = randomUUID();
      await assets.create({
        id,
        workflowId: `asset-${id}`,
        displayName: `${partNumber}.step`,
        ruleSet: 'automotive',
        ruleSetVersion: ruleSet.version,
        metadata: { modelCode: 'X1A', partNumber, modelYear: 2026 },
        blob: { sha256: createHash('sha256').update(id).digest('hex'), sizeBytes: 1 },
        declaredMediaType: 'application/octet-stream',
        dimensions: { programme: [programme], system: [system] },
      });
      await indexer.reindex(id);
    }
    const node = async (path: string) =>
      (await harness.http.get('/api/trees/automotive/parts').query({ path }).expect(200)).body;
    expect((await node('')).children).toEqual([
      { value: 'S3', label: { en: 'S3 Sedan' }, count: 1 },
      { value: 'X1', label: { en: 'X1 SUV' }, count: 4 },
    ]);
    expect(
      (await node('X1')).children.map((c: { value: string; count: number }) => [c.value, c.count]),
    ).toEqual([
      ['chassis', 1],
      ['powertrain', 3],
    ]);
    expect(
      (await node('X1/powertrain')).children.map((c: { value: string; count: number }) => [c.value, c.count]),
    ).toEqual([
      ['10001-AB1', 2],
      ['10002-AB1', 1],
    ]);
    const unknown = await harness.http.get('/api/trees/automotive/nope');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('TREE_NOT_FOUND');
  });

  it('keeps the index current through the workflow: an upload is found by name, then by colour', async () => {
    const upload = await harness.http
      .post('/api/assets')
      .field('ruleSet', 'ecommerce')
      .field('metadata', JSON.stringify({ brand: 'Zephyr', sku: 'ZP-12345', purpose: 'banner' }))
      .field('dimensions', JSON.stringify({ market: 'JP' }))
      .attach('file', await makeJpeg(400, 300, [20, 40, 200]), 'zephyr.jpg')
      .expect(201);
    const byBrand = await search({ q: 'zephyr' });
    expect(ids(byBrand)).toEqual([upload.body.id]);
    await eventually(async () => {
      const body = await search({ q: 'zephyr', colour: 'blue', 'dim.market': 'JP' });
      return body.items.length === 1 ? true : undefined;
    }, 30_000);
  });
});
