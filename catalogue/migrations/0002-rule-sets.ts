import { type Kysely, sql } from 'kysely';

/** Published rule sets: every version kept, with its YAML source and compiled plan. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE rule_sets (
      name        text NOT NULL,
      version     integer NOT NULL CHECK (version >= 1),
      source      text NOT NULL,
      plan        jsonb NOT NULL,
      plan_sha256 text NOT NULL,
      created_at  timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (name, version)
    )`.execute(db);
  await sql`ALTER TABLE assets ADD COLUMN rule_set_version integer`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE assets DROP COLUMN rule_set_version`.execute(db);
  await sql`DROP TABLE rule_sets`.execute(db);
}
