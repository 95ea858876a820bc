import type { AppConfig } from '../config/config.schema';
import { RenditionCache } from '../operations/rendition-cache';
import { DistributionService } from '../services/distribution.service';
import { TraceService } from '../services/trace.service';
import type { Storage } from './catalogue';

/**
 * Renditions (cached) and what leaves, on this storage: shared by the API and the CLI. With
 * `blobs.s3.downloads: presigned`, downloads are handed to the store for that many seconds.
 */
export function distributionOf(
  storage: Storage,
  limits: AppConfig['limits'],
  blobs?: AppConfig['blobs'],
): DistributionService {
  const renditions = new RenditionCache({
    blobs: storage.blobs,
    renditions: storage.renditions,
    maxImagePixels: limits.maxImagePixels,
  });
  return new DistributionService({
    maxImagePixels: limits.maxImagePixels,
    blobs: storage.blobs,
    ruleSets: storage.ruleSets,
    renditions,
    handOffSeconds: blobs?.s3?.downloads === 'presigned' ? (blobs.s3.presignedSeconds ?? 300) : undefined,
  });
}

/** Leak tracing on this storage (`POST /api/trace` and `assetflow trace`). */
export function traceOf(
  storage: Storage,
  limits: AppConfig['limits'],
  distribution = distributionOf(storage, limits),
) {
  return new TraceService({
    audit: storage.audit,
    assets: storage.assets,
    distribution,
    maxImagePixels: limits.maxImagePixels,
    maxCandidates: limits.traceCandidates,
  });
}
