import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { markImage } from '../imaging/watermark';
const dir = path.join(__dirname, '..', 'test', 'fixtures', 'photos');
async function main() {
  const photos = await Promise.all(readdirSync(dir).filter((f) => f.endsWith('.jpg')).map((f) => sharp(readFileSync(path.join(dir, f))).resize(1600).jpeg({ quality: 92 }).toBuffer()));
  const t = { base: 0, cold: 0, warm: 0, mp: 0 };
  for (let round = 0; round < 3; round++) {
    for (const [i, p] of photos.entries()) {
      let s = performance.now(); await sharp(p).jpeg({ quality: 95 }).toBuffer(); const base = performance.now() - s;
      s = performance.now(); const c = await markImage(p, 5n, 1e8); await c.image.jpeg({ quality: 95 }).toBuffer(); const cold = performance.now() - s;
      await (await markImage(p, 5n, 1e8, `k${round}-${i}`)).image.jpeg({ quality: 95 }).toBuffer();
      s = performance.now(); const w = await markImage(p, 7n, 1e8, `k${round}-${i}`); await w.image.jpeg({ quality: 95 }).toBuffer(); const warm = performance.now() - s;
      if (round > 0) { t.base += base; t.cold += cold; t.warm += warm; t.mp += (c.width * c.height) / 1e6; }
    }
  }
  const per = (x: number) => (x / t.mp).toFixed(1); const T=(globalThis as any).T; console.log(Object.fromEntries(Object.entries(T).map(([k,v]:any)=>[k,(v/T.n).toFixed(1)])));
  console.log(`ms/MP unmarked ${per(t.base)} marked first ${per(t.cold)} (${(t.cold / t.base).toFixed(2)}x) marked cached ${per(t.warm)} (${(t.warm / t.base).toFixed(2)}x)`);
}
main();
