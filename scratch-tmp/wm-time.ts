import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { embedWatermark } from '../imaging/watermark';
const dir = path.join(__dirname, '..', 'test', 'fixtures', 'photos');
async function main() {
  const photos = await Promise.all(readdirSync(dir).filter((f) => f.endsWith('.jpg') || f.endsWith('.png')).map((f) => sharp(readFileSync(path.join(dir, f))).resize(1600).jpeg({ quality: 92 }).toBuffer()));
  const t = { base: 0, decode: 0, embed: 0, encode: 0, mp: 0 };
  for (let round = 0; round < 3; round++) {
    for (const [i, p] of photos.entries()) {
      await embedWatermark(p, 5n, 1e8, `k${i}`);
      let s = performance.now(); await sharp(p).jpeg({ quality: 95 }).toBuffer(); const base = performance.now() - s;
      s = performance.now(); const raw = await sharp(p).rotate().removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true }); const decode = performance.now() - s;
      s = performance.now(); const out = await embedWatermark(p, 7n, 1e8, `k${i}`); const embed = performance.now() - s;
      s = performance.now(); await sharp(out.rgb, { raw: { width: out.width, height: out.height, channels: 3 } }).jpeg({ quality: 95 }).toBuffer(); const encode = performance.now() - s;
      if (round > 0) { t.base += base; t.decode += decode; t.embed += embed; t.encode += encode; t.mp += (raw.info.width * raw.info.height) / 1e6; }
    }
  }
  const per = (x: number) => (x / t.mp).toFixed(1); const T=(globalThis as any).T; console.log(Object.fromEntries(Object.entries(T).map(([k,v]:any)=>[k,(v/t.mp/1.5).toFixed(1)])));
  console.log(`ms/MP base ${per(t.base)} decode ${per(t.decode)} embed(decode+add) ${per(t.embed)} add≈ ${per(t.embed - t.decode)} encode ${per(t.encode)} marked total ${per(t.embed + t.encode)} ratio ${((t.embed + t.encode) / t.base).toFixed(2)}`);
}
main();
