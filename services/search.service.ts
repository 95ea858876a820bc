import type { AssetRecord, AssetRepository } from '../catalogue/asset.repository';
import type { RuleSetRepository } from '../catalogue/rule-set.repository';
import type { SearchQuery, SearchRepository } from '../catalogue/search.repository';
import { AssetflowError, ErrorCodes } from '../domain/errors';
import { isUuid } from '../domain/ids';
import { own } from '../domain/own';
import { familyOfHex } from '../imaging/colours';
import {
  type InterpretedQuery,
  interpretQuery,
  type Reading,
  type SearchVocabulary,
  type WordUse,
} from '../search/interpret-query';
import { HanVocabulary, hanRuns, MAX_NEAR_MISSES } from '../search/near-miss';
import { addWords, dictionaryWords, planWords } from '../search/segment';
import { DEFAULT_SYNONYMS, synonymIndex, termGroup } from '../search/synonyms';
import { toTsquery } from '../search/tsquery';

/** Distinct words the looser readings probe one by one (see `findUnmatched`). */
const MAX_PROBED_WORDS = 32;
/** Chinese runs a query's near-word reading looks at. */
const MAX_NEAR_RUNS = 8;

export interface SearchRequest {
  q: string;
  /** Facet filters: `type`, `colour`, `state`, `ruleSet`, `month`, or `dim.<dimension>`; values OR'ed. */
  filters: Record<string, string[]>;
  from?: string;
  to?: string;
  sort?: 'relevance' | 'newest' | 'oldest';
  cursor?: string;
  limit: number;
  /** A colour swatch (#rrggbb): finds assets whose dominant colours are of its family. */
  swatch?: string;
  /** YYYY-MM-DD that relative dates ("last month") count from. */
  today: string;
  /** Projects the caller may see ('all' for administrators): nothing else is found or counted. */
  visibleProjects: string[] | 'all';
}

export interface SearchResponse {
  interpreted: InterpretedQuery;
  items: (AssetRecord & { score: number })[];
  /** Matches: exact up to the repository's count cap, beyond it an estimate (`exact: false`). */
  total: { count: number; exact: boolean };
  facets: Record<string, Record<string, number>>;
  /** Whether `facets` are exact counts or (beyond the cap, like `total`) estimates. */
  facetsExact: boolean;
  nextCursor: string | null;
}

export interface TreeNode {
  tree: string;
  levels: string[];
  path: string[];
  /** The level whose values `children` lists. */
  level: string;
  /** Assets under `path`. */
  assets: number;
  children: { value: string; label: unknown; count: number }[];
}

const FILTER_FACETS: Record<string, string> = {
  type: 'type',
  colour: 'colour',
  color: 'colour',
  state: 'state',
  ruleSet: 'ruleSet',
  project: 'project',
  month: 'month',
};

/** What the search words were used as, by reading (a word nothing has is `unmatched` in any). */
const WORD_USE: Record<Reading, WordUse> = {
  'all-words': 'required',
  'known-words': 'required',
  'any-word': 'ranked',
  'name-typo': 'name',
  'near-word': 'name',
  'filters-only': 'unmatched',
};
const SEARCH_WORD = new Set<WordUse>(Object.values(WORD_USE));

/**
 * The interpretation with the words that named dimension values searched as words instead, each
 * with its synonyms like any search word ("summer" also finds 夏日 when it is not the season).
 */
function dimensionsAsWords(interpreted: InterpretedQuery, synonyms: string[][]): InterpretedQuery {
  const named = interpreted.words.filter((w) => w.as === 'dimension' && w.value !== undefined);
  const fresh = named.map((w) => w.word).filter((w) => !interpreted.text.split(' ').includes(w));
  const index = synonymIndex(synonyms);
  return {
    ...interpreted,
    facets: {},
    terms: [...interpreted.terms, ...fresh.map((w) => termGroup(w, index))],
    text: [interpreted.text, ...fresh].filter(Boolean).join(' '),
    words: interpreted.words.map((w) =>
      w.as !== 'dimension'
        ? w
        : w.value !== undefined
          ? { word: w.word, as: 'required' }
          : { word: w.word, as: 'filler' },
    ),
  };
}

/** Cursor codes of the readings (1 was the name fallback before there were more readings). */
const READING_CODES: Reading[] = [
  'all-words',
  'name-typo',
  'any-word',
  'filters-only',
  'known-words',
  'near-word',
];

/** A facet group no document has: the caller can see no project. */
const NO_PROJECT = ['project:'];

/** Natural-language search over the catalogue: interpret, filter, rank, facet, page. */
export class SearchService {
  private vocabulary: { value: Promise<SearchVocabulary>; at: number } | undefined;
  /** Known Han words for the `near-word` reading: built on its first use only. */
  private han: HanVocabulary | undefined;
  private readonly ruleSetWords = new Set<string>();

  constructor(
    private readonly deps: {
      search: SearchRepository;
      assets: AssetRepository;
      ruleSets: Pick<RuleSetRepository, 'names' | 'latest'>;
    },
  ) {}

  async search(request: SearchRequest): Promise<SearchResponse> {
    return this.searchInterpreted(await this.interpret(request.q, request.today), request);
  }

  /** How a query reads today, with the rule sets' current vocabulary. */
  async interpret(q: string, today: string): Promise<InterpretedQuery> {
    return interpretQuery(q, today, await this.vocabularyNow());
  }

  /**
   * Runs a query as it was already understood (a saved search keeps the interpretation it was
   * saved with, so its meaning does not drift when the vocabulary or the date changes).
   * `request.q` and `request.today` are not read again.
   */
  async searchInterpreted(interpreted: InterpretedQuery, request: SearchRequest): Promise<SearchResponse> {
    const cursor = request.cursor ? decodeCursor(request.cursor) : null;
    const asWords = async () => dimensionsAsWords(interpreted, (await this.vocabularyNow()).synonyms);
    if (cursor?.asWords) return this.run(await asWords(), request, cursor, true);
    const strict = await this.run(interpreted, request, cursor, false);
    if (strict.items.length > 0 || cursor || Object.keys(interpreted.facets).length === 0) return strict;
    // A dimension value read from a word can be the wrong reading ("summer sale posters" is no
    // season): when nothing matches, the words that named dimensions are searched as words.
    return this.run(await asWords(), request, null, true);
  }

  private async run(
    interpreted: InterpretedQuery,
    request: SearchRequest,
    cursor: DecodedCursor | null,
    asWords: boolean,
  ): Promise<SearchResponse> {
    const groups = new Map<string, Set<string>>();
    const add = (family: string, value: string) => {
      const set = groups.get(family) ?? new Set<string>();
      set.add(facetOf(family, value));
      groups.set(family, set);
    };
    for (const colour of interpreted.colours) add('colour', colour);
    if (request.swatch) add('colour', familyOfHex(request.swatch));
    for (const type of interpreted.types) add('type', type);
    for (const [dimension, values] of Object.entries(interpreted.facets))
      for (const value of values) add(`dim:${dimension}`, value);
    for (const [name, values] of Object.entries(request.filters)) {
      const facet = name.startsWith('dim.') ? `dim:${name.slice(4)}` : own(FILTER_FACETS, name);
      if (!facet) {
        throw new AssetflowError(ErrorCodes.VALIDATION_FAILED, `Unknown filter "${name}".`, 400, {
          filter: name,
          known: [...Object.keys(FILTER_FACETS), 'dim.<dimension>', 'from', 'to'],
        });
      }
      for (const value of values) add(facet, value);
    }
    const facetGroups = [...groups.values()].map((values) => [...values]);
    facetGroups.push(...visibilityGroups(request.visibleProjects));

    const from = request.from ?? interpreted.dateRange?.from ?? null;
    const to = request.to ?? interpreted.dateRange?.to ?? null;
    const filtered = groups.size > 0 || from !== null || to !== null || interpreted.unusedSince !== null;
    const sortFor = (reading: Reading) =>
      request.sort ?? (reading === 'filters-only' || interpreted.terms.length === 0 ? 'newest' : 'relevance');
    // A relevance page continues after a score (a number); a newest/oldest one after a date.
    if (cursor && typeof cursor.key === 'number' && sortFor(cursor.reading) !== 'relevance')
      throw badCursor(request.cursor ?? '');
    const filtersOnly = (limit: number, sort: SearchQuery['sort']): SearchQuery => ({
      tsquery: null,
      nameText: null,
      facetGroups,
      from,
      to,
      unusedSince: interpreted.unusedSince,
      sort,
      after: cursor,
      limit,
    });
    // Term groups nothing within the filters has: looked up only once every word together found nothing.
    let unmatched = new Set<number>();
    // One existence probe per distinct word, at most MAX_PROBED_WORDS (words beyond them count as
    // matching nothing): a 500-character query cannot turn into hundreds of lookups.
    const findUnmatched = async () => {
      const missing = new Set<number>();
      // One word on a first page: the all-words reading, which found nothing, was its probe.
      if (!cursor && interpreted.terms.length === 1 && toTsquery(interpreted.terms) !== null)
        return new Set([0]);
      const probed = new Map<string, boolean>();
      for (const [i, group] of interpreted.terms.entries()) {
        const tsquery = toTsquery([group]);
        if (tsquery === null) continue;
        let found = probed.get(tsquery);
        if (found === undefined) {
          found =
            probed.size < MAX_PROBED_WORDS &&
            (await this.deps.search.anyMatch({ ...filtersOnly(1, 'newest'), after: null, tsquery }));
          probed.set(tsquery, found);
        }
        if (!found) missing.add(i);
      }
      return missing;
    };
    // 双间包 → 双肩包: known words one character away from the Chinese runs, only once needed.
    let nearWords: string[] | undefined;
    const nearWordsNow = () => {
      // Bounded per query, not only per run: at most MAX_NEAR_RUNS runs and MAX_NEAR_MISSES words.
      nearWords ??= [
        ...new Set(
          hanRuns(interpreted.text.split(' '))
            .slice(0, MAX_NEAR_RUNS)
            .flatMap((run) => this.nearMisses(run)),
        ),
      ].slice(0, MAX_NEAR_MISSES);
      return nearWords;
    };
    const queryFor = (reading: Reading): SearchQuery => {
      const known = interpreted.terms.filter((_, i) => !unmatched.has(i));
      const base = filtersOnly(request.limit + 1, sortFor(reading));
      if (reading === 'all-words') return { ...base, tsquery: toTsquery(interpreted.terms) };
      if (reading === 'known-words') return { ...base, tsquery: toTsquery(known) };
      if (reading === 'any-word') return { ...base, tsquery: toTsquery([known.flat()]) };
      if (reading === 'name-typo') return { ...base, nameText: interpreted.text || null };
      // No near words (only a later page could see that, after a vocabulary change): an empty
      // tsquery, which matches nothing — never a null one, which would match everything.
      if (reading === 'near-word') return { ...base, tsquery: toTsquery([nearWordsNow()]) ?? "''" };
      return base;
    };
    // The strictest reading that finds anything: a query never comes back empty because of a word
    // nothing has, when a looser reading of it matches. A next page keeps its first page's reading.
    let reading: Reading = cursor?.reading ?? 'all-words';
    if (reading === 'known-words' || reading === 'any-word' || reading === 'filters-only')
      unmatched = await findUnmatched();
    let result = await this.deps.search.search(queryFor(reading));
    if (!cursor && result.hits.length === 0 && interpreted.terms.length > 0) {
      unmatched = await findUnmatched();
      const known = interpreted.terms.length - unmatched.size;
      const looser: Reading[] = [];
      if (unmatched.size > 0 && known > 0) looser.push('known-words');
      if (known > 1) looser.push('any-word');
      if (interpreted.text) looser.push('name-typo');
      if (hanRuns(interpreted.text.split(' ')).length > 0) looser.push('near-word');
      // Only with filters: for an unknown word alone, the whole catalogue is no answer.
      if (filtered) looser.push('filters-only');
      for (const next of looser) {
        // The near words are looked up only when every reading before found nothing.
        if (next === 'near-word' && nearWordsNow().length === 0) continue;
        reading = next;
        result = await this.deps.search.search(queryFor(reading));
        if (result.hits.length > 0) break;
      }
    }
    const { hits, facets, total } = result;
    const page = hits.slice(0, request.limit);
    // One query for the page's records (not one per hit), put back in the hits' order.
    const records = new Map(
      (await this.deps.assets.findMany(page.map((h) => h.assetId))).map((a) => [a.id, a]),
    );
    const items: SearchResponse['items'] = [];
    for (const hit of page) {
      const asset = records.get(hit.assetId);
      if (asset) items.push({ ...asset, score: Math.round(hit.score * 1000) / 1000 });
    }
    const last = page.at(-1);
    const textWords = interpreted.text.split(' ');
    const unknown = new Set([...unmatched].map((i) => textWords[i]));
    const wordUse = (word: string): WordUse =>
      reading !== 'name-typo' && unknown.has(word) ? 'unmatched' : WORD_USE[reading];
    return {
      interpreted: {
        ...interpreted,
        reading,
        words: interpreted.words.map((w) => (SEARCH_WORD.has(w.as) ? { ...w, as: wordUse(w.word) } : w)),
      },
      items,
      total,
      facets: groupFacets(facets),
      facetsExact: total.exact,
      nextCursor:
        hits.length > request.limit && last ? encodeCursor(last.key, last.assetId, reading, asWords) : null,
    };
  }

  /**
   * One node of a rule set's browsing tree: the values of the next level under `path` (one value
   * per level above it) with how many assets each holds, e.g. programme X1 → systems with counts.
   */
  async tree(
    ruleSet: string,
    name: string,
    path: string[],
    visibleProjects: string[] | 'all',
  ): Promise<TreeNode> {
    const plan = (await this.deps.ruleSets.latest(ruleSet))?.plan;
    const tree = plan ? own(plan.store.trees ?? {}, name) : undefined;
    if (!plan || !tree) {
      throw new AssetflowError(ErrorCodes.TREE_NOT_FOUND, `Rule set ${ruleSet} has no tree "${name}".`, 404, {
        ruleSet,
        tree: name,
        trees: Object.keys(plan?.store.trees ?? {}),
      });
    }
    if (path.length >= tree.levels.length) {
      throw new AssetflowError(
        ErrorCodes.VALIDATION_FAILED,
        `The tree "${name}" has ${tree.levels.length} levels.`,
        400,
        {
          levels: tree.levels,
        },
      );
    }
    const familyOf = (level: string) => (plan.store.dimensions[level] ? `dim:${level}` : `field:${level}`);
    const facetGroups = [
      [facetOf('ruleSet', ruleSet)],
      ...path.map((value, i) => [facetOf(familyOf(tree.levels[i]!), value)]),
      ...visibilityGroups(visibleProjects),
    ];
    const { facets } = await this.deps.search.search({
      tsquery: null,
      nameText: null,
      facetGroups,
      from: null,
      to: null,
      unusedSince: null,
      sort: 'newest',
      after: null,
      limit: 1,
      exactCounts: true,
    });
    const level = tree.levels[path.length]!;
    const grouped = groupFacets(facets);
    const counts = grouped[familyOf(level).replace(':', '.')] ?? {};
    const labels = plan.store.dimensions[level]?.values ?? {};
    return {
      tree: name,
      levels: tree.levels,
      path,
      level,
      assets: grouped.ruleSet?.[ruleSet] ?? 0,
      children: Object.entries(counts)
        .map(([value, count]) => ({ value, label: labels[value] ?? null, count }))
        .sort((a, b) => a.value.localeCompare(b.value)),
    };
  }

  /** Known Han words one character from `run`: jieba's dictionary and the rule sets' words. */
  private nearMisses(run: string): string[] {
    if (!this.han) {
      this.han = new HanVocabulary();
      this.han.add(dictionaryWords());
      this.han.add(this.ruleSetWords);
    }
    return this.han.nearMisses(run);
  }

  /** Dimension values (keys and labels) of the latest published rule sets, refreshed every minute. */
  private vocabularyNow(): Promise<SearchVocabulary> {
    if (!this.vocabulary || Date.now() - this.vocabulary.at > 60_000) {
      this.vocabulary = { value: this.loadVocabulary(), at: Date.now() };
    }
    return this.vocabulary.value;
  }

  private async loadVocabulary(): Promise<SearchVocabulary> {
    const dimensions: SearchVocabulary['dimensions'] = [];
    const dimensionNames: NonNullable<SearchVocabulary['dimensionNames']> = [];
    const synonyms = [...DEFAULT_SYNONYMS];
    for (const name of await this.deps.ruleSets.names()) {
      const plan = (await this.deps.ruleSets.latest(name))?.plan;
      synonyms.push(...(plan?.store.synonyms ?? []));
      if (plan) {
        addWords(planWords(plan));
        for (const word of planWords(plan)) this.ruleSetWords.add(word);
        this.han?.add(this.ruleSetWords);
      }
      for (const [dimension, d] of Object.entries(plan?.store.dimensions ?? {})) {
        for (const [value, label] of Object.entries(d.values)) {
          const labels =
            typeof label === 'string'
              ? [label]
              : [
                  label.en,
                  ...(label.zh ? [label.zh] : []),
                  ...('aliases' in label ? (label.aliases ?? []) : []),
                ];
          dimensions.push({ dimension, value, labels });
        }
        dimensionNames.push({ dimension, labels: [d.label.en, ...(d.label.zh ? [d.label.zh] : [])] });
      }
    }
    return { dimensions, dimensionNames, synonyms };
  }
}

/**
 * A facet as search documents store it: `colour:red`, and for keyed families (dimensions, tree
 * fields) `dim:market=US` (see search/search-document.ts).
 */
function facetOf(family: string, value: string): string {
  return family.startsWith('dim:') || family.startsWith('field:')
    ? `${family}=${value}`
    : `${family}:${value}`;
}

/** `colour:red` → {colour: {red: n}}; `dim:market=US` → {'dim.market': {US: n}}. */
function groupFacets(flat: Record<string, number>): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const [facet, count] of Object.entries(flat)) {
    const keyed = facet.startsWith('dim:') || facet.startsWith('field:');
    const [family, value] = keyed
      ? [facet.slice(0, facet.indexOf('=')).replace(':', '.'), facet.slice(facet.indexOf('=') + 1)]
      : [facet.slice(0, facet.indexOf(':')), facet.slice(facet.indexOf(':') + 1)];
    const counts = out[family] ?? {};
    counts[value] = count;
    out[family] = counts;
  }
  return out;
}

/** The last hit's sort key and id, and the reading the first page used. */
function encodeCursor(key: number | string, id: string, reading: Reading, asWords: boolean): string {
  return Buffer.from(JSON.stringify([key, id, READING_CODES.indexOf(reading), asWords ? 1 : 0])).toString(
    'base64url',
  );
}

interface DecodedCursor {
  key: number | string;
  id: string;
  reading: Reading;
  /** The first page searched the dimension words as words. */
  asWords: boolean;
}

function decodeCursor(cursor: string): DecodedCursor {
  try {
    const [key, id, code, asWords] = JSON.parse(
      Buffer.from(cursor, 'base64url').toString('utf8'),
    ) as unknown[];
    const reading = READING_CODES[typeof code === 'number' ? code : 0];
    if (
      ((typeof key === 'number' && Number.isFinite(key)) ||
        (typeof key === 'string' && DATE_KEY.test(key))) &&
      typeof id === 'string' &&
      isUuid(id) &&
      reading
    )
      return { key, id, reading, asWords: asWords === 1 };
  } catch {
    // fall through to the error below
  }
  throw badCursor(cursor);
}

/** The date keys newest/oldest pages (and relevance's tail) continue after (search.repository.ts). */
const DATE_KEY = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/;

function badCursor(cursor: string): AssetflowError {
  return new AssetflowError(ErrorCodes.VALIDATION_FAILED, 'The cursor is not one this API returned.', 400, {
    cursor,
  });
}

/** The facet group that limits results to the caller's projects (none for administrators). */
function visibilityGroups(visible: string[] | 'all'): string[][] {
  if (visible === 'all') return [];
  return [visible.length === 0 ? NO_PROJECT : visible.map((p) => facetOf('project', p))];
}
