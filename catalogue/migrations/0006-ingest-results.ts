import { type Kysely, sql } from 'kysely';

/**
 * Ingest results: the perceptual-hash index for near-duplicate lookup and the rendition cache.
 *
 * Perceptual hashes are split into four 16-bit bands, each indexed: two hashes within Hamming
 * distance d < 4·(r+1) share at least one band within distance r (pigeonhole), so a lookup probes
 * the bands' neighbourhoods through the indexes instead of scanning every hash (multi-index
 * hashing, Norouzi et al. 2012).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE perceptual_hashes (
      asset_id uuid NOT NULL,
      version integer NOT NULL,
      hash char(16) NOT NULL,
      band0 integer NOT NULL,
      band1 integer NOT NULL,
      band2 integer NOT NULL,
      band3 integer NOT NULL,
      PRIMARY KEY (asset_id, version),
      FOREIGN KEY (asset_id, version) REFERENCES asset_versions (asset_id, version)
    )`.execute(db);
  for (const band of ['band0', 'band1', 'band2', 'band3']) {
    await sql`CREATE INDEX ${sql.raw(`perceptual_hashes_${band}_idx`)} ON perceptual_hashes (${sql.ref(band)})`.execute(
      db,
    );
  }
  await sql`
    CREATE TABLE renditions (
      source_sha256 char(64) NOT NULL,
      preset_key text NOT NULL,
      preset text NOT NULL,
      media_type text NOT NULL,
      width integer NOT NULL,
      height integer NOT NULL,
      size_bytes bigint NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (source_sha256, preset_key)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE renditions`.execute(db);
  await sql`DROP TABLE perceptual_hashes`.execute(db);
}
