import { type Kysely, sql } from 'kysely';

/** Tags a person added or confirmed (tag → who and when), mirrored by the asset's workflow. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE assets ADD COLUMN tag_sources jsonb`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE assets DROP COLUMN tag_sources`.execute(db);
}
