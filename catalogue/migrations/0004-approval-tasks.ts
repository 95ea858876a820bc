import { type Kysely, sql } from 'kysely';

/** The reviewers' inbox: one row per approval step, kept current by approval workflows. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE approval_tasks (
      approval_id   text NOT NULL,
      node          text NOT NULL,
      asset_id      uuid NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
      flow          text NOT NULL,
      users         text[] NOT NULL DEFAULT '{}',
      roles         text[] NOT NULL DEFAULT '{}',
      quorum        text NOT NULL,
      status        text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'timed-out', 'cancelled')),
      request       jsonb NOT NULL,
      decisions     jsonb NOT NULL DEFAULT '[]'::jsonb,
      timeout_at    timestamptz,
      created_at    timestamptz NOT NULL,
      closed_at     timestamptz,
      PRIMARY KEY (approval_id, node)
    )`.execute(db);
  await sql`CREATE INDEX approval_tasks_pending_users_idx ON approval_tasks USING gin (users) WHERE status = 'pending'`.execute(
    db,
  );
  await sql`CREATE INDEX approval_tasks_pending_roles_idx ON approval_tasks USING gin (roles) WHERE status = 'pending'`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE approval_tasks`.execute(db);
}
