import { readFile } from 'node:fs/promises';
import { buffer } from 'node:stream/consumers';
import type { AssetRecord, AssetRepository, VersionRecord } from '../catalogue/asset.repository';
import type { AuditRepository, WatermarkedRendition } from '../catalogue/audit.repository';
import type { AuditEvent } from '../catalogue/audit-event';
import { AssetflowError, ErrorCodes, imageTooLarge } from '../domain/errors';
import { isUuid } from '../domain/ids';
import { hammingDistance, perceptualHash } from '../imaging/perceptual-hash';
import { readImageHeader } from '../imaging/read-image-info';
import { type Grey, greyOf } from '../imaging/registration';
import { type Extraction, extractRegistered, extractWatermark, payloadHex } from '../imaging/watermark';
import type { DistributionService } from './distribution.service';

/** Where a cropped suspect was found in a rendition that marked copies were made of. */
export interface TraceMatch {
  assetId: string;
  version: number;
  rendition: string;
  /** Rendition pixels per suspect pixel, and the suspect's top-left corner in the rendition. */
  scale: number;
  left: number;
  top: number;
  /** Correlation of the suspect with the rendition at that place (a true match ≈ 0.99). */
  score: number;
  /** Share of the watermark's blocks the suspect still covers. */
  coverage: number;
}

export type TraceResult =
  | {
      found: true;
      payload: string;
      confidence: number;
      events: AuditEvent[];
      /** `blind`: read directly; `registered`: read after locating a crop in its rendition. */
      method: 'blind' | 'registered';
      match?: TraceMatch;
    }
  | {
      found: false;
      confidence: number;
      message: string;
      payload?: string;
      /** A marked rendition the suspect shows (whole or cropped) when its watermark did not read. */
      match?: TraceMatch;
      candidatesTried: number;
      /** Candidates whose rendition could not be made or read. */
      skipped?: TraceSkip[];
    };

export interface TraceSkip {
  assetId: string;
  version: number;
  rendition: string;
  reason: string;
}

interface AssetWithVersions {
  asset: AssetRecord;
  versions: VersionRecord[];
}

/** Marked renditions read from the trail before ranking them (rows only: cheap). */
const CANDIDATE_WINDOW = 10_000;

/**
 * Who leaked it. First the blind read: the watermark alone names the payload, and the trail the
 * distribution events that sent it. A crop defeats the blind read (the watermark's grid moves), so
 * then the suspect is located in the renditions that marked copies were made of — nearest
 * perceptual hash first, at most `maxCandidates` of them, or only the asset the caller names —
 * and read again where it was cut from. A payload counts only with a valid CRC and an issued
 * distribution event of that asset.
 */
export class TraceService {
  constructor(
    private readonly deps: {
      audit: AuditRepository;
      assets: Pick<AssetRepository, 'find' | 'versions'>;
      distribution: Pick<DistributionService, 'renditionOfVersion'>;
      maxImagePixels: number;
      maxCandidates: number;
    },
  ) {}

  async trace(image: Buffer, options: { assetId?: string } = {}): Promise<TraceResult> {
    if (options.assetId !== undefined && !isUuid(options.assetId)) {
      throw new AssetflowError(ErrorCodes.VALIDATION_FAILED, '"asset" is an asset id (a UUID).', 400, {
        asset: options.assetId,
      });
    }
    await this.checkSize(image);
    const blind = await extractWatermark(image, this.deps.maxImagePixels).catch((error: Error) => {
      throw unreadable(error);
    });
    const blindEvents = await this.eventsOf(blind);
    if (blindEvents.length > 0) {
      return { found: true, ...this.summary(blind), events: blindEvents, method: 'blind' };
    }

    // The first rendition the suspect registered against, and what was read there.
    let registered: { read: Extraction; match: TraceMatch } | undefined;
    const skipped: TraceSkip[] = [];
    let suspect: Grey | undefined;
    let tried = 0;
    // An asset's row and versions, read once however many of its renditions are candidates.
    const assetsSeen = new Map<string, Promise<AssetWithVersions | undefined>>();
    for (const candidate of await this.candidates(image, options.assetId)) {
      const where = {
        assetId: candidate.assetId,
        version: candidate.version,
        rendition: candidate.rendition,
      };
      try {
        const reference = await this.renditionOf(candidate, assetsSeen);
        if (!reference) continue;
        tried += 1;
        suspect ??= await greyOf(image, undefined, this.deps.maxImagePixels);
        const read = await extractRegistered(suspect, reference, this.deps.maxImagePixels);
        if (!read) continue;
        const match: TraceMatch = { ...where, ...read.registration, coverage: read.coverage };
        const events = (await this.eventsOf(read)).filter((e) => e.assetId === candidate.assetId);
        if (events.length > 0)
          return { found: true, ...this.summary(read), events, method: 'registered', match };
        registered ??= { read, match };
      } catch (error) {
        // One unreadable rendition (a damaged cache file, a preset that no longer renders) must
        // not end the investigation; it is reported, without paths.
        skipped.push({
          ...where,
          reason: error instanceof AssetflowError ? error.message : 'could not be read',
        });
      }
    }

    const read = registered?.read ?? blind;
    const { confidence, payload } = this.summary(read);
    const common = {
      found: false as const,
      confidence,
      candidatesTried: tried,
      ...(registered ? { match: registered.match } : {}),
      ...(skipped.length > 0 ? { skipped } : {}),
    };
    if (read.payload !== null) {
      return {
        ...common,
        payload,
        message: 'A watermark was read, but no distribution of this picture used it.',
      };
    }
    if (registered) {
      const { assetId, version, rendition } = registered.match;
      return {
        ...common,
        message: `The image shows asset ${assetId} v${version} (${rendition}), but no watermark could be read from it.`,
      };
    }
    return { ...common, message: 'No watermark found.' };
  }

  /** A suspect above the pixel limit is a 413 before any decoding (and one without a header a 422). */
  private async checkSize(image: Buffer): Promise<void> {
    const header = await readImageHeader(image).catch((error: Error) => {
      throw unreadable(error);
    });
    if (header.width * header.height > this.deps.maxImagePixels) {
      throw imageTooLarge('The image', header, this.deps.maxImagePixels);
    }
  }

  private summary(read: Extraction) {
    return {
      payload: read.payload === null ? '' : payloadHex(read.payload),
      confidence: Math.round(read.confidence * 1000) / 1000,
    };
  }

  private async eventsOf(read: Extraction): Promise<AuditEvent[]> {
    return read.payload === null ? [] : this.deps.audit.byWatermark(payloadHex(read.payload));
  }

  /**
   * Marked renditions, nearest perceptual hash to the suspect's first, then most recent; the
   * first `maxCandidates` of them, or all of the asset's when the caller names one.
   */
  private async candidates(image: Buffer, assetId?: string): Promise<WatermarkedRendition[]> {
    const all = await this.deps.audit.watermarkedRenditions({ assetId, limit: CANDIDATE_WINDOW });
    const hash = await perceptualHash(image, this.deps.maxImagePixels);
    const distance = (c: WatermarkedRendition) =>
      c.perceptualHash ? hammingDistance(c.perceptualHash, hash) : Number.POSITIVE_INFINITY;
    // Array.prototype.sort is stable: equal distances keep the trail's most-recent-first order.
    return all
      .map((c) => ({ c, d: distance(c) }))
      .sort((a, b) => a.d - b.d)
      .slice(0, assetId ? undefined : this.deps.maxCandidates)
      .map(({ c }) => c);
  }

  /** The unmarked rendition's bytes; undefined when the asset or version is gone. */
  private async renditionOf(
    candidate: WatermarkedRendition,
    assetsSeen: Map<string, Promise<AssetWithVersions | undefined>>,
  ): Promise<Buffer | undefined> {
    let known = assetsSeen.get(candidate.assetId);
    if (!known) {
      known = this.assetWithVersions(candidate.assetId);
      assetsSeen.set(candidate.assetId, known);
    }
    const found = await known;
    const version = found?.versions.find((v) => v.version === candidate.version);
    if (!found || !version) return undefined;
    const file = await this.deps.distribution.renditionOfVersion(found.asset, version, candidate.rendition);
    return file.file ? readFile(file.file) : buffer(await file.open!());
  }

  private async assetWithVersions(assetId: string): Promise<AssetWithVersions | undefined> {
    const asset = await this.deps.assets.find(assetId);
    return asset ? { asset, versions: await this.deps.assets.versions(assetId) } : undefined;
  }
}

function unreadable(error: Error): AssetflowError {
  return new AssetflowError(
    ErrorCodes.FILE_CORRUPT,
    `The body is not an image sharp can read: ${error.message}`,
    422,
  );
}
