import { type Kysely, sql } from 'kysely';

/**
 * Working together on an asset: comments on a specific version (threaded, optionally pinned to
 * a region of the image, resolvable, with @mentions), and notifications stored per user.
 *
 * Notifications carry a `dedupe_key` unique per user, so the activities that raise them (an
 * approval waiting for a reviewer, a decision for the requester) can retry without sending twice.
 * Every insert also sends `pg_notify('assetflow_notifications', …)`, delivered at commit, which
 * the servers LISTEN to for live delivery (Server-Sent Events).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE comments (
      id uuid PRIMARY KEY,
      asset_id uuid NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
      version integer NOT NULL,
      parent_id uuid REFERENCES comments (id) ON DELETE CASCADE,
      author text NOT NULL,
      body text NOT NULL,
      region jsonb,
      mentions text[] NOT NULL DEFAULT '{}',
      resolved_at timestamptz,
      resolved_by text,
      created_at timestamptz NOT NULL DEFAULT now(),
      FOREIGN KEY (asset_id, version) REFERENCES asset_versions (asset_id, version) ON DELETE CASCADE
    )`.execute(db);
  await sql`CREATE INDEX comments_asset_idx ON comments (asset_id, version, created_at)`.execute(db);
  await sql`
    CREATE TABLE notifications (
      id uuid PRIMARY KEY,
      user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      kind text NOT NULL,
      asset_id uuid,
      message text NOT NULL,
      payload jsonb NOT NULL DEFAULT '{}'::jsonb,
      dedupe_key text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      read_at timestamptz,
      UNIQUE (user_id, dedupe_key)
    )`.execute(db);
  await sql`CREATE INDEX notifications_user_idx ON notifications (user_id, created_at DESC)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE notifications`.execute(db);
  await sql`DROP TABLE comments`.execute(db);
}
