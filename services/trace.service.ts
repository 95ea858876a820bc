import { readFile } from 'node:fs/promises';
import type { AssetRecord, AssetRepository, VersionRecord } from '../catalogue/asset.repository';
import type { AuditRepository, WatermarkedRendition } from '../catalogue/audit.repository';
import type { AuditEvent } from '../catalogue/audit-event';
import { AssetflowError, ErrorCodes } from '../domain/errors';
import { isUuid } from '../domain/ids';
import { hammingDistance, perceptualHash } from '../imaging/perceptual-hash';
import { greyOf } from '../imaging/registration';
import { type Extraction, extractRegistered, extractWatermark } from '../imaging/watermark';
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
    };

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
    const blind = await extractWatermark(image, this.deps.maxImagePixels);
    const blindEvents = await this.eventsOf(blind);
    if (blindEvents.length > 0) {
      return { found: true, ...this.summary(blind), events: blindEvents, method: 'blind' };
    }

    const candidates = await this.candidates(image, options.assetId);
    const suspect = await greyOf(image, undefined, this.deps.maxImagePixels);
    let match: TraceMatch | undefined;
    let tried = 0;
    for (const candidate of candidates) {
      const reference = await this.renditionOf(candidate);
      if (!reference) continue;
      tried += 1;
      const read = await extractRegistered(suspect, reference, this.deps.maxImagePixels);
      if (!read) continue;
      const here: TraceMatch = {
        assetId: candidate.assetId,
        version: candidate.version,
        rendition: candidate.rendition,
        ...read.registration,
        coverage: read.coverage,
      };
      const events = (await this.eventsOf(read)).filter((e) => e.assetId === candidate.assetId);
      if (events.length > 0)
        return { found: true, ...this.summary(read), events, method: 'registered', match: here };
      match ??= here;
    }

    const { confidence, payload } = this.summary(blind);
    if (match) {
      return {
        found: false,
        confidence,
        match,
        candidatesTried: tried,
        message: `The image shows asset ${match.assetId} v${match.version} (${match.rendition}), but no watermark could be read from it.`,
      };
    }
    return blind.payload === null
      ? { found: false, confidence, candidatesTried: tried, message: 'No watermark found.' }
      : {
          found: false,
          confidence,
          payload,
          candidatesTried: tried,
          message: 'A watermark was read, but no distribution used it.',
        };
  }

  private summary(read: Extraction) {
    return {
      payload: read.payload === null ? '' : hex(read.payload),
      confidence: Math.round(read.confidence * 1000) / 1000,
    };
  }

  private async eventsOf(read: Extraction): Promise<AuditEvent[]> {
    return read.payload === null ? [] : this.deps.audit.byWatermark(hex(read.payload));
  }

  /** Marked renditions, nearest perceptual hash to the suspect's first, then most recent. */
  private async candidates(image: Buffer, assetId?: string): Promise<WatermarkedRendition[]> {
    const all = await this.deps.audit.watermarkedRenditions({ assetId, limit: CANDIDATE_WINDOW });
    const hash = await perceptualHash(image, this.deps.maxImagePixels);
    const distance = (c: WatermarkedRendition) =>
      c.perceptualHash ? hammingDistance(c.perceptualHash, hash) : Number.POSITIVE_INFINITY;
    // Array.prototype.sort is stable: equal distances keep the trail's most-recent-first order.
    return all
      .map((c) => ({ c, d: distance(c) }))
      .sort((a, b) => a.d - b.d)
      .slice(0, this.deps.maxCandidates)
      .map(({ c }) => c);
  }

  /** The unmarked rendition's bytes, or undefined when it can no longer be made (asset gone, preset removed). */
  private async renditionOf(candidate: WatermarkedRendition): Promise<Buffer | undefined> {
    const asset: AssetRecord | undefined = await this.deps.assets.find(candidate.assetId);
    if (!asset) return undefined;
    const version: VersionRecord | undefined = (await this.deps.assets.versions(candidate.assetId)).find(
      (v) => v.version === candidate.version,
    );
    if (!version) return undefined;
    try {
      const file = await this.deps.distribution.renditionOfVersion(asset, version, candidate.rendition);
      return await readFile(file.file);
    } catch {
      return undefined;
    }
  }
}

function hex(payload: bigint): string {
  return payload.toString(16).padStart(10, '0');
}
