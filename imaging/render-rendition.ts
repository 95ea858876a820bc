import type { RenditionPreset } from '../rules/document';
import { decodeImage, fromOwnEncoding } from './pixels';

export interface RenderedImage {
  bytes: Buffer;
  mediaType: string;
  width: number;
  height: number;
}

const MEDIA_TYPES = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', avif: 'image/avif' } as const;

/**
 * Renders a preset with sharp: EXIF orientation applied, resized (never enlarged), transparent
 * areas flattened onto the preset's background for formats without alpha, an optional visible
 * text watermark, encoded in the preset's format. Metadata is stripped (sharp's default), so GPS
 * and camera data never leave in a rendition. Invisible watermarks are per recipient and added
 * at download, not here.
 */
export async function renderRendition(
  source: string,
  preset: RenditionPreset,
  maxPixels: number,
): Promise<RenderedImage> {
  const format = preset.format ?? 'jpeg';
  let image = decodeImage(source, maxPixels).rotate();
  if (preset.width || preset.height) {
    image = image.resize({
      ...(preset.width ? { width: preset.width } : {}),
      ...(preset.height ? { height: preset.height } : {}),
      fit: preset.fit ?? 'inside',
      withoutEnlargement: preset.fit !== 'contain',
      background: preset.background ?? '#ffffff',
    });
  }
  if (format === 'jpeg' || preset.background)
    image = image.flatten({ background: preset.background ?? '#ffffff' });
  if (preset.watermark) {
    // Resize first so the mark is sized to the output, then composite onto the resized pixels.
    const resized = await image.png().toBuffer({ resolveWithObject: true });
    image = fromOwnEncoding(resized.data).composite([
      { input: watermarkSvg(preset.watermark, resized.info.width, resized.info.height), top: 0, left: 0 },
    ]);
  }
  const quality = preset.quality ?? 82;
  const encoded =
    format === 'png'
      ? image.png()
      : format === 'webp'
        ? image.webp({ quality })
        : format === 'avif'
          ? image.avif({ quality })
          : image.jpeg({ quality, mozjpeg: true });
  const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
  return { bytes: data, mediaType: MEDIA_TYPES[format], width: info.width, height: info.height };
}

function watermarkSvg(
  mark: NonNullable<RenditionPreset['watermark']>,
  width: number,
  height: number,
): Buffer {
  const opacity = mark.opacity ?? 0.35;
  const size = Math.max(12, Math.round(Math.min(width, height) / (mark.position === 'tiled' ? 12 : 8)));
  const text = escapeXml(mark.text);
  const style = `font-family="DejaVu Sans, sans-serif" font-weight="bold" font-size="${size}" fill="#ffffff" fill-opacity="${opacity}" stroke="#000000" stroke-opacity="${opacity / 2}"`;
  let body: string;
  if (mark.position === 'tiled') {
    const rows: string[] = [];
    for (let y = size * 2; y < height + size; y += size * 4) {
      for (let x = 0; x < width + size * 6; x += size * 8) {
        rows.push(`<text x="${x}" y="${y}" ${style} transform="rotate(-30 ${x} ${y})">${text}</text>`);
      }
    }
    body = rows.join('');
  } else if (mark.position === 'bottom-right') {
    body = `<text x="${width - size / 2}" y="${height - size / 2}" text-anchor="end" ${style}>${text}</text>`;
  } else {
    body = `<text x="50%" y="50%" text-anchor="middle" dominant-baseline="middle" ${style}>${text}</text>`;
  }
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${body}</svg>`,
  );
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
