import { type Kysely, sql } from 'kysely';

/** Who made a version, and their note ("brightened the sky"). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE asset_versions ADD COLUMN created_by text, ADD COLUMN note text`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE asset_versions DROP COLUMN created_by, DROP COLUMN note`.execute(db);
}
