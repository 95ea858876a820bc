import { type Kysely, sql } from 'kysely';

/**
 * Saved searches ("smart collections"): a person's query with its facet filters and sort, and the
 * interpretation it had when it was saved (`interpreted`, as search/interpret-query.ts read it on
 * `interpreted_on`). Running one runs that interpretation, so a relative date ("去年春节") or a
 * rule set's vocabulary changing later does not change what it means; only re-interpreting on
 * purpose does. A search may be shared with one team (`users.teams`), whose members may run it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE saved_searches (
      id uuid PRIMARY KEY,
      owner uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      team text,
      name text NOT NULL,
      q text NOT NULL,
      filters jsonb NOT NULL,
      sort text CHECK (sort IN ('relevance', 'newest', 'oldest')),
      interpreted jsonb NOT NULL,
      interpreted_on date NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX saved_searches_owner_idx ON saved_searches (owner)`.execute(db);
  await sql`CREATE INDEX saved_searches_team_idx ON saved_searches (team) WHERE team IS NOT NULL`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE saved_searches`.execute(db);
}
