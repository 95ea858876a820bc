import path from 'node:path';

/** What the bytes are, found from their content (magic numbers), never from the name. */
export interface DetectedType {
  /** MIME type, or `application/octet-stream` when the content has no recognisable signature. */
  mediaType: string;
  /** The usual extension for the detected type, when known. */
  extension: string | null;
}

/**
 * Extensions whose files Assetflow treats specially (previews, renditions), with the types their
 * content may really have. A file named with one of these whose bytes are something else is
 * mislabelled; any other extension (CAD, archives, fonts…) is stored as a generic asset.
 */
const EXPECTED_TYPES: Record<string, string[]> = {
  jpg: ['image/jpeg'],
  jpeg: ['image/jpeg'],
  jfif: ['image/jpeg'],
  png: ['image/png', 'image/apng'],
  gif: ['image/gif'],
  webp: ['image/webp'],
  tif: ['image/tiff'],
  tiff: ['image/tiff'],
  avif: ['image/avif'],
  heic: ['image/heic', 'image/heif'],
  heif: ['image/heif', 'image/heic'],
  jxl: ['image/jxl'],
  pdf: ['application/pdf'],
  ai: ['application/pdf', 'application/postscript'],
  mp4: ['video/mp4'],
  m4v: ['video/mp4', 'video/x-m4v'],
  mov: ['video/quicktime'],
  webm: ['video/webm'],
};

// file-type is ESM-only; loaded once, on first use, through a dynamic import.
let fileTypeModule: Promise<typeof import('file-type')> | undefined;

export async function detectMediaType(file: string): Promise<DetectedType> {
  fileTypeModule ??= import('file-type');
  const { fileTypeFromFile } = await fileTypeModule;
  const found = await fileTypeFromFile(file);
  if (found) return { mediaType: found.mime, extension: found.ext };
  return { mediaType: 'application/octet-stream', extension: null };
}

/**
 * The mismatch between a file's name and its content, if any: `photo.jpg` holding a PDF is
 * mislabelled; `drawing.dwg` holding anything is not judged.
 */
export function nameMismatch(filename: string, detected: DetectedType): { expected: string[] } | null {
  const ext = path.extname(filename).slice(1).toLowerCase();
  // Own keys only: a file named `x.constructor` is not a known extension.
  const expected = Object.hasOwn(EXPECTED_TYPES, ext) ? EXPECTED_TYPES[ext] : undefined;
  if (!expected || expected.includes(detected.mediaType)) return null;
  return { expected };
}
