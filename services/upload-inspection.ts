import { AssetflowError, ErrorCodes, imageTooLarge } from '../domain/errors';
import { detectMediaType, nameMismatch } from '../imaging/detect-media-type';
import { perceptualHash } from '../imaging/perceptual-hash';
import { readImageHeader } from '../imaging/read-image-info';
import { type RegionHash, regionHashes } from '../imaging/visual-features';
import type { UploadedFile } from './uploaded-file';

/** What an upload's bytes are, found before anything is kept. */
export interface InspectedFile {
  mediaType: string;
  /** Set when the bytes are an image sharp decodes within the pixel limit. */
  image: {
    format: string;
    width: number;
    height: number;
    perceptualHash: string;
    /** The crop-robust region hashes, when asked for (a rule set that checks near duplicates). */
    regions?: RegionHash[];
  } | null;
}

/**
 * Checks a file at the edge, while its bytes are still only a temporary file: the type from the
 * content (a name that promises another type is refused), and for images the header against the
 * pixel limit (decompression bombs are refused before decoding) and a full decode (computing the
 * perceptual hash), so a corrupt or truncated image is refused too. Throws a 4xx AssetflowError.
 * With `regions`, the region hashes are computed beside the pHash (their decodes run on two
 * threads, so an upload waits for the longer one, not both).
 */
export async function inspectUpload(
  file: UploadedFile,
  maxImagePixels: number,
  options: { regions?: boolean } = {},
): Promise<InspectedFile> {
  let detected: Awaited<ReturnType<typeof detectMediaType>>;
  try {
    detected = await detectMediaType(file.blob.path);
  } catch (error) {
    // A signature whose structure ends early (file-type's EndOfStreamError on a truncated TIFF
    // header): the bytes are broken, not the server. Errors of the file system stay errors.
    if ((error as NodeJS.ErrnoException).code !== undefined) throw error;
    throw corrupt(file.filename, 'application/octet-stream', error);
  }
  const mismatch = nameMismatch(file.filename, detected);
  if (mismatch) {
    throw new AssetflowError(
      ErrorCodes.FILE_TYPE_MISMATCH,
      `"${file.filename}" is named as ${mismatch.expected.join(' or ')} but its content is ${detected.mediaType}.`,
      415,
      { filename: file.filename, expected: mismatch.expected, detected: detected.mediaType },
    );
  }
  if (!detected.mediaType.startsWith('image/')) return { mediaType: detected.mediaType, image: null };

  let header: Awaited<ReturnType<typeof readImageHeader>>;
  try {
    header = await readImageHeader(file.blob.path);
  } catch (error) {
    throw corrupt(file.filename, detected.mediaType, error);
  }
  const { width, height, format } = header;
  if (width * height > maxImagePixels) {
    throw imageTooLarge(`"${file.filename}"`, header, maxImagePixels, { filename: file.filename });
  }
  let hash: string;
  let regions: RegionHash[] | undefined;
  try {
    [hash, regions] = await Promise.all([
      perceptualHash(file.blob.path, maxImagePixels),
      options.regions ? regionHashes(file.blob.path, maxImagePixels) : undefined,
    ]);
  } catch (error) {
    throw corrupt(file.filename, detected.mediaType, error);
  }
  return {
    mediaType: detected.mediaType,
    image: {
      format: format ?? detected.extension ?? 'unknown',
      width,
      height,
      perceptualHash: hash,
      ...(regions ? { regions } : {}),
    },
  };
}

function corrupt(filename: string, mediaType: string, error: unknown): AssetflowError {
  const reason = (error as Error).message.split('\n')[0];
  return new AssetflowError(
    ErrorCodes.FILE_CORRUPT,
    `"${filename}" looks like ${mediaType} but cannot be decoded: ${reason}.`,
    422,
    { filename, mediaType, reason },
  );
}
