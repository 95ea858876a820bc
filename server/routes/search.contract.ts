import { BASIC_COLOUR_NAMES } from '../../imaging/colour-names';
import { operation } from '../contract/operation';
import { Closed, calendarDay, component, Nullable, StringEnum, Type } from '../contract/schema';
import { Asset } from './assets.contract';
import { LocalisedText } from './rule-sets.contract';

/** YYYY-MM-DD. */
const Day = calendarDay;
/** A facet filter: repeat it for OR (`?colour=red&colour=blue`). */
const Filter = (description: string) => Type.Optional(Type.Array(Type.String(), { description }));

/** How the query was read (search/interpret-query.ts). */
export const InterpretedQuery = component(
  'InterpretedQuery',
  Closed({
    dateRange: Nullable(Closed({ from: Type.String(), to: Type.String() })),
    unusedSince: Nullable(Type.String()),
    colours: Type.Array(StringEnum(Object.keys(BASIC_COLOUR_NAMES))),
    types: Type.Array(Type.String()),
    facets: Type.Record(Type.String(), Type.Array(Type.String()), {
      description: 'Dimension values the words named',
    }),
    text: Type.String({ description: 'The words left for full-text search' }),
    terms: Type.Array(Type.Array(Type.String()), {
      description: 'Each word with its synonyms: every group must match, any word of a group',
    }),
    words: Type.Array(
      Closed({
        word: Type.String(),
        as: StringEnum(
          ['filler', 'time', 'colour', 'type', 'dimension', 'required', 'ranked', 'name', 'unmatched'],
          {
            description:
              'filler: ignored (找一下, show me); time/colour/type/dimension: became a filter; required: every such word matched; ranked: any matched, more matching words rank higher; name: read as a misspelt name; unmatched: nothing within the filters has it, so it was dropped',
          },
        ),
        dimension: Type.Optional(Type.String()),
        value: Type.Optional(
          Type.String({ description: 'The dimension value, colour family or type selected' }),
        ),
      }),
      { description: 'Every word of the query, in order, and what it was used as' },
    ),
    reading: StringEnum(['all-words', 'known-words', 'any-word', 'name-typo', 'near-word', 'filters-only'], {
      description:
        'Which reading of the search words the results come from: the strictest that finds anything (all words; the words something has, the others dropped; any word, ranked; the words as a misspelt name; the understood filters alone, when there are any)',
    }),
  }),
);

const SearchHit = component('SearchHit', Closed({ ...Asset.properties, score: Type.Number() }));

export const searchAssets = operation({
  method: 'get',
  path: '/api/search',
  operationId: 'searchAssets',
  tag: 'Search',
  summary: 'Natural-language search (Chinese and English) with facets and keyset pages',
  description:
    'The query is read for time (去年春节, last month, since June, 去年夏天, 上周五, 国庆前后, last Black Friday; lunar holidays per year), colours (incl. brand colours such as Tiffany blue), asset types and dimension values by key or label in either language, which become filters; filler (找一下, show me, 图) is ignored; the rest is full text over names, tags, classification, metadata, EXIF and OCR text, with synonyms and prefixes. Every search word must match; when that finds nothing, words nothing has are dropped, then any word matches (more matching words rank higher), then the words are read as a misspelt name (trigram match), then the understood filters alone answer. `interpreted.words` says how each word was used and `interpreted.reading` which reading answered. Filters: `type`, `colour`, `state`, `ruleSet`, `project`, `month`, `dim.<dimension>` (repeat for OR), `from`/`to` (YYYY-MM-DD); any other parameter is refused. `total` and `facets` count every value over all matches exactly up to a cap (10 000 matches); beyond it they are estimates from a sample of the catalogue, marked by `total.exact` and `facetsExact` being false. On broad queries only the newest 1 000 matches are ranked by relevance; the rest follow newest first. Only assets the caller can see are found or counted.',
  query: Type.Object(
    {
      q: Type.Optional(Type.String({ maxLength: 500, description: 'What to look for, in words' })),
      sort: Type.Optional(StringEnum(['relevance', 'newest', 'oldest'])),
      cursor: Type.Optional(Type.String({ description: '`nextCursor` of the previous page' })),
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
      swatch: Type.Optional(
        Type.String({
          pattern: '^#?[0-9a-fA-F]{6}$',
          description: 'Colour search by swatch: assets whose dominant colours share its family',
        }),
      ),
      from: Type.Optional(Day('Made on or after')),
      to: Type.Optional(Day('Made on or before')),
      today: Type.Optional(Day('What relative dates count from (default: today)')),
      type: Filter('Asset type: poster, banner, photo, video, document…'),
      colour: Filter('Colour family: red, blue…'),
      color: Filter('Same as colour'),
      state: Filter('Lifecycle state'),
      ruleSet: Filter('Rule set'),
      project: Filter('Project'),
      month: Filter('YYYY-MM'),
    },
    {
      // `dim.<dimension>` filters; an unknown name is refused by the search (400 naming it).
      additionalProperties: Type.Array(Type.String()),
    },
  ),
  responses: {
    200: {
      description:
        'One page of results, the match count and facet counts (exact or estimated), and the next page’s cursor',
      json: Closed({
        interpreted: InterpretedQuery,
        items: Type.Array(SearchHit),
        total: Closed(
          {
            count: Type.Integer({ minimum: 0 }),
            exact: Type.Boolean({
              description: 'false: more matches than the count cap, and `count` is an estimate',
            }),
          },
          { description: 'How many assets match' },
        ),
        facetsExact: Type.Boolean({
          description: 'false: `facets` are estimates from a sample (more matches than the count cap)',
        }),
        facets: Type.Record(Type.String(), Type.Record(Type.String(), Type.Integer({ minimum: 0 })), {
          description: 'Family → value → count, e.g. {colour: {red: 3}, "dim.market": {US: 2}}',
        }),
        nextCursor: Nullable(Type.String()),
      }),
    },
  },
  errors: {
    400: 'VALIDATION_FAILED: an unknown filter (`details.filter`) or a cursor this API did not return',
  },
});

export const browseTree = operation({
  method: 'get',
  path: '/api/trees/{ruleSet}/{tree}',
  operationId: 'browseTree',
  tag: 'Search',
  summary: "A node of a rule set's browsing tree: the next level's values with asset counts",
  description:
    'e.g. `GET /api/trees/automotive/parts?path=X1/powertrain`. Counts only assets the caller can see.',
  params: Closed({ ruleSet: Type.String(), tree: Type.String() }),
  query: Type.Object({
    path: Type.Optional(Type.String({ description: 'Values of the levels above, joined by /' })),
  }),
  responses: {
    200: {
      description: 'The node',
      json: Closed({
        tree: Type.String(),
        levels: Type.Array(Type.String()),
        path: Type.Array(Type.String()),
        level: Type.String({ description: 'The level whose values `children` lists' }),
        assets: Type.Integer({ minimum: 0, description: 'Assets under `path`' }),
        children: Type.Array(
          Closed({
            value: Type.String(),
            label: Type.Union([Type.String(), LocalisedText, Type.Null()]),
            count: Type.Integer({ minimum: 0 }),
          }),
        ),
      }),
    },
  },
  errors: {
    400: 'VALIDATION_FAILED: a path deeper than the tree',
    404: 'TREE_NOT_FOUND',
  },
});

export const searchOperations = [searchAssets, browseTree];
