import { ApplicationFailure } from '@temporalio/activity';
import type { FileBlobStore } from '../blobstore/file-blob-store';
import type { AssetLifecycleStatus, AssetRepository } from '../catalogue/asset.repository';
import type { Transition, VersionAnalysis } from '../domain/asset';
import { readImageInfo } from '../imaging/read-image-info';

export interface AssetActivityDeps {
  assets: AssetRepository;
  blobs: FileBlobStore;
  limits: { maxImagePixels: number };
}

/**
 * Activities on one asset's catalogue entry and bytes. Each is idempotent: running it twice leaves
 * the catalogue as running it once does, because Temporal may retry any activity.
 */
export function createAssetActivities({ assets, blobs, limits }: AssetActivityDeps) {
  return {
    /** Reads the version's bytes and records what they are (image dimensions and format, or generic). */
    async analyseVersion({
      assetId,
      version,
    }: {
      assetId: string;
      version: number;
    }): Promise<VersionAnalysis> {
      const sha256 = await assets.findVersionBlob(assetId, version);
      if (!sha256) {
        throw ApplicationFailure.nonRetryable(`asset ${assetId} has no version ${version}`, 'AssetNotFound');
      }
      const analysis = await readImageInfo(blobs.pathOf(sha256), limits.maxImagePixels);
      await assets.saveAnalysis(assetId, version, analysis);
      return analysis;
    },

    /** Records a new version the workflow numbered (idempotent per asset and version). */
    async recordVersion(input: {
      assetId: string;
      version: number;
      sha256: string;
      sizeBytes: number;
      originalName: string;
      declaredMediaType: string;
      by: string;
      note: string | null;
    }): Promise<void> {
      const { assetId, ...version } = input;
      await assets.addVersion(assetId, version);
    },

    /** Mirrors the workflow's view of the asset (freeze, legal hold, tier, tags, compliance). */
    async saveLifecycleStatus({
      assetId,
      status,
    }: {
      assetId: string;
      status: AssetLifecycleStatus;
    }): Promise<void> {
      await assets.saveStatus(assetId, status);
    },

    /**
     * Moves the asset to a storage tier. A blob moves only when every other live asset using it
     * agrees (to cold: none of them is hot; to hot: always, since this asset needs it).
     */
    async moveToTier({ assetId, tier }: { assetId: string; tier: 'hot' | 'cold' }): Promise<void> {
      for (const blob of await assets.blobUsage(assetId)) {
        if (blob.tier === tier) continue;
        if (tier === 'cold' && blob.otherHotUsers > 0) continue;
        await blobs.moveTier(blob.sha256, blob.tier, tier);
        await assets.setBlobTier(blob.sha256, tier);
      }
      await assets.setAssetTier(assetId, tier);
    },

    /**
     * Purges the asset: deletes the bytes no other live asset uses, and keeps the catalogue row,
     * versions and timeline as a tombstone.
     */
    async purgeAsset({ assetId }: { assetId: string }): Promise<void> {
      for (const blob of await assets.blobUsage(assetId)) {
        if (blob.otherLiveUsers === 0) await blobs.delete(blob.sha256);
      }
      await assets.markPurged(assetId, new Date());
    },

    /** Mirrors a timeline entry into the catalogue so the API can list and filter by state. */
    async recordTransition({
      assetId,
      transition,
    }: {
      assetId: string;
      transition: Transition;
    }): Promise<void> {
      await assets.recordTransition(assetId, transition);
    },
  };
}
