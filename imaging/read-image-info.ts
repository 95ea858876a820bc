import type { VersionAnalysis } from '../domain/asset';
import { decodeImage, type Metadata, readHeader } from './pixels';

/** Formats sharp can read that Assetflow treats as images. */
const IMAGE_FORMATS = new Set(['jpeg', 'png', 'webp', 'gif', 'tiff', 'avif', 'heif', 'svg', 'jp2', 'jxl']);

/**
 * Reads an image's header with sharp (no pixels are decoded) and returns its basic properties, or
 * a `generic` result naming why the file is not treated as an image.
 */
export async function readImageInfo(file: string, maxPixels: number): Promise<VersionAnalysis> {
  let meta: Metadata;
  try {
    meta = await decodeImage(file, maxPixels).metadata();
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

/**
 * An image's header, without the pixel limit (the caller checks it with its own message) and
 * without decoding pixels. Throws when the header is unreadable.
 */
export async function readImageHeader(
  file: string | Buffer,
): Promise<{ format?: string; width: number; height: number }> {
  const { format, width = 0, height = 0 } = await readHeader(file);
  return { ...(format ? { format } : {}), width, height };
}

/** The image as 8-bit RGB pixels, oriented and reduced to fit `maxSide` (for models). */
export async function decodeRgb(
  file: string,
  maxSide: number,
  maxPixels: number,
): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await decodeImage(file, maxPixels)
    .rotate()
    .resize(maxSide, maxSide, { fit: 'inside', withoutEnlargement: true })
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** Writes the image as PNG reduced to fit `maxSide` (never enlarged), oriented. */
export async function writeResized(
  file: string,
  out: string,
  maxSide: number,
  maxPixels: number,
): Promise<void> {
  await decodeImage(file, maxPixels)
    .rotate()
    .resize(maxSide, maxSide, { fit: 'inside', withoutEnlargement: true })
    .png()
    .toFile(out);
}
