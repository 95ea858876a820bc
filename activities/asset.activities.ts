import { ApplicationFailure, Context } from '@temporalio/activity';
import type { BlobStore } from '../blobstore/blob-store';
import type { AssetLifecycleStatus, AssetRepository, NewVersion } from '../catalogue/asset.repository';
import type { DuplicateRepository } from '../catalogue/duplicate.repository';
import type { RenditionRepository } from '../catalogue/rendition.repository';
import type { RuleSetRepository } from '../catalogue/rule-set.repository';
import type { SearchRepository } from '../catalogue/search.repository';
import type { VisualFeatureRepository } from '../catalogue/visual-feature.repository';
import type { Transition, VersionAnalysis } from '../domain/asset';
import { readImageInfo } from '../imaging/read-image-info';
import { regionHashes } from '../imaging/visual-features';
import { enrichFile, ingestFile } from '../ingest/ingest-version';
import type { Notice } from '../lifecycle/model';
import { type NoticeDeps, Notices } from '../operations/notices';
import { RenditionCache } from '../operations/rendition-cache';
import { SearchIndexer } from '../operations/search-indexer';
import { DEFAULT_THUMBNAIL, type IngestOptions } from '../rules/ingest-options';
import type { RuleSetPlan } from '../rules/plan';
import type { Tagging } from '../tagging/offline-tagging';
import type { Tag } from '../tagging/tagger';

export interface AssetActivityDeps extends NoticeDeps {
  assets: AssetRepository;
  blobs: BlobStore;
  duplicates: DuplicateRepository;
  visualFeatures: VisualFeatureRepository;
  renditions: RenditionRepository;
  /** The search index, kept current after every catalogue write (see services/search-indexer.ts). */
  search: SearchRepository;
  ruleSets: RuleSetRepository;
  limits: { maxImagePixels: number };
  /** Taggers and text reader for ingest (see tagging/offline-tagging.ts). */
  tagging: Tagging;
}

/** Ingest options for runs whose workflow passed none (started before options existed). */
const DEFAULT_INGEST_OPTIONS: IngestOptions = {
  thumbnail: DEFAULT_THUMBNAIL,
  brandPalette: null,
  autoTagging: { objects: true, colours: true, exif: true, text: true },
};

interface VersionRef {
  assetId: string;
  version: number;
}

/** Attempts at the models before a failure is recorded as the version's (`enrichment: failed`). */
const MODEL_ATTEMPTS = 3;

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
export function createAssetActivities(deps: AssetActivityDeps) {
  const { assets, blobs, duplicates, visualFeatures, renditions, search, ruleSets, limits, tagging } = deps;
  const notices = new Notices(deps);
  const indexer = new SearchIndexer(search, ruleSets);
  const renditionCache = new RenditionCache({ blobs, renditions, maxImagePixels: limits.maxImagePixels });
  const ingestDeps = {
    renditions: renditionCache,
    tagging,
    maxImagePixels: limits.maxImagePixels,
  };
  const blobOf = async ({ assetId, version }: VersionRef): Promise<string> => {
    const sha256 = await assets.findVersionBlob(assetId, version);
    if (!sha256) {
      throw ApplicationFailure.nonRetryable(`asset ${assetId} has no version ${version}`, 'AssetNotFound');
    }
    return sha256;
  };
  const analyse = async (ref: VersionRef): Promise<VersionAnalysis> => {
    const sha256 = await blobOf(ref);
    const analysis = await readImageInfo(await blobs.localFile(sha256), limits.maxImagePixels);
    await assets.saveAnalysis(ref.assetId, ref.version, analysis);
    await indexer.reindex(ref.assetId);
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
    async ingestVersion(
      ref: VersionRef & { options?: IngestOptions; models?: 'later' },
    ): Promise<VersionAnalysis> {
      return whileHeartbeating(async () => {
        // What the upload edge already computed from these bytes is not computed again.
        const [sha256, known, regionsKnown] = await Promise.all([
          blobOf(ref),
          duplicates.hashOf(ref.assetId, ref.version),
          visualFeatures.has(ref.assetId, ref.version),
        ]);
        const analysis = await ingestFile(
          { sha256, file: await blobs.localFile(sha256) },
          ref.options ?? DEFAULT_INGEST_OPTIONS,
          ingestDeps,
          { models: ref.models ?? 'now', ...(known ? { known: { perceptualHash: known } } : {}) },
        );
        if (analysis.kind === 'image' && analysis.perceptualHash) {
          if (!known) await duplicates.index(ref.assetId, ref.version, analysis.perceptualHash);
          // The crop-robust regions (migration 0016) are not part of the activity's result, so
          // the workflow and its recorded histories stay as they were.
          if (!regionsKnown) {
            const regions = await regionHashes(await blobs.localFile(sha256), limits.maxImagePixels);
            await visualFeatures.index(ref.assetId, ref.version, regions);
          }
        }
        // A late attempt (one Temporal gave up on after its heartbeat stopped) must not put back
        // `pending` over what the models already saved.
        const saved = await assets.findVersionAnalysis(ref.assetId, ref.version);
        const modelsReported = saved?.enrichment && saved.enrichment.state !== 'pending';
        if (!(modelsReported && analysis.enrichment?.state === 'pending'))
          await assets.saveAnalysis(ref.assetId, ref.version, analysis);
        await indexer.reindex(ref.assetId);
        return analysis;
      });
    },

    /**
     * Runs the models (object detection, OCR) on a stored version and saves what they found into
     * its analysis (search sees the tags and text at once); answers the tags for the workflow.
     * Runs after `stored`. Heartbeats like ingest; running it twice saves the same analysis.
     * A model that fails is retried by Temporal (a crashed model thread recovers); on the
     * `MODEL_ATTEMPTS`th failure it is recorded (`enrichment: failed`) and answered.
     */
    async enrichVersion(
      ref: VersionRef & { options?: IngestOptions },
    ): Promise<{ tags: Tag[]; failed?: string }> {
      return whileHeartbeating(async () => {
        const sha256 = await blobOf(ref);
        const before = await assets.findVersionAnalysis(ref.assetId, ref.version);
        if (!before) throw new Error(`version ${ref.version} of asset ${ref.assetId} has no analysis yet`);
        const { analysis, found } = await enrichFile(
          { file: await blobs.localFile(sha256) },
          before,
          ref.options ?? DEFAULT_INGEST_OPTIONS,
          ingestDeps,
        );
        if (analysis.enrichment?.state === 'failed' && Context.current().info.attempt < MODEL_ATTEMPTS)
          throw new Error(`the models failed: ${analysis.enrichment.reason}`);
        await assets.saveAnalysis(ref.assetId, ref.version, analysis);
        await indexer.reindex(ref.assetId);
        return analysis.enrichment?.state === 'failed'
          ? { tags: [], failed: analysis.enrichment.reason }
          : { tags: found };
      });
    },

    /** Records a new version the workflow numbered (idempotent per asset and version). */
    async recordVersion(input: { assetId: string } & NewVersion): Promise<void> {
      const { assetId, ...version } = input;
      await assets.addVersion(assetId, version);
      await indexer.reindex(assetId);
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
      await indexer.reindex(assetId);
    },

    /** Moves the asset to another project (who may see it follows); idempotent. */
    async setAssetProject({ assetId, project }: { assetId: string; project: string }): Promise<void> {
      await assets.setProject(assetId, project);
      await indexer.reindex(assetId);
    },

    /**
     * Moves the asset to a storage tier. A blob moves only when every other live asset using it
     * agrees (to cold: none of them is hot; to hot: always, since this asset needs it).
     */
    async moveToTier({ assetId, tier }: { assetId: string; tier: 'hot' | 'cold' }): Promise<void> {
      // Heartbeats while bytes move (a large file on a slow cold disk), so a lost worker is noticed.
      await whileHeartbeating(async () => {
        for (const blob of await assets.blobUsage(assetId)) {
          if (blob.tier === tier) continue;
          if (tier === 'cold' && blob.otherHotUsers > 0) continue;
          await blobs.moveTier(blob.sha256, blob.tier, tier);
          await assets.setBlobTier(blob.sha256, tier);
        }
        await assets.setAssetTier(assetId, tier);
        await indexer.reindex(assetId);
      });
    },

    /**
     * Purges the asset: deletes the bytes no other live asset uses, and keeps the catalogue row,
     * versions and timeline as a tombstone.
     */
    async purgeAsset({ assetId }: { assetId: string }): Promise<void> {
      for (const blob of await assets.blobUsage(assetId)) {
        if (blob.otherLiveUsers > 0) continue;
        // Counted again under the blob's lock: an upload of the same bytes may have just named it.
        await assets.underBlobLock(blob.sha256, async (locked) => {
          if ((await assets.otherLiveUsers(blob.sha256, assetId, locked)) === 0)
            await blobs.delete(blob.sha256);
        });
      }
      await assets.markPurged(assetId, new Date());
      await indexer.reindex(assetId);
    },

    /**
     * The compiled plan of a published rule-set version (null when there is none): continued runs
     * and approval flows load it by name and version instead of carrying a copy in their input.
     */
    async loadPlan({ name, version }: { name: string; version: number }): Promise<RuleSetPlan | null> {
      return (await ruleSets.planOf(name, version)) ?? null;
    },

    /** A notice the lifecycle engine asked for; `effectId` makes a retry tell nobody twice. */
    async deliverNotice(input: {
      assetId: string;
      effectId: number;
      uploadedBy: string;
      notice: Notice;
    }): Promise<void> {
      await notices.deliver(
        input.assetId,
        input.notice,
        input.uploadedBy,
        `${input.assetId}:${input.effectId}`,
      );
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
      await indexer.reindex(assetId);
      if (transition.to === 'expired' && transition.from !== 'expired')
        await notices.takenDown(assetId, transition.reason, transition.seq);
    },
  };
}
