import { type Kysely, sql } from 'kysely';

/**
 * The first catalogue: content-addressed blobs, assets with their lifecycle state, versions and
 * the timeline of state transitions. pg_trgm backs typo-tolerant name search.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db);

  await sql`
    CREATE TABLE blobs (
      sha256      text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
      size_bytes  bigint NOT NULL CHECK (size_bytes >= 0),
      tier        text NOT NULL DEFAULT 'hot' CHECK (tier IN ('hot', 'cold')),
      created_at  timestamptz NOT NULL DEFAULT now()
    )`.execute(db);

  await sql`
    CREATE TABLE assets (
      id               uuid PRIMARY KEY,
      workflow_id      text NOT NULL UNIQUE,
      display_name     text NOT NULL,
      rule_set         text NOT NULL,
      state            text NOT NULL,
      state_seq        integer NOT NULL DEFAULT 0,
      kind             text NOT NULL DEFAULT 'unknown',
      metadata         jsonb NOT NULL DEFAULT '{}'::jsonb,
      current_version  integer NOT NULL,
      created_at       timestamptz NOT NULL DEFAULT now(),
      updated_at       timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX assets_state_idx ON assets (state)`.execute(db);
  await sql`CREATE INDEX assets_display_name_trgm_idx ON assets USING gin (display_name gin_trgm_ops)`.execute(
    db,
  );

  await sql`
    CREATE TABLE asset_versions (
      asset_id             uuid NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
      version              integer NOT NULL CHECK (version >= 1),
      blob_sha256          text NOT NULL REFERENCES blobs (sha256),
      original_name        text NOT NULL,
      declared_media_type  text NOT NULL,
      analysis             jsonb,
      created_at           timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (asset_id, version)
    )`.execute(db);
  await sql`CREATE INDEX asset_versions_blob_idx ON asset_versions (blob_sha256)`.execute(db);

  await sql`
    CREATE TABLE asset_transitions (
      id          bigserial PRIMARY KEY,
      asset_id    uuid NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
      seq         integer NOT NULL,
      from_state  text,
      to_state    text NOT NULL,
      reason      text NOT NULL,
      at          timestamptz NOT NULL,
      UNIQUE (asset_id, seq)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE asset_transitions, asset_versions, assets, blobs`.execute(db);
}
