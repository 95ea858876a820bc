import { type Kysely, sql } from 'kysely';

/**
 * Credentials that can be managed (security review M7, L11):
 * - sessions get an id (to list and revoke them without showing their secret's digest), when they
 *   were last seen (inactivity expiry), and the address and browser they were signed in from;
 * - API tokens expire. Tokens made before this migration had no expiry: they get 90 days from now,
 *   so no script stops at the upgrade and no token lives forever;
 * - share links count wrong passwords across all addresses and lock after too many.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE sessions
      ADD COLUMN id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
      ADD COLUMN last_seen_at timestamptz NOT NULL DEFAULT now(),
      ADD COLUMN address text,
      ADD COLUMN user_agent text`.execute(db);
  await sql`CREATE INDEX sessions_user ON sessions (user_id)`.execute(db);
  await sql`ALTER TABLE api_tokens ADD COLUMN expires_at timestamptz`.execute(db);
  await sql`UPDATE api_tokens SET expires_at = now() + interval '90 days'`.execute(db);
  await sql`ALTER TABLE api_tokens ALTER COLUMN expires_at SET NOT NULL`.execute(db);
  await sql`CREATE INDEX api_tokens_user ON api_tokens (user_id)`.execute(db);
  await sql`ALTER TABLE shares ADD COLUMN password_failures integer NOT NULL DEFAULT 0`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE shares DROP COLUMN password_failures`.execute(db);
  await sql`DROP INDEX api_tokens_user`.execute(db);
  await sql`ALTER TABLE api_tokens DROP COLUMN expires_at`.execute(db);
  await sql`DROP INDEX sessions_user`.execute(db);
  await sql`ALTER TABLE sessions DROP COLUMN id, DROP COLUMN last_seen_at, DROP COLUMN address, DROP COLUMN user_agent`.execute(
    db,
  );
}
