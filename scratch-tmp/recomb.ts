import sharp from 'sharp';
async function main() {
  const w = 1600, h = 1100;
  const noise = Buffer.alloc(w * h * 3); for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
  const base = await sharp(noise, { raw: { width: w, height: h, channels: 3 } }).jpeg({ quality: 92 }).toBuffer();
  const raw = await sharp(base).raw().toBuffer();
  const S = Buffer.alloc(w * h); for (let i = 0; i < w * h; i++) S[i] = 128 + (i % 7) - 3;
  const pipe = () => sharp(base).joinChannel(S, { raw: { width: w, height: h, channels: 1 } })
    .recomb([[1, 0, 0, 1], [0, 1, 0, 1], [0, 0, 1, 1], [0, 0, 0, 1]]).linear([1, 1, 1, 1], [-128, -128, -128, 0]);
  const { data, info } = await pipe().raw().toBuffer({ resolveWithObject: true });
  console.log(info);
  let mism = 0; const ex: string[] = [];
  for (let p = 0; p < w * h; p++) for (let k = 0; k < 3; k++) { const i = p * 3 + k; const e = Math.min(255, Math.max(0, raw[i]! + (p % 7) - 3)); const got = data[p * info.channels + k]; if (e !== got) { mism++; if (ex.length < 5) ex.push(`${p}/${k}: ${raw[i]} exp ${e} got ${got}`); } }
  console.log('mismatch', mism, ex);
}
main();
async function more() {
  const w = 1600, h = 1100;
  const noise = Buffer.alloc(w * h * 3); for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
  const base = await sharp(noise, { raw: { width: w, height: h, channels: 3 } }).jpeg({ quality: 92 }).toBuffer();
  const raw = await sharp(base).raw().toBuffer();
  const S = Buffer.alloc(w * h); for (let i = 0; i < w * h; i++) S[i] = 128 + (i % 7) - 3;
  const exp = Buffer.alloc(raw.length); for (let p = 0; p < w * h; p++) for (let k = 0; k < 3; k++) exp[p*3+k] = Math.min(255, Math.max(0, raw[p*3+k]! + (p % 7) - 3));
  const pipe = () => sharp(base).joinChannel(S, { raw: { width: w, height: h, channels: 1 } })
    .recomb([[1, 0, 0, 1], [0, 1, 0, 1], [0, 0, 1, 1], [0, 0, 0, 1]]).linear([1, 1, 1, 1], [-128, -128, -128, 0]);
  const r2 = await pipe().removeAlpha().raw().toBuffer({ resolveWithObject: true });
  console.log('removeAlpha channels', r2.info.channels, 'equal', Buffer.compare(r2.data, exp) === 0);
  const j1 = await pipe().removeAlpha().jpeg({ quality: 95 }).toBuffer();
  const j2 = await sharp(exp, { raw: { width: w, height: h, channels: 3 } }).jpeg({ quality: 95 }).toBuffer();
  console.log('jpeg same bytes', Buffer.compare(j1, j2) === 0, j1.length, j2.length);
  for (let r = 0; r < 5; r++) {
    let s = performance.now(); await sharp(base).jpeg({ quality: 95 }).toBuffer(); const a = performance.now() - s;
    s = performance.now(); const S2 = Buffer.allocUnsafe(w * h); for (let i = 0; i < w * h; i++) S2[i] = 128 + (i % 7) - 3;
    await sharp(base).joinChannel(S2, { raw: { width: w, height: h, channels: 1 } }).recomb([[1, 0, 0, 1], [0, 1, 0, 1], [0, 0, 1, 1], [0, 0, 0, 1]]).linear([1, 1, 1, 1], [-128, -128, -128, 0]).removeAlpha().jpeg({ quality: 95 }).toBuffer(); const b = performance.now() - s;
    console.log('plain', a.toFixed(1), 'marked pipeline', b.toFixed(1), (b / a).toFixed(2));
  }
}
more();
