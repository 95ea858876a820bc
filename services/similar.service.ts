import type { BlobStore } from '../blobstore/blob-store';
import type { AssetRepository } from '../catalogue/asset.repository';
import { MAX_VISUAL_MATCHES, type VisualFeatureRepository } from '../catalogue/visual-feature.repository';
import { AssetflowError, ErrorCodes } from '../domain/errors';
import { isUuid } from '../domain/ids';
import { regionHashes } from '../imaging/visual-features';
import type { AccessLevel } from '../policy/access';

/**
 * How far "similar" reaches: 7 of 64 bits (89 %) under the region pairing, the most a lookup at
 * band radius 1 covers — the same index probes as the duplicate lookup (more rows pass the distance check).
 * Edited and cropped copies fall within it; sibling designs in one house style (8 bits and more
 * apart, bench/duplicates.bench.ts) and different photographs (18 and more) do not.
 */
export const SIMILAR_MAX_DISTANCE = 7;
export const SIMILAR_DEFAULT_LIMIT = 12;
export const SIMILAR_MAX_LIMIT = 50;

export interface SimilarAsset {
  assetId: string;
  displayName: string;
  /** The version of that asset that matched (the nearest, when several did). */
  version: number;
  similarity: number;
  distance: number;
}

export interface SimilarServiceDeps {
  assets: AssetRepository;
  visualFeatures: VisualFeatureRepository;
  blobs: BlobStore;
  maxImagePixels: number;
}

/** "Find similar": other assets whose pictures match the asset's current version's regions. */
export class SimilarService {
  constructor(private readonly deps: SimilarServiceDeps) {}

  /**
   * Nearest first, one row per asset, only assets `levelsOn` reports (the caller's visibility).
   * An image version ingested before its region hashes existed (migration 0016) gets them here,
   * on its first lookup, from its blob; other assets can only be found once they have theirs
   * (`assetflow duplicates backfill` computes the missing ones).
   */
  async similar(
    id: string,
    options: { limit: number; levelsOn: (ids: string[]) => Promise<Map<string, AccessLevel>> },
  ): Promise<SimilarAsset[]> {
    const asset = isUuid(id) ? await this.deps.assets.find(id) : undefined;
    if (!asset) throw new AssetflowError(ErrorCodes.ASSET_NOT_FOUND, `No asset with id ${id}.`, 404, { id });
    if (asset.kind !== 'image') return [];
    const { version, sha256 } = asset.currentVersion;
    let regions = await this.deps.visualFeatures.regionsOf(asset.id, version);
    if (regions.length === 0) {
      const file = await this.deps.blobs.localFile(sha256, asset.tier).catch(() => null);
      if (!file) return []; // purged: no bytes to compare
      regions = await regionHashes(file, this.deps.maxImagePixels);
      await this.deps.visualFeatures.index(asset.id, version, regions);
    }
    const matches = await this.deps.visualFeatures.findNear(regions, SIMILAR_MAX_DISTANCE, {
      limit: MAX_VISUAL_MATCHES,
      excludeAssetId: asset.id,
    });
    const nearest = new Map<string, (typeof matches)[number]>();
    for (const m of matches) if (!nearest.has(m.assetId)) nearest.set(m.assetId, m);
    const visible = await options.levelsOn([...nearest.keys()]);
    const shown = [...nearest.values()].filter((m) => visible.has(m.assetId)).slice(0, options.limit);
    const names = new Map(
      (await this.deps.assets.findMany(shown.map((m) => m.assetId))).map((a) => [a.id, a.displayName]),
    );
    return shown
      .filter((m) => names.has(m.assetId))
      .map((m) => ({
        assetId: m.assetId,
        displayName: names.get(m.assetId)!,
        version: m.version,
        similarity: m.similarity,
        distance: m.distance,
      }));
  }
}
