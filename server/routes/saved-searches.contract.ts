import { operation, type Success } from '../contract/operation';
import {
  Closed,
  calendarDay,
  component,
  Nullable,
  StringEnum,
  Timestamp,
  type TSchema,
  Type,
  Uuid,
} from '../contract/schema';
import { InterpretedQuery, searchAssets } from './search.contract';

const Tag = 'Saved searches';

/** A team as users carry it (`users.teams`), the same names grants write as `team:<name>`. */
const TeamName = Type.String({ pattern: '^[\\w.-]{1,64}$', description: 'A team the caller belongs to' });
const Name = Type.String({ minLength: 1, maxLength: 100, description: 'At most 100 characters' });
const Query = Type.String({ maxLength: 500, description: 'The words, as typed (at most 500 characters)' });
const Sort = StringEnum(['relevance', 'newest', 'oldest']);
/**
 * The names of `GET /api/search`'s facet filters: the lists its contract declares, and
 * `dim.<dimension>`. A saved search's filters are checked here, when it is saved, rather than by
 * the search at every run; and the search looks names up in a plain object, where `constructor`
 * would be found (a 500, not a 400).
 */
const FILTER_NAMES = Object.entries(searchAssets.query!.properties)
  .filter(([, schema]) => (schema as { type?: string }).type === 'array')
  .map(([name]) => name);
/** The facet filters of `GET /api/search`, as an object; the sizes keep a stored search small. */
export const Filters = Type.Record(
  Type.String(),
  Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 50 }),
  {
    propertyNames: { pattern: `^(${FILTER_NAMES.join('|')}|dim\\..{1,64})$` },
    maxProperties: 20,
    description:
      'Facet filters as `GET /api/search` takes them (`type`, `colour`, `state`, `ruleSet`, `project`, `month`, `dim.<dimension>`): family → values, values OR’ed; at most 20 families of 50 values',
  },
);
const Today = calendarDay('The day relative dates in `q` count from (default: today)');

export const SavedSearch = component(
  'SavedSearch',
  Closed({
    id: Uuid,
    name: Type.String(),
    owner: Closed({ id: Uuid, name: Type.String() }),
    mine: Type.Boolean({ description: 'Whether the caller owns it (and so may change it)' }),
    team: Nullable(Type.String({ description: 'The team it is shared with' })),
    q: Type.String(),
    filters: Type.Record(Type.String(), Type.Array(Type.String())),
    sort: Nullable(Sort),
    interpreted: InterpretedQuery,
    interpretedOn: calendarDay('The day `interpreted` counted relative dates from'),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  }),
);

const params = Closed({
  // Any string: what is not a saved search the caller may see is a 404, as an unknown id is.
  savedSearchId: Type.String({ description: 'A saved search’s id (a UUID)' }),
});

export const listSavedSearches = operation({
  method: 'get',
  path: '/api/saved-searches',
  operationId: 'listSavedSearches',
  tag: Tag,
  summary: 'The caller’s saved searches and those shared with their teams (most recently changed first, 500)',
  responses: {
    200: { description: 'The saved searches', json: Closed({ savedSearches: Type.Array(SavedSearch) }) },
  },
});

export const createSavedSearch = operation({
  method: 'post',
  path: '/api/saved-searches',
  operationId: 'createSavedSearch',
  tag: Tag,
  summary: 'Save a search with how it is understood now; optionally share it with one of your teams',
  description:
    'The query is interpreted once, now (relative to `today`), and the interpretation is stored: running the saved search later runs that interpretation, so "去年春节" keeps meaning the Spring Festival it meant, and a rule set’s new vocabulary does not change it, until it is re-interpreted on purpose (`PATCH` with `q` or `reinterpret`). At most 100 per person.',
  body: {
    json: Closed({
      name: Name,
      q: Query,
      filters: Type.Optional(Filters),
      sort: Type.Optional(Sort),
      team: Type.Optional(Nullable(TeamName)),
      today: Type.Optional(Today),
    }),
    required: true,
  },
  responses: { 201: { description: 'The saved search with its interpretation', json: SavedSearch } },
  errors: {
    400: 'VALIDATION_FAILED: a blank name, an unknown filter, or a team the caller is not in',
    409: 'TOO_MANY_SAVED_SEARCHES: the caller already keeps 100',
  },
});

export const getSavedSearch = operation({
  method: 'get',
  path: '/api/saved-searches/{savedSearchId}',
  operationId: 'getSavedSearch',
  tag: Tag,
  summary: 'One saved search (its owner’s, or shared with the caller’s team)',
  params,
  responses: { 200: { description: 'The saved search', json: SavedSearch } },
  errors: { 404: 'SAVED_SEARCH_NOT_FOUND: unknown, or neither the caller’s nor shared with their team' },
});

export const updateSavedSearch = operation({
  method: 'patch',
  path: '/api/saved-searches/{savedSearchId}',
  operationId: 'updateSavedSearch',
  tag: Tag,
  summary: 'Rename, share or unshare (`team: null`), change filters or sort, or re-interpret a saved search',
  description:
    'Only its owner may. The stored interpretation changes only when asked: a new `q`, or `reinterpret: true` to read the same words again (relative to `today`, default today: "last month" moves on, new vocabulary applies).',
  params,
  body: {
    json: Closed({
      name: Type.Optional(Name),
      team: Type.Optional(Nullable(TeamName)),
      filters: Type.Optional(Filters),
      sort: Type.Optional(Nullable(Sort)),
      q: Type.Optional(Query),
      reinterpret: Type.Optional(Type.Boolean({ description: 'Interpret the query again' })),
      today: Type.Optional(Today),
    }),
    required: true,
  },
  responses: { 200: { description: 'The saved search as changed', json: SavedSearch } },
  errors: {
    400: 'VALIDATION_FAILED: a blank name, an unknown filter, a team the caller is not in, or `today` without re-interpreting',
    403: 'FORBIDDEN: a team member who is not the owner',
    404: 'SAVED_SEARCH_NOT_FOUND',
  },
});

export const deleteSavedSearch = operation({
  method: 'delete',
  path: '/api/saved-searches/{savedSearchId}',
  operationId: 'deleteSavedSearch',
  tag: Tag,
  summary: 'Delete a saved search (its owner only)',
  params,
  responses: { 204: { description: 'Deleted', empty: true } },
  errors: { 403: 'FORBIDDEN: a team member who is not the owner', 404: 'SAVED_SEARCH_NOT_FOUND' },
});

/** The answer of `GET /api/search`, referred to rather than copied: the two stay one shape. */
const searchResults = (searchAssets.responses[200] as Extract<Success, { json: TSchema }>).json;

export const runSavedSearch = operation({
  method: 'get',
  path: '/api/saved-searches/{savedSearchId}/results',
  operationId: 'runSavedSearch',
  tag: Tag,
  summary: 'What a saved search finds now, by its stored interpretation (a live smart collection)',
  description:
    'The same answer as `GET /api/search`, with `interpreted` the stored interpretation. Only assets the caller can see are found or counted, whoever saved the search.',
  params,
  query: Type.Object({
    cursor: Type.Optional(Type.String({ description: '`nextCursor` of the previous page' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  }),
  responses: { 200: { description: 'One page of results with facet counts', json: searchResults } },
  errors: {
    400: 'VALIDATION_FAILED: a cursor this API did not return',
    404: 'SAVED_SEARCH_NOT_FOUND',
  },
});

export const savedSearchesOperations = [
  listSavedSearches,
  createSavedSearch,
  getSavedSearch,
  updateSavedSearch,
  deleteSavedSearch,
  runSavedSearch,
];
