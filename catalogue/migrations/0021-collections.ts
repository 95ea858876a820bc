import { type Kysely, sql } from 'kysely';

/**
 * Collections (lightboxes): a named, ordered set of assets kept by a person, optionally shared with
 * one of their teams, whose members may change what it holds. `position` orders the items; an
 * asset appears once per collection. Deleting a collection deletes its items; an asset is never
 * deleted from the catalogue (purged ones keep their row), so items need no cascade from assets.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE collections (
      id uuid PRIMARY KEY,
      owner uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      team text,
      name text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX collections_owner_idx ON collections (owner)`.execute(db);
  await sql`CREATE INDEX collections_team_idx ON collections (team) WHERE team IS NOT NULL`.execute(db);
  await sql`
    CREATE TABLE collection_items (
      collection_id uuid NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
      asset_id uuid NOT NULL REFERENCES assets (id),
      position integer NOT NULL,
      added_by uuid NOT NULL,
      added_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (collection_id, asset_id)
    )`.execute(db);
  await sql`CREATE INDEX collection_items_asset_idx ON collection_items (asset_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE collection_items`.execute(db);
  await sql`DROP TABLE collections`.execute(db);
}
