import { type Kysely, sql } from 'kysely';

/** Finding the distribution event a watermark payload was issued with (tracing a leak). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX audit_events_watermark_idx ON audit_events ((details->>'watermark')) WHERE details ? 'watermark'`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX audit_events_watermark_idx`.execute(db);
}
