// isolated loop timing
const width = 1600, height = 1100, W = 256;
const rgb = Buffer.alloc(width * height * 3); for (let i = 0; i < rgb.length; i++) rgb[i] = (i * 7) & 255;
const change = new Float64Array(W * W).map((_, i) => Math.sin(i) * 3);
function run(variant: number) {
  const column0 = new Int32Array(width), column1 = new Int32Array(width), columnWeight = new Float64Array(width);
  for (let x = 0; x < width; x++) { const fx = Math.min(W - 1, Math.max(0, ((x + 0.5) * W) / width - 0.5)); column0[x] = Math.floor(fx); column1[x] = Math.min(W - 1, column0[x]! + 1); columnWeight[x] = fx - column0[x]!; }
  const rowChange = new Float64Array(W); const steps = new Int32Array(width);
  const out = Buffer.allocUnsafe(rgb.length); let squared = 0;
  const clamped = new Uint8ClampedArray(out.buffer, out.byteOffset, out.length);
  for (let y = 0; y < height; y++) {
    const fy = Math.min(W - 1, Math.max(0, ((y + 0.5) * W) / height - 0.5)); const y0 = Math.floor(fy); const y1 = Math.min(W - 1, y0 + 1); const wy = fy - y0;
    for (let c = 0; c < W; c++) rowChange[c] = (1 - wy) * change[y0 * W + c]! + wy * change[y1 * W + c]!;
    if (variant === 0) {
      let i = y * width * 3;
      for (let x = 0; x < width; x++) {
        const left = rowChange[column0[x]!]!; const step = Math.floor(left + columnWeight[x]! * (rowChange[column1[x]!]! - left) + 0.5);
        for (let k = 0; k < 3; k++, i++) { const before = rgb[i]!; clamped[i] = before + step; const moved = clamped[i]! - before; squared += moved * moved; }
      }
    } else {
      for (let x = 0; x < width; x++) { const left = rowChange[column0[x]!]!; steps[x] = Math.floor(left + columnWeight[x]! * (rowChange[column1[x]!]! - left) + 0.5); }
      const rowStart = y * width * 3, rowEnd = rowStart + width * 3;
      for (let i = rowStart, x = 0; i < rowEnd; x++) { const step = steps[x]!; for (let k = 0; k < 3; k++, i++) { const before = rgb[i]!; let level = before + step; level = level < 0 ? 0 : level > 255 ? 255 : level; out[i] = level; squared += (level - before) * (level - before); } }
    }
  }
  return squared;
}
for (const v of [0, 1, 0, 1, 0, 1]) { const s = performance.now(); for (let r = 0; r < 10; r++) run(v); console.log(v, ((performance.now() - s) / 10 / 1.76).toFixed(2), 'ms/MP'); }
