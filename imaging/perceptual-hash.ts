import { decodeImage } from './pixels';

/**
 * Perceptual hash (pHash, Zauner 2010): the image in greyscale at 32×32, its 2-D DCT, and one bit
 * per low frequency (the 8×8 top-left block) saying whether it is above the block's median. Small
 * edits — resizing, recompression, a brightness change — leave the low frequencies, and so most
 * bits, unchanged; different images differ in about half of the 64 bits.
 *
 * Similarity between two hashes is `1 − d/64` for Hamming distance `d`, so "95 % similar" means
 * at most 3 differing bits (1 − 3/64 = 95.3 %), "97 %" at most 1.
 */
export const HASH_BITS = 64;
const SIZE = 32;
const LOW = 8;

/** cos((2x + 1)·u·π / 2N) for the eight lowest frequencies u, computed once. */
const COSINES: Float64Array[] = Array.from({ length: LOW }, (_, u) =>
  Float64Array.from({ length: SIZE }, (_, x) => Math.cos(((2 * x + 1) * u * Math.PI) / (2 * SIZE))),
);

/** The 64-bit pHash of an image file or buffer, as 16 hex digits. */
export async function perceptualHash(input: string | Buffer, maxPixels: number): Promise<string> {
  const pixels = await decodeImage(input, maxPixels)
    .rotate() // honour EXIF orientation, so a rotated copy of a photo hashes like the photo
    .greyscale()
    .resize(SIZE, SIZE, { fit: 'fill', kernel: 'cubic' })
    .raw()
    .toBuffer();
  return hashOfGreyscale32(pixels);
}

/** pHash of 32×32 greyscale pixels (row-major, one byte each). */
export function hashOfGreyscale32(pixels: Uint8Array): string {
  // Separable DCT-II, restricted to the 8 lowest frequencies in each direction.
  const rows = new Float64Array(SIZE * LOW); // rows[y][u]
  for (let y = 0; y < SIZE; y++) {
    for (let u = 0; u < LOW; u++) {
      let sum = 0;
      const c = COSINES[u]!;
      for (let x = 0; x < SIZE; x++) sum += pixels[y * SIZE + x]! * c[x]!;
      rows[y * LOW + u] = sum;
    }
  }
  const block = new Float64Array(LOW * LOW); // block[v][u]
  for (let v = 0; v < LOW; v++) {
    const c = COSINES[v]!;
    for (let u = 0; u < LOW; u++) {
      let sum = 0;
      for (let y = 0; y < SIZE; y++) sum += rows[y * LOW + u]! * c[y]!;
      block[v * LOW + u] = sum;
    }
  }
  // The DC term (overall brightness) is left out of the median, so brightness does not bias it.
  const median = medianOf(block.slice(1));
  let hash = 0n;
  for (let i = 0; i < LOW * LOW; i++) hash = (hash << 1n) | (block[i]! > median ? 1n : 0n);
  return hash.toString(16).padStart(16, '0');
}

function medianOf(values: Float64Array): number {
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Number of differing bits between two hex hashes. */
export function hammingDistance(a: string, b: string): number {
  let x = BigInt(`0x${a}`) ^ BigInt(`0x${b}`);
  let count = 0;
  while (x) {
    x &= x - 1n;
    count++;
  }
  return count;
}

export function similarityOf(distance: number): number {
  return 1 - distance / HASH_BITS;
}

/** The largest Hamming distance that is still at least `similarity` similar. */
export function maxDistanceFor(similarity: number): number {
  return Math.floor((1 - similarity) * HASH_BITS + 1e-9);
}

/** The four 16-bit bands of a hash, for multi-index hashing (see catalogue/duplicate.repository). */
export function bandsOf(hash: string): [number, number, number, number] {
  return [0, 4, 8, 12].map((i) => Number.parseInt(hash.slice(i, i + 4), 16)) as [
    number,
    number,
    number,
    number,
  ];
}
