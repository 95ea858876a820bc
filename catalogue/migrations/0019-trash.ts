import { type Kysely, sql } from 'kysely';

/**
 * The trash: the workflow mirrors who moved an asset there, when, the state it left and when the
 * trash empties itself of it (null when the asset is not in the trash). Listing the trash reads
 * `state = 'trashed'`, which the state index already serves.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE assets ADD COLUMN trashed jsonb`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE assets DROP COLUMN trashed`.execute(db);
}
