import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';

const PHOTOS_DIR = path.join(__dirname, '..', 'test', 'fixtures', 'photos');
const PHOTOS = readdirSync(PHOTOS_DIR)
  .filter((f) => f.endsWith('.jpg'))
  .map((f) => readFileSync(path.join(PHOTOS_DIR, f)));

/**
 * A JPEG of `pixels` pixels from one of the test photographs (scaled, hue turned by the seed so
 * every image has its own bytes and hash). Real pictures matter to the benches: OCR and object
 * detection cost depends on content (Gaussian noise made OCR 4× slower than a photograph).
 */
export async function makePhotoJpeg(seed: number, pixels = 2_000_000): Promise<Buffer> {
  const source = PHOTOS[Math.abs(seed) % PHOTOS.length]!;
  const { width = 1, height = 1 } = await sharp(source).metadata();
  const scale = Math.sqrt(pixels / (width * height));
  return sharp(source)
    .resize(Math.round(width * scale), Math.round(height * scale))
    .modulate({ hue: (seed * 7) % 360 })
    .jpeg({ quality: 90 })
    .toBuffer();
}
