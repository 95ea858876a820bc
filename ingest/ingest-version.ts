import { STILL_KEY } from '../blobstore/blob-store';
import type { VersionAnalysis } from '../domain/asset';
import { analyseColours, checkBrandColours } from '../imaging/colours';
import { detectMediaType } from '../imaging/detect-media-type';
import { readEmbeddedMetadata } from '../imaging/embedded-metadata';
import { perceptualHash } from '../imaging/perceptual-hash';
import { makePreview, type PreviewTools } from '../imaging/previews';
import { readImageInfo } from '../imaging/read-image-info';
import type { CachedRendition, RenditionCache } from '../operations/rendition-cache';
import type { IngestOptions } from '../rules/ingest-options';
import type { Tagging } from '../tagging/offline-tagging';
import { mergeTags, type Tag, tagWithAll } from '../tagging/tagger';

export interface IngestDeps {
  renditions: RenditionCache;
  tagging: Tagging;
  maxImagePixels: number;
  /** ffmpeg and poppler programs for video and PDF previews (Debian's by default). */
  previewTools?: PreviewTools;
}

/**
 * Everything Assetflow learns from a file's bytes: type from content, image header, embedded
 * metadata, colours and brand check, perceptual hash, tags (rules, objects), text (OCR) and the
 * thumbnail. It writes only the thumbnail (content-addressed, atomic); the caller saves the
 * result. The same bytes and options give the same answer, so running it twice is harmless.
 *
 * With `models: 'later'` the models (object detector, OCR: seconds per image, most of ingest) are
 * left out and the analysis says `enrichment: pending` when they have work; `enrichFile` does it.
 * `known` carries what the upload edge already computed from the same bytes (the perceptual
 * hash), so the image is not decoded and hashed twice.
 */
export async function ingestFile(
  source: { sha256: string; file: string },
  options: IngestOptions,
  deps: IngestDeps,
  stage: { models: 'now' | 'later'; known?: { perceptualHash?: string } } = { models: 'now' },
): Promise<VersionAnalysis> {
  const { mediaType } = await detectMediaType(source.file);
  const wanted = enabledTaggers(options, deps);
  const taggers = stage.models === 'later' ? wanted.filter((t) => !t.model) : wanted;
  const embedded = options.autoTagging.exif ? await readEmbeddedMetadata(source.file) : {};
  const info = await readImageInfo(source.file, deps.maxImagePixels);
  if (info.kind !== 'image') {
    const tags = await tagWithAll(taggers, {
      file: source.file,
      mediaType,
      image: null,
      colours: null,
      embedded,
    });
    return { ...info, mediaType, embedded, tags, ...(await previewOf(source, mediaType, options, deps)) };
  }

  const colours = await analyseColours(source.file, deps.maxImagePixels);
  const tags = await tagWithAll(taggers, {
    file: source.file,
    mediaType,
    image: info,
    colours: options.autoTagging.colours ? colours : null,
    embedded,
  });
  const reader = textReaderFor(options, deps);
  const text = reader && stage.models === 'now' ? await reader.read(source.file) : [];
  const modelsLater = stage.models === 'later' && (reader !== null || wanted.some((t) => t.model));
  const thumbnail = await deps.renditions.get(
    source.sha256,
    source.file,
    options.thumbnail.name,
    options.thumbnail.preset,
  );
  return {
    ...info,
    mediaType,
    embedded,
    colours,
    ...(options.brandPalette
      ? { brandColours: checkBrandColours(colours.palette, options.brandPalette) }
      : {}),
    perceptualHash: stage.known?.perceptualHash ?? (await perceptualHash(source.file, deps.maxImagePixels)),
    tags,
    ...(text.length > 0 ? { text } : {}),
    thumbnail: thumbnailFacts(options, thumbnail),
    ...(modelsLater ? { enrichment: { state: 'pending' as const } } : {}),
  };
}

/**
 * The models' part of ingest, for an image whose cheap analysis is `analysis`: object tags merged
 * into its tags (by name, the most confident source kept) and the text it shows. Returns the
 * analysis to save and the tags the models found. A model that fails gives `failed` with why.
 */
export async function enrichFile(
  source: { file: string },
  analysis: VersionAnalysis,
  options: IngestOptions,
  deps: IngestDeps,
): Promise<{ analysis: VersionAnalysis; found: Tag[] }> {
  if (analysis.kind !== 'image')
    return { analysis: { ...analysis, enrichment: { state: 'done' } }, found: [] };
  const models = enabledTaggers(options, deps).filter((t) => t.model);
  const reader = textReaderFor(options, deps);
  let found: Tag[];
  let text: Awaited<ReturnType<NonNullable<typeof reader>['read']>>;
  try {
    found = await tagWithAll(models, {
      file: source.file,
      mediaType: analysis.mediaType ?? `image/${analysis.format}`,
      image: analysis,
      colours: options.autoTagging.colours ? (analysis.colours ?? null) : null,
      embedded: analysis.embedded ?? {},
    });
    text = reader ? await reader.read(source.file) : [];
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0] ?? 'unknown error';
    return { analysis: { ...analysis, enrichment: { state: 'failed', reason } }, found: [] };
  }
  const tags = mergeTags([...(analysis.tags ?? []), ...found]);
  return {
    analysis: { ...analysis, tags, ...(text.length > 0 ? { text } : {}), enrichment: { state: 'done' } },
    found,
  };
}

/** Only the taggers the rule set switched on for this asset. */
function enabledTaggers(options: IngestOptions, deps: IngestDeps) {
  return deps.tagging.taggers.filter((t) => !t.needs || options.autoTagging[t.needs]);
}

function textReaderFor(options: IngestOptions, deps: IngestDeps) {
  return deps.tagging.textReader && options.autoTagging.text ? deps.tagging.textReader : null;
}

/**
 * Videos and PDFs: a still made once (poster frame, first page) and the thumbnail rendered from
 * it. Other types get nothing; a missing or failing tool gives a `preview` that says why.
 */
async function previewOf(
  source: { sha256: string; file: string },
  mediaType: string,
  options: IngestOptions,
  deps: IngestDeps,
): Promise<Pick<VersionAnalysis, 'preview' | 'thumbnail'>> {
  if (!mediaType.startsWith('video/') && mediaType !== 'application/pdf') return {};
  // The tools run every time (they also report duration, size and pages); the still is kept once.
  const preview = await makePreview(source.file, mediaType, deps.previewTools);
  if (!preview?.ok) return { preview: { ok: false, reason: preview?.reason ?? 'no preview for this type' } };
  const { png, ...facts } = preview;
  const still = await deps.renditions.still(source.sha256, STILL_KEY, async () => png);
  const thumbnail = await deps.renditions.get(
    source.sha256,
    still,
    options.thumbnail.name,
    options.thumbnail.preset,
  );
  return {
    preview: facts,
    thumbnail: thumbnailFacts(options, thumbnail),
  };
}

function thumbnailFacts(
  options: IngestOptions,
  thumbnail: CachedRendition,
): NonNullable<VersionAnalysis['thumbnail']> {
  return {
    preset: options.thumbnail.name,
    key: thumbnail.presetKey,
    mediaType: thumbnail.mediaType,
    width: thumbnail.width,
    height: thumbnail.height,
  };
}
