import { sql } from 'kysely';
import type { SearchDocument } from '../search/search-document';
import type { CatalogueDb } from './database';

/** How documents are written to `search_documents`: as weighted tsvectors, a batch per statement. */
/** Writes documents in one statement; a document already in `search_documents` is replaced. */
export async function upsertDocuments(db: CatalogueDb, docs: readonly SearchDocument[]): Promise<void> {
  if (docs.length === 0) return;
  await sql`
    INSERT INTO search_documents (asset_id, name, words, facets, made_on, last_used_at, created_at)
    ${documentRows(docs)}
    ON CONFLICT (asset_id) DO UPDATE SET
      name = EXCLUDED.name, words = EXCLUDED.words, facets = EXCLUDED.facets, made_on = EXCLUDED.made_on,
      last_used_at = EXCLUDED.last_used_at, created_at = EXCLUDED.created_at`.execute(db);
}

/** The documents as one JSON parameter that PostgreSQL unpacks: one parse whatever the batch size. */
function documentRows(docs: readonly SearchDocument[]) {
  const json = JSON.stringify(
    docs.map((d) => ({
      asset_id: d.assetId,
      name: d.name,
      words: weightedTsvector(d.words),
      facets: d.facets,
      made_on: d.madeOn,
      last_used_at: d.lastUsedAt,
      created_at: d.createdAt,
    })),
  );
  return sql`
    SELECT asset_id, name, words::tsvector, facets, made_on, last_used_at, created_at
    FROM jsonb_to_recordset(${json}::text::jsonb) AS d(asset_id uuid, name text, words text,
      facets text[], made_on date, last_used_at timestamptz, created_at timestamptz)`;
}

const WEIGHT_POSITIONS = [
  ['A', '1A'],
  ['B', '2B'],
  ['C', '3C'],
] as const;

/**
 * A document's words as a tsvector literal with their weights: A the name, B tags and
 * classification, C the rest. Weights live on positions, so each class has one (1, 2, 3): built
 * from bare lexemes (array_to_tsvector) a vector has none, and ts_rank scores a word in the name
 * the same as one in a comment.
 */
export function weightedTsvector(words: SearchDocument['words']): string {
  // A rebuild writes this for every document: one map of word → positions, appended in class
  // order, so a repeat within a class only has to look at the last position written.
  const positions = new Map<string, string>();
  for (const [weight, position] of WEIGHT_POSITIONS) {
    for (const word of words[weight]) {
      if (word.length === 0) continue;
      const at = positions.get(word);
      if (at === undefined) positions.set(word, position);
      else if (!at.endsWith(position)) positions.set(word, `${at},${position}`);
    }
  }
  let literal = '';
  for (const [word, at] of positions) {
    const quoted =
      word.includes("'") || word.includes('\\') ? word.replace(/\\/g, '\\\\').replace(/'/g, "''") : word;
    literal += literal.length === 0 ? `'${quoted}':${at}` : ` '${quoted}':${at}`;
  }
  return literal;
}
