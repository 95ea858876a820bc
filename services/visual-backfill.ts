import type { BlobStore } from '../blobstore/blob-store';
import type { VisualFeatureRepository } from '../catalogue/visual-feature.repository';
import { regionHashes } from '../imaging/visual-features';

const BATCH = 200;

/**
 * Region hashes for image versions ingested before migration 0016 (`assetflow duplicates
 * backfill`): every live version with a pHash and no region hashes, in key order, so a run that
 * stops half way resumes where it was. A version whose bytes cannot be read (gone from both
 * tiers, or undecodable) is counted and skipped; it is still found by its whole-frame pHash.
 */
export async function backfillVisualFeatures(
  deps: { visualFeatures: VisualFeatureRepository; blobs: BlobStore; maxImagePixels: number },
  progress: (done: number, skipped: number) => void = () => {},
): Promise<{ indexed: number; skipped: number }> {
  let indexed = 0;
  let skipped = 0;
  let after: { assetId: string; version: number } | null = null;
  for (;;) {
    const batch = await deps.visualFeatures.versionsWithout(after, BATCH);
    if (batch.length === 0) break;
    for (const v of batch) {
      try {
        const file = await deps.blobs.localFile(v.sha256, v.tier);
        await deps.visualFeatures.index(v.assetId, v.version, await regionHashes(file, deps.maxImagePixels));
        indexed++;
      } catch {
        skipped++;
      }
    }
    after = batch.at(-1)!;
    progress(indexed, skipped);
  }
  return { indexed, skipped };
}
