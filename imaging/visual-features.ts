import { hashOfGreyscale32 } from './perceptual-hash';
import { decodeImage, fromPixels } from './pixels';

/**
 * Crop-robust visual features: pHashes (perceptual-hash.ts) of the centred region of an image at
 * several scales. A copy cropped by 5 % or 10 % on every side is, resampled, the original's
 * centre region at 95 % or 90 %; so the crop's whole-frame hash is within a few bits of one of
 * the original's region hashes, where the two whole-frame hashes differ by 8–24 bits
 * (docs/performance.md, "Duplicate detection"). The other way round (the uploaded file is the
 * original of a crop already in the catalogue) the upload's region hashes meet the crop's
 * whole-frame hash.
 *
 * Every hash comes from one decode to an intermediate of at most INTERMEDIATE pixels a side, so
 * the whole-frame hash here and the region hashes share one sampling grid; on the test photos
 * that brought the best region match of a 10 % crop from ≤ 6 bits (whole-frame hash decoded
 * directly) to ≤ 4. It is therefore not the `perceptualHash` of the file (that one is kept as it
 * was, for the existing index and rule thresholds).
 *
 * Only centred crops of equal proportion are covered; a crop taken from one side (an off-centre
 * 10 % crop measured 12–26 bits) is not.
 */
export const REGION_SCALES = [100, 95, 90, 85] as const;
export type RegionScale = (typeof REGION_SCALES)[number];
const INTERMEDIATE = 512;
const SIZE = 32;

export interface RegionHash {
  /** Percent of the width and height kept, centred (100: the whole frame). */
  scale: RegionScale;
  hash: string;
}

export async function regionHashes(input: string | Buffer, maxPixels: number): Promise<RegionHash[]> {
  const { data, info } = await decodeImage(input, maxPixels)
    .rotate() // EXIF orientation, as perceptualHash does
    .greyscale()
    .resize(INTERMEDIATE, INTERMEDIATE, { fit: 'inside', withoutEnlargement: false })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const out: RegionHash[] = [];
  for (const scale of REGION_SCALES) {
    const width = Math.max(1, Math.round((info.width * scale) / 100));
    const height = Math.max(1, Math.round((info.height * scale) / 100));
    const pixels = await fromPixels(data, { width: info.width, height: info.height, channels: 1 })
      .extract({
        left: Math.round((info.width - width) / 2),
        top: Math.round((info.height - height) / 2),
        width,
        height,
      })
      .resize(SIZE, SIZE, { fit: 'fill', kernel: 'cubic' })
      .greyscale() // one channel out: raw one-channel input would otherwise come back as sRGB
      .raw()
      .toBuffer();
    out.push({ scale, hash: hashOfGreyscale32(pixels) });
  }
  return out;
}
