import { type Kysely, sql } from 'kysely';

/**
 * Search at a million assets: a GiST trigram index on names, which answers "the names nearest
 * this text" by KNN ordering (`text <<-> name … LIMIT n`) instead of scoring every name — the
 * typo fallback matches every asset when the misspelt word is in every name. It also serves the
 * `<%` filter, so the GIN trigram index on names is dropped (one less index to maintain on every
 * write and to build in `search reindex`).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX search_documents_name_gist_idx ON search_documents USING gist (name gist_trgm_ops)`.execute(
    db,
  );
  await sql`DROP INDEX search_documents_name_trgm_idx`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX search_documents_name_trgm_idx ON search_documents USING gin (name gin_trgm_ops)`.execute(
    db,
  );
  await sql`DROP INDEX search_documents_name_gist_idx`.execute(db);
}
