import { type BlobStore, STILL_KEY } from '../blobstore/blob-store';
import type { AssetRecord, AssetRepository } from '../catalogue/asset.repository';
import type { VersionAnalysis } from '../domain/asset';
import { AssetflowError, ErrorCodes } from '../domain/errors';
import { sideBySide } from '../imaging/side-by-side';
import type { Principal } from '../policy/access';
import type { AssetWorkflows } from '../temporal/asset-workflows.client';
import { addVersionUpdate } from '../workflows/messages';
import { imageWork } from './image-work';

type VersionEntry = Awaited<ReturnType<AssetRepository['versions']>>[number];

export interface VersionComparison {
  assetId: string;
  latest: number;
  a: { version: number; facts: Record<string, unknown> };
  b: { version: number; facts: Record<string, unknown> };
  /** Every fact that differs, in a stable order. */
  changes: Array<{ field: string; a: unknown; b: unknown }>;
}

/**
 * The history of an asset's file: every version with who made it and why, comparing two of them
 * (what ingest found, side by side as an image), and restoring an old one as the newest. New
 * versions are numbered by the asset's workflow, which also refuses them while it is frozen.
 */
export class VersionService {
  constructor(
    private readonly deps: {
      assets: AssetRepository;
      blobs: BlobStore;
      workflows: AssetWorkflows;
      maxImagePixels: number;
    },
  ) {}

  async history(asset: AssetRecord) {
    const latest = asset.currentVersion.version;
    return {
      assetId: asset.id,
      latest,
      versions: (await this.deps.assets.versions(asset.id)).map((v) => ({
        version: v.version,
        latest: v.version === latest,
        sha256: v.sha256,
        sizeBytes: v.sizeBytes,
        originalName: v.originalName,
        mediaType: v.analysis?.mediaType ?? v.declaredMediaType,
        width: imageOf(v.analysis)?.width ?? null,
        height: imageOf(v.analysis)?.height ?? null,
        by: v.by,
        note: v.note,
        createdAt: v.createdAt,
      })),
    };
  }

  async compare(asset: AssetRecord, a: number, b: number): Promise<VersionComparison> {
    const [va, vb] = await this.pair(asset, a, b);
    const fa = factsOf(va);
    const fb = factsOf(vb);
    const fields = [...new Set([...Object.keys(fa), ...Object.keys(fb)])].sort();
    const changes = fields
      .filter((f) => JSON.stringify(fa[f] ?? null) !== JSON.stringify(fb[f] ?? null))
      .map((field) => ({ field, a: fa[field] ?? null, b: fb[field] ?? null }));
    return {
      assetId: asset.id,
      latest: asset.currentVersion.version,
      a: { version: a, facts: fa },
      b: { version: b, facts: fb },
      changes,
    };
  }

  /** Both versions as one PNG, left `a`, right `b`. */
  async compareImage(asset: AssetRecord, a: number, b: number): Promise<Buffer> {
    const [va, vb] = await this.pair(asset, a, b);
    return imageWork.run(async () =>
      sideBySide(
        await this.pictureOf(asset, va),
        await this.pictureOf(asset, vb),
        800,
        this.deps.maxImagePixels,
      ),
    );
  }

  /** Makes version `version` the newest again, as a new version (history is never rewritten). */
  async restore(
    asset: AssetRecord,
    version: number,
    by: Principal,
    note?: string,
  ): Promise<{ version: number }> {
    const [old] = await this.pair(asset, version, version);
    return this.deps.workflows.updateAsset(asset.id, addVersionUpdate, {
      by: by.email,
      sha256: old.sha256,
      sizeBytes: old.sizeBytes,
      originalName: old.originalName,
      declaredMediaType: old.declaredMediaType,
      note: note ?? `Restored version ${version}`,
    });
  }

  private async pair(asset: AssetRecord, a: number, b: number): Promise<[VersionEntry, VersionEntry]> {
    const versions = await this.deps.assets.versions(asset.id);
    const find = (n: number) => {
      const found = versions.find((v) => v.version === n);
      if (!found) {
        throw new AssetflowError(
          ErrorCodes.VERSION_NOT_FOUND,
          `Asset ${asset.id} has versions 1 to ${versions.length}; there is no version ${n}.`,
          404,
          { version: n },
        );
      }
      return found;
    };
    return [find(a), find(b)];
  }

  /** The file to picture a version by: the image itself, or the still ingest made of a video or PDF. */
  private async pictureOf(asset: AssetRecord, version: VersionEntry): Promise<string> {
    if (version.analysis?.kind === 'image') return this.deps.blobs.localFile(version.sha256, asset.tier);
    const still = await this.deps.blobs.rendition(version.sha256, STILL_KEY);
    if (still) return still;
    throw new AssetflowError(
      ErrorCodes.RENDITION_UNKNOWN,
      `Version ${version.version} has no picture to compare (not an image, or not ingested yet).`,
      409,
    );
  }
}

function imageOf(analysis: VersionAnalysis | null) {
  return analysis?.kind === 'image' ? analysis : undefined;
}

/** What a person compares: the file, who and why, and what ingest found in it. */
function factsOf(v: VersionEntry): Record<string, unknown> {
  const analysis = v.analysis;
  const image = imageOf(analysis);
  const embedded = Object.fromEntries(
    Object.entries(analysis?.embedded ?? {}).map(([key, value]) => [`embedded.${key}`, value]),
  );
  return {
    sha256: v.sha256,
    sizeBytes: v.sizeBytes,
    originalName: v.originalName,
    mediaType: analysis?.mediaType ?? v.declaredMediaType,
    by: v.by,
    note: v.note,
    ...(image
      ? {
          format: image.format,
          width: image.width,
          height: image.height,
          colours: (image.colours?.palette ?? []).map((c) => `${c.family} ${Math.round(c.share * 100)}%`),
          brandColours: image.brandColours?.ok ?? null,
        }
      : {}),
    tags: (analysis?.tags ?? []).map((t) => t.name).sort(),
    text: (analysis?.text ?? []).map((line) => line.text).join(' / '),
    ...embedded,
  };
}
