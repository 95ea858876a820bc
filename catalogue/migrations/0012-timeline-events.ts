import { type Kysely, sql } from 'kysely';

/**
 * The timeline holds every event of an asset's life, not only state changes: what happened
 * (`frozen`, `metadata-changed`, `migrated`…) and who did it. Rows from before keep both null.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE asset_transitions ADD COLUMN event text, ADD COLUMN actor text`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE asset_transitions DROP COLUMN event, DROP COLUMN actor`.execute(db);
}
