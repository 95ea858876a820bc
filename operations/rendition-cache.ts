import { createHash } from 'node:crypto';
import type { BlobStore } from '../blobstore/blob-store';
import type { RenditionRecord, RenditionRepository } from '../catalogue/rendition.repository';
import { canonicalJson } from '../domain/canonical-json';
import { renderRendition } from '../imaging/render-rendition';
import type { RenditionPreset } from '../rules/document';

export interface CachedRendition extends RenditionRecord {
  file: string;
}

/**
 * Renditions made once and kept: keyed by the source's sha256 and the preset's name and settings,
 * so the same bytes under another version or asset reuse them, and an edited preset makes new ones.
 * Concurrent requests for the same rendition in one process share one render; across processes
 * the atomic write makes a rare double render harmless (same bytes, first record wins).
 */
export class RenditionCache {
  private readonly inFlight = new Map<string, Promise<CachedRendition>>();
  /** Renders performed by this process (for tests and metrics). */
  renders = 0;

  constructor(
    private readonly deps: { blobs: BlobStore; renditions: RenditionRepository; maxImagePixels: number },
  ) {}

  /**
   * A derived still (a video's poster frame, a PDF's first page) kept beside the renditions, made
   * once by `make`; renditions of a video or PDF are rendered from it.
   */
  async still(sourceSha256: string, key: string, make: () => Promise<Buffer>): Promise<string> {
    const kept = await this.deps.blobs.rendition(sourceSha256, key);
    if (kept) return kept;
    return this.deps.blobs.writeRendition(sourceSha256, key, await make());
  }

  static keyOf(name: string, preset: RenditionPreset): string {
    const digest = createHash('sha256').update(canonicalJson(preset)).digest('hex').slice(0, 12);
    return `${name.replace(/[^\w-]/g, '_')}-${digest}`;
  }

  /** `sourceFile` may be a function: a source in object storage is fetched only when a render needs it. */
  async get(
    sourceSha256: string,
    sourceFile: string | (() => Promise<string>),
    name: string,
    preset: RenditionPreset,
  ): Promise<CachedRendition> {
    const key = RenditionCache.keyOf(name, preset);
    const flightKey = `${sourceSha256}/${key}`;
    const running = this.inFlight.get(flightKey);
    if (running) return running;
    const work = this.getOrRender(sourceSha256, sourceFile, name, key, preset).finally(() =>
      this.inFlight.delete(flightKey),
    );
    this.inFlight.set(flightKey, work);
    return work;
  }

  private async getOrRender(
    sourceSha256: string,
    sourceFile: string | (() => Promise<string>),
    name: string,
    key: string,
    preset: RenditionPreset,
  ): Promise<CachedRendition> {
    const known = await this.deps.renditions.find(sourceSha256, key);
    const kept = known && (await this.deps.blobs.rendition(sourceSha256, key));
    if (known && kept) return { ...known, file: kept };

    const source = typeof sourceFile === 'string' ? sourceFile : await sourceFile();
    const rendered = await renderRendition(source, preset, this.deps.maxImagePixels);
    this.renders += 1;
    const file = await this.deps.blobs.writeRendition(sourceSha256, key, rendered.bytes);
    const record: RenditionRecord = {
      sourceSha256,
      presetKey: key,
      preset: name,
      mediaType: rendered.mediaType,
      width: rendered.width,
      height: rendered.height,
      sizeBytes: rendered.bytes.length,
    };
    await this.deps.renditions.save(record);
    return { ...record, file };
  }
}
