import { type Kysely, sql } from 'kysely';

/** What the lifecycle workflow mirrors besides the state: freeze, legal hold, tier, tags, compliance. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE assets
      ADD COLUMN frozen jsonb,
      ADD COLUMN legal_hold jsonb,
      ADD COLUMN tier text NOT NULL DEFAULT 'hot' CHECK (tier IN ('hot', 'cold')),
      ADD COLUMN tags text[] NOT NULL DEFAULT '{}',
      ADD COLUMN compliance jsonb,
      ADD COLUMN last_used_at timestamptz,
      ADD COLUMN purged_at timestamptz`.execute(db);
  await sql`CREATE INDEX assets_tags_idx ON assets USING gin (tags)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX assets_tags_idx`.execute(db);
  await sql`
    ALTER TABLE assets
      DROP COLUMN frozen, DROP COLUMN legal_hold, DROP COLUMN tier, DROP COLUMN tags,
      DROP COLUMN compliance, DROP COLUMN last_used_at, DROP COLUMN purged_at`.execute(db);
}
