import sharp, { type Metadata } from 'sharp';
import type { VersionAnalysis } from '../domain/asset';

/** Formats sharp can read that Assetflow treats as images. */
const IMAGE_FORMATS = new Set(['jpeg', 'png', 'webp', 'gif', 'tiff', 'avif', 'heif', 'svg', 'jp2', 'jxl']);

/**
 * Reads an image's header with sharp (no pixels are decoded) and returns its basic properties, or
 * a `generic` result naming why the file is not treated as an image.
 */
export async function readImageInfo(file: string, maxPixels: number): Promise<VersionAnalysis> {
  let meta: Metadata;
  try {
    meta = await sharp(file, { limitInputPixels: maxPixels }).metadata();
  } catch (error) {
    return { kind: 'generic', reason: `not a readable image (${(error as Error).message})` };
  }
  if (!meta.format || !IMAGE_FORMATS.has(meta.format) || !meta.width || !meta.height) {
    return { kind: 'generic', reason: `format ${meta.format ?? 'unknown'} is not an image format` };
  }
  if (meta.width * meta.height > maxPixels) {
    return {
      kind: 'generic',
      reason: `${meta.width}×${meta.height} exceeds the limit of ${maxPixels} pixels`,
    };
  }
  const info: VersionAnalysis = {
    kind: 'image',
    format: meta.format,
    width: meta.width,
    height: meta.height,
  };
  if (meta.space) info.space = meta.space;
  if (meta.channels) info.channels = meta.channels;
  if (meta.hasAlpha !== undefined) info.hasAlpha = meta.hasAlpha;
  if (meta.orientation) info.orientation = meta.orientation;
  if (meta.density) info.density = meta.density;
  return info;
}
