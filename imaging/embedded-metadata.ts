import type { EmbeddedMetadata } from '../domain/ingest-findings';

export type { EmbeddedMetadata } from '../domain/ingest-findings';

import exifr from 'exifr';

/**
 * Reads EXIF, IPTC and XMP with exifr (only the metadata segments are read, never pixels). A file
 * with no or unreadable metadata gives an empty object: metadata is optional, never fatal.
 */
export async function readEmbeddedMetadata(file: string): Promise<EmbeddedMetadata> {
  let raw: Record<string, unknown> | undefined;
  try {
    raw = await exifr.parse(file, {
      tiff: true,
      exif: true,
      gps: true,
      iptc: true,
      xmp: true,
      icc: false,
      jfif: false,
      ihdr: false,
      mergeOutput: true,
    });
  } catch {
    return {};
  }
  if (!raw) return {};
  const out: EmbeddedMetadata = {};
  const text = (...keys: string[]) => {
    for (const key of keys) {
      const value = plainText(raw[key]);
      if (value) return value;
    }
    return undefined;
  };
  const set = <K extends keyof EmbeddedMetadata>(key: K, value: EmbeddedMetadata[K] | undefined) => {
    if (value !== undefined) out[key] = value;
  };
  set('creator', text('Artist', 'creator', 'By-line', 'Creator'));
  set('copyright', text('Copyright', 'rights', 'CopyrightNotice'));
  set('title', text('title', 'ObjectName', 'Headline'));
  set('description', text('ImageDescription', 'description', 'Caption', 'Caption-Abstract'));
  const keywords = [raw.Keywords, raw.subject].flatMap((k) => (Array.isArray(k) ? k : k ? [k] : []));
  if (keywords.length > 0)
    out.keywords = [
      ...new Set(
        keywords
          .map(String)
          .map((k) => k.trim())
          .filter(Boolean),
      ),
    ];
  const captured = raw.DateTimeOriginal ?? raw.CreateDate;
  if (captured instanceof Date && !Number.isNaN(captured.getTime())) out.capturedAt = captured.toISOString();
  const camera = [text('Make'), text('Model')].filter(Boolean).join(' ');
  if (camera) out.camera = camera;
  set('lens', text('LensModel'));
  set('software', text('Software'));
  if (typeof raw.latitude === 'number' && typeof raw.longitude === 'number') {
    out.gps = { latitude: raw.latitude, longitude: raw.longitude };
  }
  return out;
}

/** XMP gives language alternatives as `{value, lang}` or arrays; take the first plain string. */
function plainText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (Array.isArray(value)) return plainText(value[0]);
  if (value && typeof value === 'object' && 'value' in value)
    return plainText((value as { value: unknown }).value);
  return undefined;
}
