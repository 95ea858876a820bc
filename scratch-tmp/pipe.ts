import { readFileSync } from 'node:fs';
import sharp from 'sharp';
async function main() {
  const p = await sharp(readFileSync('test/fixtures/photos/astronaut.jpg')).resize(1600).jpeg({ quality: 92 }).toBuffer();
  const { width: w, height: h } = await sharp(p).metadata() as { width: number; height: number };
  const S = Buffer.alloc(w * h, 128);
  const M: any = [[1, 0, 0, 1], [0, 1, 0, 1], [0, 0, 1, 1], [0, 0, 0, 1]];
  const variants: Record<string, () => sharp.Sharp> = {
    plain: () => sharp(p),
    join: () => sharp(p).joinChannel(S, { raw: { width: w, height: h, channels: 1 } }).removeAlpha(),
    joinRecomb: () => sharp(p).joinChannel(S, { raw: { width: w, height: h, channels: 1 } }).recomb(M).removeAlpha(),
    joinRecombLinear: () => sharp(p).joinChannel(S, { raw: { width: w, height: h, channels: 1 } }).recomb(M).linear([1, 1, 1, 1], [-128, -128, -128, 0]).removeAlpha(),
    rawRoundTrip: () => sharp(p),
  };
  for (let r = 0; r < 3; r++) for (const [k, v] of Object.entries(variants)) {
    const s = performance.now();
    for (let i = 0; i < 10; i++) {
      if (k === 'rawRoundTrip') { const raw = await sharp(p).raw().toBuffer(); await sharp(raw, { raw: { width: w, height: h, channels: 3 } }).jpeg({ quality: 95 }).toBuffer(); }
      else await v().jpeg({ quality: 95 }).toBuffer();
    }
    if (r === 2) console.log(k, ((performance.now() - s) / 10 / (w * h / 1e6)).toFixed(1), 'ms/MP');
  }
}
main();
