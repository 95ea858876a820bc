import { ApplicationFailure, Context } from '@temporalio/activity';
import type { FileBlobStore } from '../blobstore/file-blob-store';
import type { AssetLifecycleStatus, AssetRepository } from '../catalogue/asset.repository';
import type { Transition, VersionAnalysis } from '../domain/asset';
import { readImageInfo } from '../imaging/read-image-info';

export interface AssetActivityDeps {
  assets: AssetRepository;
  blobs: FileBlobStore;
  limits: { maxImagePixels: number };
}

interface VersionRef {
  assetId: string;
  version: number;
}

/** How often a long activity tells Temporal it is alive (well inside the heartbeat timeout). */
const HEARTBEAT_EVERY_MS = 2_000;

async function whileHeartbeating<T>(work: () => Promise<T>): Promise<T> {
  const context = Context.current();
  context.heartbeat();
  const timer = setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

/**
 * Activities on one asset's catalogue entry and bytes. Each is idempotent: running it twice leaves
 * the catalogue as running it once does, because Temporal may retry any activity.
 */
export function createAssetActivities({ assets, blobs, limits }: AssetActivityDeps) {
  const analyse = async ({ assetId, version }: VersionRef): Promise<VersionAnalysis> => {
    const sha256 = await assets.findVersionBlob(assetId, version);
    if (!sha256) {
      throw ApplicationFailure.nonRetryable(`asset ${assetId} has no version ${version}`, 'AssetNotFound');
    }
    const analysis = await readImageInfo(blobs.pathOf(sha256), limits.maxImagePixels);
    await assets.saveAnalysis(assetId, version, analysis);
    return analysis;
  };
  return {
    /**
     * Reads the version's bytes and records what they are. Run as a local activity by workflows
     * started before the `ingest-as-activity` patch; kept so their histories still replay.
     */
    analyseVersion: analyse,

    /**
     * Ingests a version: analysis and everything derived from the bytes. A regular (not local)
     * activity because it can take seconds: it heartbeats, so a worker that dies mid-ingest is
     * noticed within the heartbeat timeout and another worker runs it again from the start, which
     * is safe because every write it makes is keyed by (asset, version).
     */
    async ingestVersion(ref: VersionRef): Promise<VersionAnalysis> {
      return whileHeartbeating(() => analyse(ref));
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
