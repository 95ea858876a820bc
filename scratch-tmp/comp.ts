import sharp from 'sharp';
async function main() {
  const w = 1600, h = 1100;
  const base = await sharp({ create: { width: w, height: h, channels: 3, background: { r: 120, g: 2, b: 253 } } }).jpeg({ quality: 92 }).toBuffer();
  const raw = (await sharp(base).raw().toBuffer());
  const P = Buffer.alloc(w * h * 3, 0); const N = Buffer.alloc(w * h * 3, 0);
  for (let i = 0; i < w * h; i++) { const s = (i % 7) - 3; for (let k = 0; k < 3; k++) { P[i * 3 + k] = Math.max(s, 0); N[i * 3 + k] = Math.max(-s, 0); } }
  const out = await sharp(base).composite([{ input: P, raw: { width: w, height: h, channels: 3 }, blend: 'add' }, { input: N, raw: { width: w, height: h, channels: 3 }, blend: 'difference' }]).raw().toBuffer();
  let mism = 0; const ex: string[] = [];
  for (let i = 0; i < w * h * 3; i++) { const s = ((i / 3 | 0) % 7) - 3; const e = Math.min(255, Math.max(0, raw[i]! + s)); if (e !== out[i]) { mism++; if (ex.length < 5) ex.push(`${i}:${raw[i]}+${s}=${e} got ${out[i]}`); } }
  console.log('mismatch', mism, ex);
  for (let r = 0; r < 4; r++) {
    let s = performance.now(); await sharp(base).jpeg({ quality: 95 }).toBuffer(); const a = performance.now() - s;
    s = performance.now(); await sharp(base).composite([{ input: P, raw: { width: w, height: h, channels: 3 }, blend: 'add' }, { input: N, raw: { width: w, height: h, channels: 3 }, blend: 'difference' }]).jpeg({ quality: 95 }).toBuffer(); const b = performance.now() - s;
    console.log('plain', a.toFixed(1), 'composite', b.toFixed(1));
  }
}
main();
