import { type Kysely, sql } from 'kysely';

/**
 * Who may see what, and what left the building.
 *
 * - `projects` are the unit of access (a collection of assets): every asset lives in one, and
 *   `project_grants` give a user, a team or every signed-in user the level view, edit or manage
 *   on it. The built-in project `default` is shared: every signed-in user may edit it, so an
 *   installation without projects behaves as before.
 * - `shares` are links: the token is stored only as a sha256 digest, a password only as an
 *   argon2id hash; the asset ids are fixed when the link is made.
 * - `audit_events` is the distribution trail: append-only and hash-chained (each row's `hash`
 *   covers its content and the previous row's hash), so editing or deleting a row is detectable.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE projects (
      id text PRIMARY KEY,
      name text NOT NULL,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`INSERT INTO projects (id, name, created_by) VALUES ('default', 'Default project', 'system')`.execute(
    db,
  );
  await sql`
    CREATE TABLE project_grants (
      project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
      principal text NOT NULL,
      level text NOT NULL CHECK (level IN ('view', 'edit', 'manage')),
      PRIMARY KEY (project_id, principal)
    )`.execute(db);
  await sql`INSERT INTO project_grants VALUES ('default', 'everyone', 'edit')`.execute(db);
  await sql`ALTER TABLE assets ADD COLUMN project text NOT NULL DEFAULT 'default' REFERENCES projects (id)`.execute(
    db,
  );
  await sql`CREATE INDEX assets_project_idx ON assets (project)`.execute(db);
  // Search filters by project through the facets; existing documents are in the default project.
  await sql`UPDATE search_documents SET facets = array_append(facets, 'project:default')`.execute(db);

  await sql`
    CREATE TABLE shares (
      id uuid PRIMARY KEY,
      token_sha256 char(64) NOT NULL UNIQUE,
      created_by uuid NOT NULL REFERENCES users (id),
      asset_ids uuid[] NOT NULL,
      project text REFERENCES projects (id),
      permission text NOT NULL CHECK (permission IN ('view', 'download')),
      audience text NOT NULL,
      rendition text NOT NULL,
      password_hash text,
      allowed_emails text[] NOT NULL DEFAULT '{}',
      max_downloads integer,
      downloads integer NOT NULL DEFAULT 0,
      expires_at timestamptz NOT NULL,
      revoked_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX shares_created_by_idx ON shares (created_by)`.execute(db);
  await sql`CREATE INDEX shares_asset_ids_idx ON shares USING gin (asset_ids)`.execute(db);

  await sql`
    CREATE TABLE audit_events (
      seq bigint PRIMARY KEY,
      at timestamptz NOT NULL,
      actor text NOT NULL,
      action text NOT NULL,
      asset_id uuid,
      version integer,
      rendition text,
      share_id uuid,
      address text,
      details jsonb NOT NULL,
      prev_hash char(64) NOT NULL,
      hash char(64) NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX audit_events_asset_idx ON audit_events (asset_id, seq)`.execute(db);
  await sql`CREATE INDEX audit_events_actor_idx ON audit_events (actor, seq)`.execute(db);
  await sql`CREATE INDEX audit_events_share_idx ON audit_events (share_id, seq)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE audit_events`.execute(db);
  await sql`DROP TABLE shares`.execute(db);
  await sql`UPDATE search_documents SET facets = array_remove(facets, 'project:default')`.execute(db);
  await sql`ALTER TABLE assets DROP COLUMN project`.execute(db);
  await sql`DROP TABLE project_grants`.execute(db);
  await sql`DROP TABLE projects`.execute(db);
}
