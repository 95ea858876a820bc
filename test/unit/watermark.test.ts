import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { extractRegistered, extractWatermark, markImage } from '../../imaging/watermark';

const PHOTOS = ['coffee.jpg', 'chelsea.jpg', 'astronaut.jpg', 'rocket.jpg'].map((f) =>
  readFileSync(path.join(__dirname, '..', 'fixtures', 'photos', f)),
);
const MAX = 1e8;
const random40 = () => BigInt(`0x${randomBytes(5).toString('hex')}`);

/** Real photographs at the partner rendition's size (1600 px), marked, delivered as JPEG q95. */
async function markedPartnerRenditions() {
  return Promise.all(
    PHOTOS.map(async (photo) => {
      const rendition = await sharp(photo).resize(1600).jpeg({ quality: 92 }).toBuffer();
      const payload = random40();
      const out = await markImage(rendition, payload, MAX);
      const marked = await out.image.clone().raw().toBuffer();
      const delivered = await out.image.jpeg({ quality: 95 }).toBuffer();
      return { payload, delivered, rendition, marked, psnr: out.psnr };
    }),
  );
}

describe('invisible watermark (DCT-QIM, blind extraction)', () => {
  let marked: Awaited<ReturnType<typeof markedPartnerRenditions>>;
  beforeAll(async () => {
    marked = await markedPartnerRenditions();
  }, 60_000);

  it('stays invisible: PSNR ≥ 40 dB against the unmarked rendition, and the reported PSNR is a lower bound', async () => {
    for (const m of marked) {
      const unmarked = await sharp(m.rendition).raw().toBuffer();
      let squared = 0;
      for (let i = 0; i < unmarked.length; i++) squared += (m.marked[i]! - unmarked[i]!) ** 2;
      const psnr = 10 * Math.log10((255 * 255) / (squared / unmarked.length));
      expect(psnr).toBeGreaterThanOrEqual(40);
      expect(m.psnr).toBeLessThanOrEqual(psnr + 1e-9);
      expect(m.psnr).toBeGreaterThan(psnr - 1);
    }
  });

  it('moves R, G and B of a pixel by the same whole step (only luminance), clipped to 0–255', async () => {
    // A step is at most Δ/2 = 20 on each of two basis functions of amplitude ≤ 1/4 (≈ 9.1 after
    // upsampling's blend), rounded: 11 leaves room for rounding, none for a doubled change.
    for (const m of marked) {
      const unmarked = await sharp(m.rendition).raw().toBuffer();
      let moved = 0;
      let unequal = 0;
      let largest = 0;
      for (let p = 0; p < unmarked.length; p += 3) {
        const changes = [0, 1, 2].map((k) => m.marked[p + k]! - unmarked[p + k]!);
        const clipped = [0, 1, 2].some((k) => m.marked[p + k] === 0 || m.marked[p + k] === 255);
        if (!clipped && (changes[0] !== changes[1] || changes[1] !== changes[2])) unequal += 1;
        largest = Math.max(largest, ...changes.map(Math.abs));
        if (changes[0] !== 0) moved += 1;
      }
      expect({ unequal, largestStepAtMost11: largest <= 11 }).toEqual({
        unequal: 0,
        largestStepAtMost11: true,
      });
      expect(moved).toBeGreaterThan(unmarked.length / 3 / 4);
    }
  });

  it.each([
    ['JPEG q60', (b: Buffer) => sharp(b).jpeg({ quality: 60 }).toBuffer()],
    ['downscaled to 50 %', (b: Buffer) => sharp(b).resize(800).jpeg({ quality: 90 }).toBuffer()],
    ['WebP', (b: Buffer) => sharp(b).webp({ quality: 80 }).toBuffer()],
    [
      'brightness and contrast +10 %',
      (b: Buffer) => sharp(b).linear(1.1, 10).jpeg({ quality: 90 }).toBuffer(),
    ],
  ])('recovers the payload after %s', async (_name, attack) => {
    for (const m of marked) {
      expect((await extractWatermark(await attack(m.delivered), MAX)).payload).toBe(m.payload);
    }
  });

  it('reads each marked copy as its own payload, and nothing from unmarked pictures', async () => {
    // Differently marked copies of different pictures: each names its own payload, no other.
    for (const m of marked) expect((await extractWatermark(m.delivered, MAX)).payload).toBe(m.payload);
    // Unmarked: the photographs and 40 variants of them (scales, crops, recompression) read blind.
    const variants: Buffer[] = [];
    for (const photo of PHOTOS) {
      const { width = 0, height = 0 } = await sharp(photo).metadata();
      for (const scale of [1, 0.8, 0.6])
        for (const keep of [1, 0.9, 0.7]) {
          const w = Math.round(width * keep);
          const h = Math.round(height * keep);
          const cut = sharp(photo).extract({ left: width - w, top: 0, width: w, height: h });
          variants.push(
            await cut
              .resize(Math.round(w * scale))
              .jpeg({ quality: 80 })
              .toBuffer(),
          );
        }
      variants.push(photo);
    }
    expect(variants).toHaveLength(40);
    for (const variant of variants) expect((await extractWatermark(variant, MAX)).payload).toBeNull();
  });

  it.each([
    ['a 10 % crop (5 % off each side)', { left: 0.05, top: 0.05, right: 0.05, bottom: 0.05 }, 1],
    ['a 10 % crop off one corner', { left: 0.1, top: 0.1, right: 0, bottom: 0 }, 1],
    ['a 10 % crop scaled to 60 %', { left: 0.05, top: 0.05, right: 0.05, bottom: 0.05 }, 0.6],
  ])(
    'recovers the payload from %s once registered against the unmarked rendition',
    async (_name, cut, scale) => {
      for (const m of marked) {
        const meta = await sharp(m.delivered).metadata();
        const left = Math.round(meta.width! * cut.left);
        const top = Math.round(meta.height! * cut.top);
        const width = meta.width! - left - Math.round(meta.width! * cut.right);
        const height = meta.height! - top - Math.round(meta.height! * cut.bottom);
        const cropped = await sharp(m.delivered)
          .extract({ left, top, width, height })
          .resize(Math.round(width * scale))
          .jpeg({ quality: 85 })
          .toBuffer();
        // The blind read sees the grid moved: nothing (and nobody) is named.
        expect((await extractWatermark(cropped, MAX)).payload).toBeNull();
        const registered = await extractRegistered(cropped, m.rendition, MAX);
        expect(registered?.payload).toBe(m.payload);
        expect(registered!.registration.left).toBeCloseTo(left, 0);
        expect(registered!.registration.top).toBeCloseTo(top, 0);
        expect(registered!.registration.scale).toBeCloseTo(1 / scale, 2);
      }
    },
  );

  it('registers a crop against nothing but the picture it was cut from', async () => {
    const [a, b] = marked;
    const meta = await sharp(a!.delivered).metadata();
    const cropped = await sharp(a!.delivered)
      .extract({ left: 100, top: 60, width: meta.width! - 200, height: meta.height! - 120 })
      .jpeg({ quality: 85 })
      .toBuffer();
    expect(await extractRegistered(cropped, b!.rendition, MAX)).toBeNull();
  });

  it('a cached rendition is marked exactly as an uncached one, and the cache is what the key names', async () => {
    const [first, second] = marked;
    const payload = random40();
    const raw = async (out: Promise<{ image: Sharp }>) => (await out).image.raw().toBuffer();
    const uncached = await raw(markImage(first!.rendition, payload, MAX));
    const key = `rendition-${randomBytes(4).toString('hex')}`;
    const cold = await raw(markImage(first!.rendition, payload, MAX, key));
    const warm = await raw(markImage(first!.rendition, payload, MAX, key));
    expect(cold.equals(uncached)).toBe(true);
    expect(warm.equals(uncached)).toBe(true);
    // The key must name the bytes: another picture under the same key is marked with the first
    // picture's coefficients, so the copy no longer carries the payload (the cache was used).
    const misnamed = await markImage(second!.rendition, payload, MAX, key);
    const misnamedJpeg = await misnamed.image.jpeg({ quality: 95 }).toBuffer();
    expect((await extractWatermark(misnamedJpeg, MAX)).payload).not.toBe(payload);
  });

  it.each([
    ['a PNG with an alpha channel', (b: Buffer) => sharp(b).ensureAlpha(0.8).png().toBuffer()],
    ['a greyscale JPEG', (b: Buffer) => sharp(b).greyscale().jpeg({ quality: 92 }).toBuffer()],
    [
      'a JPEG to be turned a quarter (EXIF orientation 6)',
      (b: Buffer) => sharp(b).jpeg({ quality: 92 }).withMetadata({ orientation: 6 }).toBuffer(),
    ],
  ])('marks %s as RGB, upright, readable blind, from the cache as well', async (_name, make) => {
    const input = await make(marked[0]!.rendition);
    const header = await sharp(input).metadata();
    const upright = (header.orientation ?? 1) >= 5 ? { width: header.height, height: header.width } : header;
    const key = `odd-${randomBytes(4).toString('hex')}`;
    for (const attempt of ['cold', 'warm']) {
      const payload = random40();
      const out = await markImage(input, payload, MAX, key);
      const { data, info } = await out.image.raw().toBuffer({ resolveWithObject: true });
      expect({ attempt, channels: info.channels, width: info.width, height: info.height }).toEqual({
        attempt,
        channels: 3,
        width: upright.width,
        height: upright.height,
      });
      const jpegOut = await sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } })
        .jpeg({ quality: 95 })
        .toBuffer();
      expect((await extractWatermark(jpegOut, MAX)).payload).toBe(payload);
    }
  });
});
