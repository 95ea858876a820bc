import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { InterpretedQuery } from '../search/interpret-query';
import type { CatalogueDb } from './database';
import { jsonb } from './json';

export type SavedSearchSort = 'relevance' | 'newest' | 'oldest';

/** What a saved search stores besides its id, owner and times. */
export interface SavedSearchFields {
  name: string;
  team: string | null;
  q: string;
  filters: Record<string, string[]>;
  sort: SavedSearchSort | null;
  interpreted: InterpretedQuery;
  /** YYYY-MM-DD: the day relative dates in `q` were counted from. */
  interpretedOn: string;
}

export interface SavedSearchRecord extends SavedSearchFields {
  id: string;
  owner: { id: string; name: string };
  createdAt: string;
  updatedAt: string;
}

/** Saved searches: a person's own, and those shared with one of their teams. */
export class SavedSearchRepository {
  constructor(private readonly db: CatalogueDb) {}

  async create(owner: string, fields: SavedSearchFields): Promise<SavedSearchRecord> {
    const id = randomUUID();
    await this.db
      .insertInto('saved_searches')
      .values({ id, owner, ...columnsOf(fields) })
      .execute();
    return (await this.byId(id))!;
  }

  async byId(id: string): Promise<SavedSearchRecord | undefined> {
    const row = await this.select().where('s.id', '=', id).executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  /** The owner's searches and those shared with any of `teams`, most recently changed first. */
  async visibleTo(owner: string, teams: string[], limit: number): Promise<SavedSearchRecord[]> {
    const rows = await this.select()
      .where((eb) => eb.or([eb('s.owner', '=', owner), ...(teams.length ? [eb('s.team', 'in', teams)] : [])]))
      .orderBy('s.updated_at', 'desc')
      .orderBy('s.id')
      .limit(limit)
      .execute();
    return rows.map(toRecord);
  }

  async countOwnedBy(owner: string): Promise<number> {
    const row = await this.db
      .selectFrom('saved_searches')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('owner', '=', owner)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async update(id: string, fields: SavedSearchFields): Promise<SavedSearchRecord | undefined> {
    const updated = await this.db
      .updateTable('saved_searches')
      .set({ ...columnsOf(fields), updated_at: sql<Date>`now()` })
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(updated.numUpdatedRows) > 0 ? this.byId(id) : undefined;
  }

  async delete(id: string): Promise<boolean> {
    const deleted = await this.db.deleteFrom('saved_searches').where('id', '=', id).executeTakeFirst();
    return Number(deleted.numDeletedRows) > 0;
  }

  private select() {
    return selectFrom(this.db);
  }
}

function selectFrom(db: CatalogueDb) {
  return db
    .selectFrom('saved_searches as s')
    .innerJoin('users as u', 'u.id', 's.owner')
    .select([
      's.id',
      's.owner',
      'u.name as ownerName',
      's.team',
      's.name',
      's.q',
      's.filters',
      's.sort',
      's.interpreted',
      sql<string>`s.interpreted_on::text`.as('interpretedOn'),
      's.created_at',
      's.updated_at',
    ]);
}

function columnsOf(fields: SavedSearchFields) {
  return {
    name: fields.name,
    team: fields.team,
    q: fields.q,
    filters: jsonb(fields.filters),
    sort: fields.sort,
    interpreted: jsonb(fields.interpreted),
    interpreted_on: fields.interpretedOn,
  };
}

type Row = Awaited<ReturnType<ReturnType<typeof selectFrom>['executeTakeFirstOrThrow']>>;

function toRecord(row: Row): SavedSearchRecord {
  return {
    id: row.id,
    owner: { id: row.owner, name: row.ownerName },
    team: row.team,
    name: row.name,
    q: row.q,
    filters: row.filters as Record<string, string[]>,
    sort: row.sort,
    interpreted: row.interpreted as InterpretedQuery,
    interpretedOn: row.interpretedOn,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}
