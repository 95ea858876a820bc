import type {
  SavedSearchFields,
  SavedSearchRecord,
  SavedSearchRepository,
  SavedSearchSort,
} from '../catalogue/saved-search.repository';
import { AssetflowError, ErrorCodes } from '../domain/errors';
import { isUuid } from '../domain/ids';
import type { Principal } from '../policy/access';
import { savedSearchNotFound } from './access.service';
import type { SearchResponse, SearchService } from './search.service';
import { nameOf, refuseForeignTeam } from './team-sharing';

/** How many saved searches one person may own, and how many a listing answers. */
export const SAVED_SEARCH_LIMITS = { perOwner: 100, listed: 500 } as const;

export interface NewSavedSearch {
  name: string;
  q: string;
  filters?: Record<string, string[]> | undefined;
  sort?: SavedSearchSort | undefined;
  team?: string | null | undefined;
  /** YYYY-MM-DD that relative dates in `q` count from. */
  today: string;
}

export interface SavedSearchChange {
  name?: string | undefined;
  team?: string | null | undefined;
  filters?: Record<string, string[]> | undefined;
  sort?: SavedSearchSort | null | undefined;
  /** A new query: it is interpreted afresh (on `today`). */
  q?: string | undefined;
  /** Read the (unchanged) query again, on `today`: a relative date moves on, new vocabulary applies. */
  reinterpret?: boolean | undefined;
  today: string;
  /** Whether the request named `today` itself (it means something only when re-interpreting). */
  todayGiven: boolean;
}

/**
 * Saved searches ("smart collections"). A saved search keeps the interpretation its query had
 * when it was saved and always runs that one (SearchService.searchInterpreted), so its meaning
 * does not drift with the date or the rule sets' vocabulary; new assets that match appear. Who may
 * see or change one is decided by the policy (policy/policy.ts, `saved-search`) before this runs;
 * what a run finds is limited to what the *caller* may see.
 */
export class SavedSearchService {
  constructor(
    private readonly deps: {
      savedSearches: SavedSearchRepository;
      search: Pick<SearchService, 'interpret' | 'searchInterpreted'>;
    },
  ) {}

  /** The caller's own saved searches and those shared with one of their teams. */
  list(actor: Principal): Promise<SavedSearchRecord[]> {
    return this.deps.savedSearches.visibleTo(actor.id, actor.teams, SAVED_SEARCH_LIMITS.listed);
  }

  async create(actor: Principal, input: NewSavedSearch): Promise<SavedSearchRecord> {
    refuseForeignTeam(actor, input.team ?? null);
    // Counted before inserting: two saves at once may pass one over the limit, which is harmless.
    const owned = await this.deps.savedSearches.countOwnedBy(actor.id);
    if (owned >= SAVED_SEARCH_LIMITS.perOwner) {
      throw new AssetflowError(
        ErrorCodes.TOO_MANY_SAVED_SEARCHES,
        `You have ${owned} saved searches, the most one person may keep; delete one first.`,
        409,
        { limit: SAVED_SEARCH_LIMITS.perOwner },
      );
    }
    const fields: SavedSearchFields = {
      name: nameOf(input.name, 'saved search'),
      team: input.team ?? null,
      q: input.q,
      filters: input.filters ?? {},
      sort: input.sort ?? null,
      interpreted: await this.deps.search.interpret(input.q, input.today),
      interpretedOn: input.today,
    };
    return this.deps.savedSearches.create(actor.id, fields);
  }

  async get(id: string): Promise<SavedSearchRecord> {
    const found = isUuid(id) ? await this.deps.savedSearches.byId(id) : undefined;
    if (!found) throw savedSearchNotFound(id);
    return found;
  }

  async update(actor: Principal, id: string, change: SavedSearchChange): Promise<SavedSearchRecord> {
    const current = await this.get(id);
    const reinterpret = change.q !== undefined || change.reinterpret === true;
    if (change.todayGiven && !reinterpret) {
      throw new AssetflowError(
        ErrorCodes.VALIDATION_FAILED,
        '`today` is read only when the query is interpreted again (a new `q`, or `reinterpret: true`).',
        400,
        { field: 'today' },
      );
    }
    if (change.team !== undefined && change.team !== current.team) refuseForeignTeam(actor, change.team);
    const q = change.q ?? current.q;
    const fields: SavedSearchFields = {
      name: change.name === undefined ? current.name : nameOf(change.name, 'saved search'),
      team: change.team === undefined ? current.team : change.team,
      q,
      filters: change.filters ?? current.filters,
      sort: change.sort === undefined ? current.sort : change.sort,
      interpreted: reinterpret ? await this.deps.search.interpret(q, change.today) : current.interpreted,
      interpretedOn: reinterpret ? change.today : current.interpretedOn,
    };
    const updated = await this.deps.savedSearches.update(current.id, fields);
    if (!updated) throw savedSearchNotFound(id);
    return updated;
  }

  async delete(id: string): Promise<void> {
    if (!isUuid(id) || !(await this.deps.savedSearches.delete(id))) throw savedSearchNotFound(id);
  }

  /**
   * One page of what the saved search finds now, by its stored interpretation, among the assets
   * `visibleProjects` (the caller's, never the owner's) allows.
   */
  async results(
    id: string,
    page: { cursor?: string | undefined; limit: number; visibleProjects: string[] | 'all' },
  ): Promise<SearchResponse> {
    const saved = await this.get(id);
    return this.run(saved, page);
  }

  private run(
    saved: SavedSearchFields,
    page: { cursor?: string | undefined; limit: number; visibleProjects: string[] | 'all' },
  ): Promise<SearchResponse> {
    return this.deps.search.searchInterpreted(saved.interpreted, {
      q: saved.q,
      filters: saved.filters,
      ...(saved.sort ? { sort: saved.sort } : {}),
      ...(page.cursor ? { cursor: page.cursor } : {}),
      limit: page.limit,
      today: saved.interpretedOn,
      visibleProjects: page.visibleProjects,
    });
  }
}
