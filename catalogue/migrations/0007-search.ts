import { type Kysely, sql } from 'kysely';

/**
 * Search: the values an asset holds per classification dimension, and one search document per
 * asset. Words are a tsvector built from tokens segmented in the application (jieba for
 * Chinese), so PostgreSQL's parser never has to understand Chinese; facets are strings such as
 * `colour:red` or `dim:market=US`, whose GIN index serves both filters and facet counts.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE assets ADD COLUMN dimensions jsonb NOT NULL DEFAULT '{}'::jsonb`.execute(db);
  await sql`
    CREATE TABLE search_documents (
      asset_id uuid PRIMARY KEY REFERENCES assets (id) ON DELETE CASCADE,
      name text NOT NULL,
      words tsvector NOT NULL,
      facets text[] NOT NULL,
      made_on date NOT NULL,
      last_used_at timestamptz,
      created_at timestamptz NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX search_documents_words_idx ON search_documents USING gin (words)`.execute(db);
  await sql`CREATE INDEX search_documents_facets_idx ON search_documents USING gin (facets)`.execute(db);
  await sql`CREATE INDEX search_documents_name_trgm_idx ON search_documents USING gin (name gin_trgm_ops)`.execute(
    db,
  );
  await sql`CREATE INDEX search_documents_made_on_idx ON search_documents (made_on)`.execute(db);
  await sql`CREATE INDEX search_documents_created_idx ON search_documents (created_at, asset_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE search_documents`.execute(db);
  await sql`ALTER TABLE assets DROP COLUMN dimensions`.execute(db);
}
