const w=1600,h=1100,n=w*h*3; const rgb=Buffer.alloc(n); for(let i=0;i<n;i++)rgb[i]=(i*2654435761)>>>24;
const change = new Float64Array(256 * 256).map((_, i) => Math.sin(i) * 8);
const WATERMARK_SIZE=256;
function addChange(rgb, width, height, change) {
  const column0 = new Int32Array(width); const column1 = new Int32Array(width); const columnWeight = new Float64Array(width);
  for (let x = 0; x < width; x++) { const fx = Math.min(WATERMARK_SIZE - 1, Math.max(0, ((x + 0.5) * WATERMARK_SIZE) / width - 0.5)); column0[x] = Math.floor(fx); column1[x] = Math.min(WATERMARK_SIZE - 1, column0[x] + 1); columnWeight[x] = fx - column0[x]; }
  const rowChange = new Float64Array(WATERMARK_SIZE); const steps = new Int32Array(width); const marked = Buffer.allocUnsafe(rgb.length); let squared = 0;
  for (let y = 0; y < height; y++) {
    const fy = Math.min(WATERMARK_SIZE - 1, Math.max(0, ((y + 0.5) * WATERMARK_SIZE) / height - 0.5)); const y0 = Math.floor(fy); const y1 = Math.min(WATERMARK_SIZE - 1, y0 + 1); const wy = fy - y0;
    for (let c = 0; c < WATERMARK_SIZE; c++) rowChange[c] = (1 - wy) * change[y0 * WATERMARK_SIZE + c] + wy * change[y1 * WATERMARK_SIZE + c];
    for (let x = 0; x < width; x++) { const left = rowChange[column0[x]]; const step = Math.floor(left + columnWeight[x] * (rowChange[column1[x]] - left) + 0.5); steps[x] = step; squared += step * step; }
    for (let x = 0, i = y * width * 3; x < width; x++) { const step = steps[x]; let level = rgb[i] + step; marked[i++] = level < 0 ? 0 : level > 255 ? 255 : level; level = rgb[i] + step; marked[i++] = level < 0 ? 0 : level > 255 ? 255 : level; level = rgb[i] + step; marked[i++] = level < 0 ? 0 : level > 255 ? 255 : level; }
  }
  return { marked, squared };
}
for (let r = 0; r < 4; r++) { const s = performance.now(); for (let j = 0; j < 5; j++) addChange(rgb, w, h, change); console.log(((performance.now() - s) / 5 / 1.76).toFixed(2), 'ms/MP'); }
