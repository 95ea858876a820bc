import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { ZipFile } from 'yazl';
import { type BlobStore, STILL_KEY } from '../blobstore/blob-store';
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
  file: string;
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
    const original = await this.deps.blobs.localFile(version.sha256, asset.tier);
    if (preset.original) {
      return {
        file: original,
        // The type ingest detected from the bytes; what the client declared is never sent back.
        mediaType: version.analysis?.mediaType ?? 'application/octet-stream',
        filename: asset.displayName,
        sizeBytes: version.sizeBytes,
        version: version.version,
      };
    }
    const source = asset.kind === 'image' ? original : await this.stillOf(version.sha256, asset.id);
    const made = await this.deps.renditions.get(version.sha256, source, name, preset);
    const stem = path.parse(asset.displayName).name || asset.id;
    return {
      file: made.file,
      mediaType: made.mediaType,
      filename: `${stem}-${name}.${EXTENSIONS[made.mediaType] ?? 'bin'}`,
      sizeBytes: made.sizeBytes,
      version: version.version,
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
    const source = file.file;
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
    return {
      ...file,
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
      else zip.addReadStream(createReadStream(file.file), name, { compress: false });
    }
    zip.end();
    return zip.outputStream as unknown as Readable;
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
