import type { VersionAnalysis } from '../domain/asset';
import type { IngestOptions } from '../domain/ingest-options';
import { analyseColours, checkBrandColours } from '../imaging/colours';
import { detectMediaType } from '../imaging/detect-media-type';
import { readEmbeddedMetadata } from '../imaging/embedded-metadata';
import { perceptualHash } from '../imaging/perceptual-hash';
import { readImageInfo } from '../imaging/read-image-info';
import type { RenditionCache } from '../services/rendition-cache';
import { type Tagger, tagWithAll } from '../tagging/tagger';

export interface IngestDeps {
  renditions: RenditionCache;
  taggers: Tagger[];
  maxImagePixels: number;
}

/**
 * Everything Assetflow learns from a file's bytes: type from content, image header, embedded
 * metadata, colours and brand check, perceptual hash, tags, and the thumbnail. Pure with respect
 * to the catalogue (the caller saves the result), and deterministic for the same bytes and
 * options, so running it twice gives the same answer.
 */
export async function ingestFile(
  source: { sha256: string; file: string },
  options: IngestOptions,
  deps: IngestDeps,
): Promise<VersionAnalysis> {
  const { mediaType } = await detectMediaType(source.file);
  const embedded = options.autoTagging.exif ? await readEmbeddedMetadata(source.file) : {};
  const info = await readImageInfo(source.file, deps.maxImagePixels);
  if (info.kind !== 'image') {
    const tags = await tagWithAll(deps.taggers, {
      file: source.file,
      mediaType,
      image: null,
      colours: null,
      embedded,
    });
    return { ...info, mediaType, embedded, tags };
  }

  const colours = await analyseColours(source.file, deps.maxImagePixels);
  const tags = await tagWithAll(deps.taggers, {
    file: source.file,
    mediaType,
    image: info,
    colours: options.autoTagging.colours ? colours : null,
    embedded,
  });
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
    perceptualHash: await perceptualHash(source.file, deps.maxImagePixels),
    tags,
    thumbnail: {
      preset: options.thumbnail.name,
      mediaType: thumbnail.mediaType,
      width: thumbnail.width,
      height: thumbnail.height,
    },
  };
}
