import { type Kysely, sql } from 'kysely';

/**
 * The search index's GIN indexes keep small pending lists. PostgreSQL appends new entries to an
 * unsorted list (4 MB by default) that every search reads through until it is merged: after bulk
 * writes a one-word search spent 2.2 ms in it against 0.09 ms with it empty (100 000 documents).
 * At 256 kB the worst case measured 0.4 ms, and single-document writes cost 110 µs instead of 70 µs.
 */
const GIN_INDEXES = [
  'search_documents_words_idx',
  'search_documents_facets_idx',
  'search_documents_name_trgm_idx',
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const index of GIN_INDEXES)
    await sql`ALTER INDEX ${sql.id(index)} SET (gin_pending_list_limit = 256)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const index of GIN_INDEXES)
    await sql`ALTER INDEX ${sql.id(index)} RESET (gin_pending_list_limit)`.execute(db);
}
