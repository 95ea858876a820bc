import { ApplicationFailure } from '@temporalio/activity';
import type { FileBlobStore } from '../blobstore/file-blob-store';
import type { AssetRepository } from '../catalogue/asset.repository';
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
