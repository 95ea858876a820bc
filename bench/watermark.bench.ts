/**
 * Watermark robustness and speed on the 14 test photographs (real photos, not gradients):
 * PSNR of the marked image, and per attack the payload recovery rate and the bit error rate;
 * false attributions of unmarked images; embedding and extraction time per megapixel.
 *
 *   npx tsx bench/watermark.bench.ts
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { embedWatermark, extractWatermark, watermarkMessage } from '../imaging/watermark';

const PHOTOS = path.join(__dirname, '..', 'test', 'fixtures', 'photos');
const MAX = 1e8;
const jpeg = (q: number) => (b: Buffer) => sharp(b).jpeg({ quality: q }).toBuffer();
const scale = (f: number) => async (b: Buffer) => {
  const m = await sharp(b).metadata();
  return sharp(b)
    .resize(Math.round(m.width! * f))
    .jpeg({ quality: 90 })
    .toBuffer();
};
export const WATERMARK_ATTACKS: Record<string, (b: Buffer) => Promise<Buffer>> = {
  'JPEG q90': jpeg(90),
  'JPEG q75': jpeg(75),
  'JPEG q60': jpeg(60),
  'resize 75 %': scale(0.75),
  'resize 50 %': scale(0.5),
  PNG: (b) => sharp(b).png().toBuffer(),
  'WebP q80': (b) => sharp(b).webp({ quality: 80 }).toBuffer(),
  'brightness +10 %, contrast +10 %': (b) => sharp(b).linear(1.1, 10).jpeg({ quality: 90 }).toBuffer(),
  'crop 10 %': async (b) => {
    const m = await sharp(b).metadata();
    const dx = Math.round(m.width! * 0.05);
    const dy = Math.round(m.height! * 0.05);
    return sharp(b)
      .extract({ left: dx, top: dy, width: m.width! - 2 * dx, height: m.height! - 2 * dy })
      .jpeg({ quality: 90 })
      .toBuffer();
  },
};

async function main() {
  const originals = readdirSync(PHOTOS)
    .filter((f) => f.endsWith('.jpg'))
    .map((f) => readFileSync(path.join(PHOTOS, f)));
  await evaluate(originals, 'as stored');
  // The luxury partner rendition is 1600 px wide: the same photographs at that size.
  const partner = await Promise.all(
    originals.map((p) => sharp(p).resize(1600).jpeg({ quality: 92 }).toBuffer()),
  );
  await evaluate(partner, 'at the partner rendition size, 1600 px wide');
}

async function evaluate(photos: Buffer[], label: string) {
  const marked: Array<{ jpeg: Buffer; payload: bigint; megapixels: number }> = [];
  const psnrs: number[] = [];
  let embedMs = 0;
  let baselineMs = 0;
  let megapixels = 0;
  for (const photo of photos) {
    // Baseline: what delivering the rendition costs without marking (decode, encode JPEG q95).
    const before = performance.now();
    await sharp(photo).jpeg({ quality: 95 }).toBuffer();
    baselineMs += performance.now() - before;
    const payload = BigInt(`0x${randomBytes(5).toString('hex')}`);
    const started = performance.now();
    const out = await embedWatermark(photo, payload, MAX);
    const bytes = await sharp(out.rgb, { raw: { width: out.width, height: out.height, channels: 3 } })
      .jpeg({ quality: 95 })
      .toBuffer();
    embedMs += performance.now() - started;
    megapixels += (out.width * out.height) / 1e6;
    psnrs.push(out.psnr);
    marked.push({ jpeg: bytes, payload, megapixels: (out.width * out.height) / 1e6 });
  }
  console.log(
    `\n### ${photos.length} photographs ${label} (${(megapixels / photos.length).toFixed(2)} MP on average)\n`,
  );
  console.log(
    `PSNR of the marked image against the original: min ${Math.min(...psnrs).toFixed(1)} dB, mean ${(psnrs.reduce((a, b) => a + b, 0) / psnrs.length).toFixed(1)} dB\n`,
  );
  console.log('| attack (after JPEG q95 delivery) | payload recovered | bit error rate |');
  console.log('|---|---|---|');
  let extractMs = 0;
  let extractions = 0;
  for (const [name, attack] of Object.entries({ none: async (b: Buffer) => b, ...WATERMARK_ATTACKS })) {
    let recovered = 0;
    let errors = 0;
    for (const m of marked) {
      const attacked = await attack(m.jpeg);
      const started = performance.now();
      const found = await extractWatermark(attacked, MAX);
      extractMs += performance.now() - started;
      extractions += 1;
      if (found.payload === m.payload) recovered += 1;
      const expected = watermarkMessage(m.payload);
      errors += expected.reduce((n, bit, i) => n + (bit === found.bits[i] ? 0 : 1), 0);
    }
    console.log(
      `| ${name} | ${recovered}/${marked.length} | ${((errors / (marked.length * 64)) * 100).toFixed(1)} % |`,
    );
  }
  // False attributions: unmarked photos, and 1 000 random payloads against marked ones.
  let unmarkedFound = 0;
  for (const photo of photos) if ((await extractWatermark(photo, MAX)).payload !== null) unmarkedFound += 1;
  let falseMatches = 0;
  const decoded = await Promise.all(marked.map(async (m) => (await extractWatermark(m.jpeg, MAX)).payload));
  for (let i = 0; i < 1000; i++) {
    const random = BigInt(`0x${randomBytes(5).toString('hex')}`);
    if (decoded.some((d, j) => d === random && marked[j]!.payload !== random)) falseMatches += 1;
  }
  console.log(
    `\nUnmarked photographs read as marked: ${unmarkedFound}/${photos.length}; random payloads matched to a differently marked image: ${falseMatches}/1000`,
  );
  console.log(
    `Embedding ${(embedMs / megapixels).toFixed(0)} ms per megapixel (incl. JPEG encoding) vs ${(baselineMs / megapixels).toFixed(0)} ms for decoding and encoding alone (${(embedMs / baselineMs).toFixed(1)}×); extraction ${(extractMs / extractions).toFixed(0)} ms per image`,
  );
}

void main();
