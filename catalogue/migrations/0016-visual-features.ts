import { type Kysely, sql } from 'kysely';

/**
 * Crop-robust visual features (imaging/visual-features.ts): for each image version, the pHash of
 * its centred region at 100, 95, 90 and 85 % — one row per region, banded like
 * `perceptual_hashes` (migration 0006) for multi-index hashing.
 *
 * Each band's index leads with the band and carries the scale, so a probe restricted to whole
 * frames (`scale = 100`, the upload's region hashes against whole frames) is answered by the
 * index alone; asset_id, version and hash are included so the probe does not visit the heap
 * once the table is vacuumed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE visual_features (
      asset_id uuid NOT NULL,
      version integer NOT NULL,
      scale smallint NOT NULL CHECK (scale BETWEEN 1 AND 100),
      hash char(16) NOT NULL,
      band0 integer NOT NULL,
      band1 integer NOT NULL,
      band2 integer NOT NULL,
      band3 integer NOT NULL,
      PRIMARY KEY (asset_id, version, scale),
      FOREIGN KEY (asset_id, version) REFERENCES asset_versions (asset_id, version)
    )`.execute(db);
  for (const band of ['band0', 'band1', 'band2', 'band3']) {
    await sql`CREATE INDEX ${sql.raw(`visual_features_${band}_idx`)}
              ON visual_features (${sql.ref(band)}, scale) INCLUDE (asset_id, version, hash)`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE visual_features`.execute(db);
}
