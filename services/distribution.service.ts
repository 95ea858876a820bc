import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { ZipFile } from 'yazl';
import { type BlobStore, STILL_KEY, type StoredRef } from '../blobstore/blob-store';
import type { AssetRecord, VersionRecord } from '../catalogue/asset.repository';
import type { RuleSetRepository } from '../catalogue/rule-set.repository';
import { AssetflowError, ErrorCodes } from '../domain/errors';
import { own } from '../domain/own';
import { payloadHex, watermarkFile } from '../imaging/watermark';
import type { RenditionCache } from '../operations/rendition-cache';
import type { RenditionPreset } from '../rules/document';
import type { RuleSetPlan } from '../rules/plan';
import { imageWork } from './image-work';

/** A file ready to send: where it is, what it is and the name the recipient sees. */
export interface OutgoingFile {
  /** A local file with the bytes: a rendition, or an original on the file system. */
  file?: string;
  /** Opens the bytes where there is no local file: an original in object storage, streamed, not cached. */
  open?: () => Promise<Readable>;
  /**
   * A short-lived URL at which the recipient fetches the file from the store itself, when
   * downloads are handed to the store (`blobs.s3.downloads: presigned`); never for marked bytes.
   */
  handOff?: () => Promise<string | undefined>;
  mediaType: string;
  filename: string;
  sizeBytes: number;
  /** The asset version it was made from (sent as `X-Assetflow-Version`). */
  version?: number;
  /** Set when the file was marked for this recipient: the bytes to send instead of `file`. */
  bytes?: Buffer;
  /** The invisible watermark's payload (hex), to record with the distribution event. */
  watermark?: string;
}

/** Types a store may send under their own name: images without script or markup. */
const RASTER_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/avif']);

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/avif': 'avif',
};

/**
 * Produces what leaves: a named rendition of an asset's current version (rendered on first
 * request and cached, see RenditionCache), the untouched original when the preset says so, and
 * zip bundles of several. Who may receive which rendition is decided before this is called (the
 * asset's workflow applies the rule set's audiences; share links were checked when made).
 */
export class DistributionService {
  constructor(
    private readonly deps: {
      blobs: BlobStore;
      ruleSets: Pick<RuleSetRepository, 'planOf'>;
      renditions: RenditionCache;
      maxImagePixels: number;
      /** Seconds a download handed to the store stays valid; absent: every download is streamed. */
      handOffSeconds?: number | undefined;
    },
  ) {}

  async planOf(asset: AssetRecord): Promise<RuleSetPlan> {
    const plan = await this.deps.ruleSets.planOf(asset.ruleSet, asset.ruleSetVersion);
    if (!plan)
      throw new AssetflowError(
        ErrorCodes.RULE_SET_NOT_FOUND,
        `Rule set ${asset.ruleSet} is not published.`,
        409,
      );
    return plan;
  }

  /** The rendition `name` of the asset's current version, rendering it if it is not cached. */
  async rendition(asset: AssetRecord, name: string): Promise<OutgoingFile> {
    return this.render(asset, name, await this.presetOf(asset, name));
  }

  /**
   * The unmarked rendition `name` of one version — what marked copies of it were made from, for
   * tracing a cropped leak. Made with the rule set's current preset (cached if it has not changed).
   */
  async renditionOfVersion(asset: AssetRecord, version: VersionRecord, name: string): Promise<OutgoingFile> {
    return this.render({ ...asset, currentVersion: version }, name, await this.presetOf(asset, name));
  }

  private async presetOf(asset: AssetRecord, name: string): Promise<RenditionPreset> {
    const plan = await this.planOf(asset);
    const preset = own(plan.distribute.renditions, name);
    if (!preset) {
      throw new AssetflowError(
        ErrorCodes.RENDITION_UNKNOWN,
        `Rule set ${plan.name} has no rendition "${name}" (it has: ${Object.keys(plan.distribute.renditions).join(', ')}).`,
        404,
        { rendition: name },
      );
    }
    return preset;
  }

  private async render(asset: AssetRecord, name: string, preset: RenditionPreset): Promise<OutgoingFile> {
    const version = asset.currentVersion;
    const { sha256 } = version;
    if (preset.original) {
      const tier = await this.deps.blobs.locate(sha256, asset.tier);
      if (!tier) throw new Error(`blob ${sha256} is in neither tier`);
      const direct = await this.deps.blobs.directFile(sha256, tier);
      const described = {
        // The type ingest detected from the bytes; what the client declared is never sent back.
        mediaType: version.analysis?.mediaType ?? 'application/octet-stream',
        filename: asset.displayName,
        sizeBytes: version.sizeBytes,
        version: version.version,
      };
      return {
        ...described,
        ...(direct ? { file: direct } : { open: () => this.deps.blobs.read(sha256, tier) }),
        ...this.handOffOf({ sha256, tier }, described),
      };
    }
    // The source is fetched only when the rendition has to be made.
    const source =
      asset.kind === 'image'
        ? () => this.deps.blobs.localFile(sha256, asset.tier)
        : await this.stillOf(sha256, asset.id);
    const made = await this.deps.renditions.get(sha256, source, name, preset);
    const stem = path.parse(asset.displayName).name || asset.id;
    const described = {
      mediaType: made.mediaType,
      filename: `${stem}-${name}.${EXTENSIONS[made.mediaType] ?? 'bin'}`,
      sizeBytes: made.sizeBytes,
      version: version.version,
    };
    return {
      ...described,
      file: made.file,
      ...this.handOffOf({ sha256, rendition: made.presetKey }, described),
    };
  }

  private handOffOf(
    ref: StoredRef,
    file: { filename: string; mediaType: string },
  ): Pick<OutgoingFile, 'handOff'> {
    const seconds = this.deps.handOffSeconds;
    if (!seconds) return {};
    return {
      handOff: () =>
        this.deps.blobs.downloadUrl(ref, {
          filename: file.filename,
          // The store's origin is not the app's, but what a browser may render stays a raster image.
          mediaType: RASTER_TYPES.has(file.mediaType) ? file.mediaType : 'application/octet-stream',
          expiresInSeconds: seconds,
        }),
    };
  }

  /**
   * The rendition as it leaves for one recipient: when its preset asks for an invisible watermark
   * (the luxury partners' `medium`), a copy marked with a fresh 40-bit payload that the caller
   * records with the distribution event, so a leaked copy names this download.
   */
  async deliver(asset: AssetRecord, name: string): Promise<OutgoingFile> {
    const preset = await this.presetOf(asset, name);
    const file = await this.render(asset, name, preset);
    if (!preset.invisibleWatermark || !file.mediaType.startsWith('image/')) return file;
    const payload = BigInt(`0x${randomBytes(5).toString('hex')}`);
    // An original preset with a watermark, in object storage: fetched into the local cache first.
    const source = file.file ?? (await this.deps.blobs.localFile(asset.currentVersion.sha256, asset.tier));
    const marked = await imageWork.run(async () =>
      watermarkFile(
        await readFile(source),
        payload,
        file.mediaType,
        preset.quality ?? 92,
        this.deps.maxImagePixels,
        // The cached rendition's file is named by its source bytes and preset; with its size, it
        // names these bytes for the marking's cache.
        `${source}:${file.sizeBytes}`,
      ),
    );
    // Marked for one recipient: these bytes exist only in this response, never handed to the store.
    const { handOff: _never, ...rest } = file;
    return {
      ...rest,
      bytes: marked.bytes,
      mediaType: marked.mediaType,
      sizeBytes: marked.bytes.length,
      watermark: payloadHex(payload),
    };
  }

  /** A zip stream of the files, stored uncompressed (images are compressed already). */
  zip(files: OutgoingFile[], extras: Array<{ name: string; bytes: Buffer }> = []): Readable {
    const zip = new ZipFile();
    const used = new Set<string>();
    for (const extra of extras) zip.addBuffer(extra.bytes, zipEntryName(extra.name, used));
    for (const file of files) {
      const name = zipEntryName(file.filename, used);
      if (file.bytes) zip.addBuffer(file.bytes, name, { compress: false });
      // Opened when its turn comes, not all at once: a link of many originals holds one open.
      else
        zip.addReadStreamLazy(name, { compress: false }, (done) => {
          if (file.file) done(null, createReadStream(file.file));
          else
            file.open!().then(
              (stream) => {
                done(null, stream);
              },
              (error: unknown) => {
                done(error, undefined as never);
              },
            );
        });
    }
    zip.end();
    const out = zip.outputStream as unknown as Readable;
    // A file that cannot be read ends the zip with the error (the response is cut off).
    zip.on('error', (error: Error) => out.destroy(error));
    return out;
  }

  /** Videos and PDFs are rendered from the still ingest made (poster frame, first page). */
  private async stillOf(sha256: string, assetId: string): Promise<string> {
    const still = await this.deps.blobs.rendition(sha256, STILL_KEY);
    if (!still) {
      throw new AssetflowError(
        ErrorCodes.RENDITION_UNKNOWN,
        `Asset ${assetId} has no preview to render from (its type has none, or ingest is still running); only the original is available.`,
        409,
      );
    }
    return still;
  }
}

/** `a.jpg`, `a (2).jpg`, …: two assets with the same name must not overwrite each other in a zip. */
export function zipEntryName(name: string, used: Set<string>): string {
  // Separators, a drive letter's colon and control characters would make yazl refuse the entry
  // ("absolute path") after the download was already counted.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  const safe = name.replace(/[/\\:\u0000-\u001f\u007f]/g, '_').replace(/^\.+/, '_') || 'file';
  let candidate = safe;
  const { name: stem, ext } = path.parse(safe);
  for (let n = 2; used.has(candidate.toLowerCase()); n += 1) candidate = `${stem} (${n})${ext}`;
  used.add(candidate.toLowerCase());
  return candidate;
}
