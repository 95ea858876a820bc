import { addChange } from '../imaging/watermark';
const w = 1600, h = 1100; const rgb = Buffer.alloc(w * h * 3); for (let i = 0; i < rgb.length; i++) rgb[i] = (i * 2654435761) >>> 24;
const change = new Float64Array(256 * 256).map((_, i) => Math.sin(i) * 8);
for (let r = 0; r < 4; r++) { const s = performance.now(); for (let j = 0; j < 5; j++) addChange(rgb, w, h, change); console.log(((performance.now() - s) / 5 / 1.76).toFixed(2), 'ms/MP'); }
