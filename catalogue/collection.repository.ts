import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { CatalogueDb } from './database';

export interface CollectionRecord {
  id: string;
  name: string;
  owner: { id: string; name: string };
  team: string | null;
  /** Its items' asset ids in order, whoever may see them. */
  assetIds: string[];
  createdAt: string;
  updatedAt: string;
}

/** A collection as a list shows it: how many assets it holds, not which. */
export type CollectionSummaryRecord = Omit<CollectionRecord, 'assetIds'> & { assetCount: number };

/** Collections (lightboxes): a person's own, and those shared with one of their teams. */
export class CollectionRepository {
  constructor(private readonly db: CatalogueDb) {}

  async create(owner: string, fields: { name: string; team: string | null }): Promise<CollectionRecord> {
    const id = randomUUID();
    await this.db
      .insertInto('collections')
      .values({ id, owner, name: fields.name, team: fields.team })
      .execute();
    return (await this.byId(id))!;
  }

  async byId(id: string): Promise<CollectionRecord | undefined> {
    const row = await this.select().where('c.id', '=', id).executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  /** The owner's collections and those shared with any of `teams`, most recently changed first. */
  async visibleTo(owner: string, teams: string[], limit: number): Promise<CollectionSummaryRecord[]> {
    const rows = await this.selectSummary()
      .where((eb) => eb.or([eb('c.owner', '=', owner), ...(teams.length ? [eb('c.team', 'in', teams)] : [])]))
      .orderBy('c.updated_at', 'desc')
      .orderBy('c.id')
      .limit(limit)
      .execute();
    return rows.map(({ assetCount, ...row }) => ({ ...toSummary(row), assetCount: Number(assetCount) }));
  }

  async countOwnedBy(owner: string): Promise<number> {
    const row = await this.db
      .selectFrom('collections')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('owner', '=', owner)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async update(
    id: string,
    fields: { name: string; team: string | null },
  ): Promise<CollectionRecord | undefined> {
    const updated = await this.db
      .updateTable('collections')
      .set({ name: fields.name, team: fields.team, updated_at: sql<Date>`now()` })
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(updated.numUpdatedRows) > 0 ? this.byId(id) : undefined;
  }

  /**
   * Makes `assetIds` the collection's items, in this order, in one transaction: items not listed
   * are removed, the kept ones keep who added them and when. Locks the collection's row first, so
   * two changes at once apply one after the other rather than interleave.
   */
  async setItems(id: string, assetIds: readonly string[], by: string): Promise<CollectionRecord | undefined> {
    const found = await this.db.transaction().execute(async (tx) => {
      const locked = await tx
        .selectFrom('collections')
        .select('id')
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst();
      if (!locked) return false;
      await tx
        .deleteFrom('collection_items')
        .where('collection_id', '=', id)
        .where(sql<boolean>`NOT (asset_id = ANY(${[...assetIds]}::uuid[]))`)
        .execute();
      if (assetIds.length > 0)
        await sql`
          INSERT INTO collection_items (collection_id, asset_id, position, added_by)
          SELECT ${id}::uuid, t.asset_id, t.position - 1, ${by}::uuid
          FROM unnest(${[...assetIds]}::uuid[]) WITH ORDINALITY AS t(asset_id, position)
          ON CONFLICT (collection_id, asset_id) DO UPDATE SET position = EXCLUDED.position`.execute(tx);
      await tx
        .updateTable('collections')
        .set({ updated_at: sql<Date>`now()` })
        .where('id', '=', id)
        .execute();
      return true;
    });
    return found ? this.byId(id) : undefined;
  }

  async delete(id: string): Promise<boolean> {
    const deleted = await this.db.deleteFrom('collections').where('id', '=', id).executeTakeFirst();
    return Number(deleted.numDeletedRows) > 0;
  }

  private selectSummary() {
    return this.db
      .selectFrom('collections as c')
      .innerJoin('users as u', 'u.id', 'c.owner')
      .select(['c.id', 'c.owner', 'u.name as ownerName', 'c.team', 'c.name', 'c.created_at', 'c.updated_at'])
      .select(
        sql<string>`(SELECT count(*) FROM collection_items i WHERE i.collection_id = c.id)`.as('assetCount'),
      );
  }

  private select() {
    return this.db
      .selectFrom('collections as c')
      .innerJoin('users as u', 'u.id', 'c.owner')
      .select(['c.id', 'c.owner', 'u.name as ownerName', 'c.team', 'c.name', 'c.created_at', 'c.updated_at'])
      .select(
        sql<
          string[]
        >`ARRAY(SELECT i.asset_id::text FROM collection_items i WHERE i.collection_id = c.id ORDER BY i.position)`.as(
          'assetIds',
        ),
      );
  }
}

interface SummaryRow {
  id: string;
  owner: string;
  ownerName: string;
  team: string | null;
  name: string;
  created_at: Date | string;
  updated_at: Date | string;
}

function toSummary(row: SummaryRow): Omit<CollectionRecord, 'assetIds'> {
  return {
    id: row.id,
    name: row.name,
    owner: { id: row.owner, name: row.ownerName },
    team: row.team,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

function toRecord(row: SummaryRow & { assetIds: string[] }): CollectionRecord {
  return { ...toSummary(row), assetIds: row.assetIds };
}
