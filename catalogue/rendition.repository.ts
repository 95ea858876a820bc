import type { CatalogueDb } from './database';

export interface RenditionRecord {
  sourceSha256: string;
  presetKey: string;
  preset: string;
  mediaType: string;
  width: number;
  height: number;
  sizeBytes: number;
}

/** The rendition cache's index: which (source bytes, preset settings) have been rendered. */
export class RenditionRepository {
  constructor(private readonly db: CatalogueDb) {}

  async find(sourceSha256: string, presetKey: string): Promise<RenditionRecord | undefined> {
    const row = await this.db
      .selectFrom('renditions')
      .selectAll()
      .where('source_sha256', '=', sourceSha256)
      .where('preset_key', '=', presetKey)
      .executeTakeFirst();
    return row
      ? {
          sourceSha256: row.source_sha256,
          presetKey: row.preset_key,
          preset: row.preset,
          mediaType: row.media_type,
          width: row.width,
          height: row.height,
          sizeBytes: Number(row.size_bytes),
        }
      : undefined;
  }

  /** Records a rendition; the first record of a (source, preset) wins, so a retry changes nothing. */
  async save(record: RenditionRecord): Promise<void> {
    await this.db
      .insertInto('renditions')
      .values({
        source_sha256: record.sourceSha256,
        preset_key: record.presetKey,
        preset: record.preset,
        media_type: record.mediaType,
        width: record.width,
        height: record.height,
        size_bytes: record.sizeBytes,
      })
      .onConflict((oc) => oc.columns(['source_sha256', 'preset_key']).doNothing())
      .execute();
  }

  /** How many renditions have been made of a source (for tests: "never twice"). */
  async countFor(sourceSha256: string): Promise<number> {
    const rows = await this.db
      .selectFrom('renditions')
      .select('preset_key')
      .where('source_sha256', '=', sourceSha256)
      .execute();
    return rows.length;
  }
}
