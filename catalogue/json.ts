import { type RawBuilder, sql } from 'kysely';

/**
 * A value bound as jsonb. Passing JSON text with an explicit cast behaves the same under PGlite and
 * postgres.js, whose implicit parameter typing differs.
 */
export function jsonb(value: unknown): RawBuilder<string> {
  return sql<string>`cast(${JSON.stringify(value)} as jsonb)`;
}
