import { type RawBuilder, sql } from 'kysely';

/**
 * A value bound as jsonb. The parameter is JSON text typed explicitly as `text`: postgres.js
 * JSON-encodes any parameter the server reports as jsonb (so a string would be stored as a JSON
 * string), and PGlite does not; through `text` both drivers send the same bytes.
 */
export function jsonb(value: unknown): RawBuilder<string> {
  return sql<string>`cast(cast(${JSON.stringify(value)} as text) as jsonb)`;
}
