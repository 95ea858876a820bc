import { decodeImage, fromPixels } from './pixels';

/**
 * Where a cropped (and possibly rescaled) copy sits inside the picture it was cut from.
 *
 * The model is a crop followed by a uniform resize: suspect pixel (u, v) shows reference pixel
 * (left + scale·u, top + scale·v). It is found in two steps, on luminance:
 *
 * 1. Search: zero-mean normalised cross-correlation (ZNCC) of the suspect, shrunk to each
 *    possible footprint width, at every position of a 64 px wide reference; then a local search
 *    around the best answer at 128 and 256 px. Right to a pixel or two at 256 px.
 * 2. Refinement: Gauss–Newton on the pixel differences (see `refine`), to a few hundredths of a
 *    reference pixel — which the watermark needs: 2 px off in a 1 600 px rendition costs bits.
 *
 * Both ignore brightness and contrast changes (ZNCC by construction, the refinement through a
 * gain and an offset), and recompression noise barely moves them.
 *
 * Not modelled: rotation, flips, a change of aspect ratio, perspective.
 */
export interface Registration {
  /** Reference pixels per suspect pixel. */
  scale: number;
  /** The suspect's top-left corner in reference pixels. */
  left: number;
  top: number;
  /**
   * Correlation of the suspect with the reference at that place, in [−1, 1]: a true match of a
   * photograph scores 0.99 or more, a different photograph 0.66 at most (bench/watermark.bench.ts).
   */
  score: number;
}

/** Greyscale pixels, row-major, one byte each. */
export interface Grey {
  values: Uint8Array;
  width: number;
  height: number;
}

const COARSEST = 64;
const FINEST = 256;

/**
 * Luminance of an image file (upright, as EXIF says) or of another grey image, resized to
 * `size` when given (height by aspect unless given).
 */
export async function greyOf(
  input: Buffer | Grey,
  size?: { width: number; height?: number },
  maxPixels = 1e8,
): Promise<Grey> {
  if (!Buffer.isBuffer(input) && !size) return input;
  let image = Buffer.isBuffer(input)
    ? decodeImage(input, maxPixels).rotate().greyscale()
    : fromPixels(input.values, { width: input.width, height: input.height, channels: 1 }).toColourspace(
        'b-w',
      );
  if (size) image = image.resize(size.width, size.height ?? null, { fit: 'fill', kernel: 'cubic' });
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 1) throw new Error(`expected one channel, sharp returned ${info.channels}`);
  return { values: new Uint8Array(data), width: info.width, height: info.height };
}

/** Sums of an image and its square over any rectangle in O(1) (for the windows' mean and variance). */
class WindowStats {
  private readonly sum: Float64Array;
  private readonly squares: Float64Array;
  private readonly stride: number;

  constructor(private readonly image: Grey) {
    this.stride = image.width + 1;
    this.sum = new Float64Array(this.stride * (image.height + 1));
    this.squares = new Float64Array(this.stride * (image.height + 1));
    for (let y = 0; y < image.height; y++) {
      let row = 0;
      let rowSquares = 0;
      for (let x = 0; x < image.width; x++) {
        const v = image.values[y * image.width + x]!;
        row += v;
        rowSquares += v * v;
        const i = (y + 1) * this.stride + x + 1;
        this.sum[i] = this.sum[i - this.stride]! + row;
        this.squares[i] = this.squares[i - this.stride]! + rowSquares;
      }
    }
  }

  /** Sum and sum of squares over the w×h window at (x, y). */
  window(x: number, y: number, w: number, h: number): [number, number] {
    const s = this.stride;
    const a = y * s + x;
    const b = y * s + x + w;
    const c = (y + h) * s + x;
    const d = (y + h) * s + x + w;
    return [
      this.sum[d]! - this.sum[b]! - this.sum[c]! + this.sum[a]!,
      this.squares[d]! - this.squares[b]! - this.squares[c]! + this.squares[a]!,
    ];
  }

  get width() {
    return this.image.width;
  }
  get height() {
    return this.image.height;
  }
  get values() {
    return this.image.values;
  }
}

/** A template with its mean removed, ready to correlate. */
function centred(template: Grey): { values: Float32Array; norm: number } {
  const n = template.values.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += template.values[i]!;
  mean /= n;
  const values = new Float32Array(n);
  let norm = 0;
  for (let i = 0; i < n; i++) {
    values[i] = template.values[i]! - mean;
    norm += values[i]! * values[i]!;
  }
  return { values, norm: Math.sqrt(norm) };
}

/** ZNCC of the template placed with its top-left at (x, y); null where it does not fit. */
function zncc(
  reference: WindowStats,
  template: Grey,
  centredTemplate: { values: Float32Array; norm: number },
  x: number,
  y: number,
): number | null {
  const { width: tw, height: th } = template;
  if (x < 0 || y < 0 || x + tw > reference.width || y + th > reference.height) return null;
  const n = tw * th;
  const [sum, squares] = reference.window(x, y, tw, th);
  const variance = squares - (sum * sum) / n;
  if (variance <= 1e-9 || centredTemplate.norm <= 1e-9) return 0;
  let cross = 0;
  const ref = reference.values;
  const t = centredTemplate.values;
  for (let v = 0; v < th; v++) {
    const row = (y + v) * reference.width + x;
    const trow = v * tw;
    for (let u = 0; u < tw; u++) cross += t[trow + u]! * ref[row + u]!;
  }
  return cross / (centredTemplate.norm * Math.sqrt(variance));
}

interface Hypothesis {
  /** The suspect's footprint width as a share of the reference's width. */
  widthShare: number;
  x: number;
  y: number;
  score: number;
}

/**
 * The suspect at halving widths, so that each template (dozens per registration) is resized from
 * an image at most twice its size rather than from the full suspect.
 */
class Pyramid {
  private constructor(private readonly levels: Grey[]) {}

  static async of(suspect: Grey): Promise<Pyramid> {
    const levels = [suspect];
    for (let w = suspect.width >> 1; w >= COARSEST; w >>= 1) {
      const height = Math.max(1, Math.round((w * suspect.height) / suspect.width));
      levels.push(await greyOf(levels[levels.length - 1]!, { width: w, height }));
    }
    return new Pyramid(levels);
  }

  get width() {
    return this.levels[0]!.width;
  }
  get height() {
    return this.levels[0]!.height;
  }

  /** The suspect resized to tw × th. */
  template(tw: number, th: number): Promise<Grey> {
    let source = this.levels[0]!;
    for (const level of this.levels) if (level.width >= 2 * tw) source = level;
    return greyOf(source, { width: tw, height: th });
  }
}

/** The best position of the suspect at this footprint width, over the given offsets. */
async function bestAt(
  suspect: Pyramid,
  reference: WindowStats,
  widthShare: number,
  xs: [number, number],
  ys: [number, number],
): Promise<Hypothesis | null> {
  const tw = Math.round(widthShare * reference.width);
  const th = Math.round((tw * suspect.height) / suspect.width);
  if (tw < 8 || th < 8 || tw > reference.width || th > reference.height) return null;
  const template = await suspect.template(tw, th);
  const prepared = centred(template);
  let best: Hypothesis | null = null;
  for (let y = Math.max(0, ys[0]); y <= Math.min(reference.height - th, ys[1]); y++) {
    for (let x = Math.max(0, xs[0]); x <= Math.min(reference.width - tw, xs[1]); x++) {
      const score = zncc(reference, template, prepared, x, y)!;
      if (!best || score > best.score) best = { widthShare, x, y, score };
    }
  }
  return best;
}

/** Most pixels the exhaustive level may have: its cost grows with its area. */
const COARSEST_AREA = 4 * COARSEST * COARSEST;

/**
 * The reference widths to search at: the coarsest is 64 px unless the smallest footprint would
 * then be under 8 px on a side (a thin strip), within an area budget; then doublings up to 256.
 */
function searchLevels(reference: Grey, smallestWidthShare: number, smallestHeightShare: number): number[] {
  const aspect = reference.height / reference.width;
  const wanted = Math.max(
    COARSEST,
    Math.ceil(8 / smallestWidthShare),
    Math.ceil(8 / (smallestHeightShare * aspect)),
  );
  const affordable = Math.floor(Math.sqrt(COARSEST_AREA / aspect));
  const finest = Math.min(Math.max(FINEST, wanted), reference.width);
  const levels: number[] = [];
  for (let w = Math.min(wanted, affordable, finest); ; w *= 2) {
    levels.push(Math.min(w, finest));
    if (w >= finest) break;
  }
  return levels;
}

/**
 * Finds where `suspect` lies in `reference`, assuming it keeps at least `minShare` of the
 * reference's width or of its height. Returns null when nothing fits, or when the best fit
 * correlates below `minScore` (then the suspect was not cut from this picture).
 */
export async function register(
  suspect: Grey,
  reference: Grey,
  options: { minShare?: number; minScore?: number } = {},
): Promise<Registration | null> {
  const minShare = options.minShare ?? 0.6;
  const minScore = options.minScore ?? 0.9;
  // Footprint height share per width share: (suspect's aspect) / (reference's aspect).
  const heightPerWidth = (suspect.height / suspect.width) * (reference.width / reference.height);
  const smallest = Math.min(minShare, minShare / heightPerWidth);
  const largest = Math.min(1, 1 / heightPerWidth);
  if (smallest > largest) return null;
  const levels = searchLevels(reference, smallest, smallest * heightPerWidth);
  const pyramid = await Pyramid.of(suspect);
  let best: Hypothesis | null = null;
  let stats: WindowStats | null = null;
  for (const [i, width] of levels.entries()) {
    const height = Math.max(1, Math.round((reference.height * width) / reference.width));
    stats = new WindowStats(await greyOf(reference, { width, height }));
    const candidates: Hypothesis[] = [];
    if (i === 0) {
      // Exhaustive: every footprint width (one pixel apart) at every position.
      for (let tw = Math.ceil(smallest * width); tw <= Math.floor(largest * width); tw++) {
        const found = await bestAt(pyramid, stats, tw / width, [0, width], [0, height]);
        if (found) candidates.push(found);
      }
    } else {
      // Local: around the previous level's answer scaled up (right to about a pixel here), two
      // pixels of position and of footprint width either way.
      const ratio = width / levels[i - 1]!;
      const cx = Math.round(best!.x * ratio);
      const cy = Math.round(best!.y * ratio);
      for (let step = -2; step <= 2; step++) {
        const widthShare = Math.min(largest, best!.widthShare + step / width);
        const found = await bestAt(pyramid, stats, widthShare, [cx - 2, cx + 2], [cy - 2, cy + 2]);
        if (found) candidates.push(found);
      }
    }
    if (candidates.length === 0) return null;
    best = candidates.reduce((a, b) => (b.score > a.score ? b : a));
  }
  if (!best || !stats) return null;

  // The search's answer in reference pixels, refined to a fraction of a pixel.
  const toReference = reference.width / stats.width;
  const tw = Math.round(best.widthShare * stats.width);
  return refine(
    suspect,
    reference,
    {
      scale: (tw * toReference) / suspect.width,
      left: best.x * toReference,
      top: best.y * (reference.height / stats.height),
    },
    minScore,
  );
}

/**
 * Gauss–Newton on the sum of squared differences between the suspect and the reference warped
 * onto it (Lucas & Kanade 1981; Baker & Matthews 2004), over scale, position, gain and offset.
 * Coordinates are continuous with pixel i spanning [i, i + 1). The search above is right to a
 * pixel or two at its resolution; this brings it to a few hundredths of a reference pixel, which
 * the watermark needs (a 2 px error in a 1 600 px rendition already costs bits). It works on a
 * copy of the reference at the suspect's resolution when the suspect was shrunk, so both are
 * equally sharp, and first on blurred copies, to widen the basin it converges in.
 */
async function refine(
  suspect: Grey,
  reference: Grey,
  start: Omit<Registration, 'score'>,
  minScore: number,
): Promise<Registration | null> {
  // Work at the suspect's resolution when it is markedly smaller than its footprint.
  const shrink = start.scale > 1.25 ? 1 / start.scale : 1;
  const frame =
    shrink === 1
      ? reference
      : await greyOf(reference, {
          width: Math.max(16, Math.round(reference.width * shrink)),
          height: Math.max(16, Math.round(reference.height * shrink)),
        });
  const toFrameX = frame.width / reference.width;
  const toFrameY = frame.height / reference.height;
  let estimate = { scale: start.scale * toFrameX, left: start.left * toFrameX, top: start.top * toFrameY };
  let score = 0;
  for (const sigma of [2, 0]) {
    const s = sigma ? await blurredGrey(suspect, sigma) : suspect;
    const r = sigma ? await blurredGrey(frame, sigma) : frame;
    // Blurred images vary slowly: a quarter of the samples pins them down as well.
    const result = gaussNewton(s, r, estimate, sigma ? MAX_SAMPLES / 4 : MAX_SAMPLES);
    // A different picture correlates at 0.66 at best (bench/watermark.bench.ts), a true
    // match at 0.99 or more: stop early rather than polish a mismatch.
    if (!result || !(result.score >= minScore)) return null;
    ({ score, ...estimate } = result);
  }
  return {
    scale: estimate.scale / toFrameX,
    left: estimate.left / toFrameX,
    top: estimate.top / toFrameY,
    score,
  };
}

async function blurredGrey(image: Grey, sigma: number): Promise<Grey> {
  const { data } = await fromPixels(image.values, { width: image.width, height: image.height, channels: 1 })
    .toColourspace('b-w')
    .blur(sigma)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { values: new Uint8Array(data), width: image.width, height: image.height };
}

/** At most this many suspect pixels per iteration at full sharpness (a regular subsample). */
const MAX_SAMPLES = 120_000;
const MAX_ITERATIONS = 20;
/** Share of the suspect's samples that must fall on the reference. */
const MIN_OVERLAP = 0.9;
/** Samples stay this far inside the reference, so the gradient's neighbours (±1 px) interpolate. */
const EDGE = 2;

function gaussNewton(
  suspect: Grey,
  reference: Grey,
  start: Omit<Registration, 'score'>,
  maxSamples: number,
): Registration | null {
  const { width: W, height: H, values: R } = reference;
  const stride = Math.max(1, Math.floor(Math.sqrt((suspect.width * suspect.height) / maxSamples)));
  const samples = Math.ceil(suspect.height / stride) * Math.ceil(suspect.width / stride);
  // Suspect coordinates measured from its centre, so scale and position are nearly independent.
  const cx = suspect.width / 2;
  const cy = suspect.height / 2;
  const sample = (x: number, y: number) => {
    // Bilinear, at continuous coordinates (pixel centres at i + 0.5).
    const fx = x - 0.5;
    const fy = y - 0.5;
    const x0 = Math.floor(fx);
    const y0 = Math.floor(fy);
    const wx = fx - x0;
    const wy = fy - y0;
    const i = y0 * W + x0;
    return (1 - wy) * ((1 - wx) * R[i]! + wx * R[i + 1]!) + wy * ((1 - wx) * R[i + W]! + wx * R[i + W + 1]!);
  };
  let k = start.scale;
  // Where the suspect's centre falls in the reference.
  let tx = start.left + k * cx;
  let ty = start.top + k * cy;
  let gain = 1;
  let offset = 0;
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    const normal = new Float64Array(25);
    const rhs = new Float64Array(5);
    const jacobian = new Float64Array(5);
    let used = 0;
    for (let v = stride >> 1; v < suspect.height; v += stride) {
      const dy = v + 0.5 - cy;
      const y = ty + k * dy;
      if (y < EDGE || y > H - EDGE) continue;
      for (let u = stride >> 1; u < suspect.width; u += stride) {
        const dx = u + 0.5 - cx;
        const x = tx + k * dx;
        if (x < EDGE || x > W - EDGE) continue;
        const value = sample(x, y);
        const gx = (sample(x + 1, y) - sample(x - 1, y)) / 2;
        const gy = (sample(x, y + 1) - sample(x, y - 1)) / 2;
        const residual = gain * value + offset - suspect.values[v * suspect.width + u]!;
        jacobian[0] = gain * (gx * dx + gy * dy);
        jacobian[1] = gain * gx;
        jacobian[2] = gain * gy;
        jacobian[3] = value;
        jacobian[4] = 1;
        for (let a = 0; a < 5; a++) {
          rhs[a]! -= jacobian[a]! * residual;
          for (let b = a; b < 5; b++) normal[a * 5 + b]! += jacobian[a]! * jacobian[b]!;
        }
        used += 1;
      }
    }
    // Most of the suspect must lie on the reference: a fit of a small corner of it proves nothing.
    if (used < 100 || used < MIN_OVERLAP * samples) return null;
    for (let a = 0; a < 5; a++) for (let b = 0; b < a; b++) normal[a * 5 + b] = normal[b * 5 + a]!;
    const step = solve(normal, rhs);
    if (!step) return null;
    k += step[0]!;
    tx += step[1]!;
    ty += step[2]!;
    gain += step[3]!;
    offset += step[4]!;
    // Converged when no suspect pixel moves by more than a hundredth of a pixel.
    const moved = Math.abs(step[0]!) * Math.max(cx, cy) + Math.hypot(step[1]!, step[2]!);
    if (moved < 0.01) break;
  }
  if (!(k > 0)) return null;
  return {
    scale: k,
    left: tx - k * cx,
    top: ty - k * cy,
    score: correlation(
      suspect,
      (u, v) => {
        const x = tx + k * (u + 0.5 - cx);
        const y = ty + k * (v + 0.5 - cy);
        return x < EDGE || y < EDGE || x > W - EDGE || y > H - EDGE ? null : sample(x, y);
      },
      stride,
    ),
  };
}

/** Pearson correlation between the suspect and the warped reference over the sampled pixels. */
function correlation(suspect: Grey, warped: (u: number, v: number) => number | null, stride: number): number {
  let n = 0;
  let sa = 0;
  let sb = 0;
  let saa = 0;
  let sbb = 0;
  let sab = 0;
  for (let v = stride >> 1; v < suspect.height; v += stride) {
    for (let u = stride >> 1; u < suspect.width; u += stride) {
      const b = warped(u, v);
      if (b === null) continue;
      const a = suspect.values[v * suspect.width + u]!;
      n += 1;
      sa += a;
      sb += b;
      saa += a * a;
      sbb += b * b;
      sab += a * b;
    }
  }
  const cov = sab - (sa * sb) / n;
  const va = saa - (sa * sa) / n;
  const vb = sbb - (sb * sb) / n;
  return va > 0 && vb > 0 ? cov / Math.sqrt(va * vb) : 0;
}

/** Solves the n×n system A·x = b by Gaussian elimination with partial pivoting; null if singular. */
function solve(matrix: Float64Array, rhs: Float64Array): Float64Array | null {
  const n = rhs.length;
  const a = Float64Array.from(matrix);
  const b = Float64Array.from(rhs);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let row = col + 1; row < n; row++)
      if (Math.abs(a[row * n + col]!) > Math.abs(a[pivot * n + col]!)) pivot = row;
    if (Math.abs(a[pivot * n + col]!) < 1e-12) return null;
    if (pivot !== col) {
      for (let c = 0; c < n; c++) [a[col * n + c], a[pivot * n + c]] = [a[pivot * n + c]!, a[col * n + c]!];
      [b[col], b[pivot]] = [b[pivot]!, b[col]!];
    }
    for (let row = col + 1; row < n; row++) {
      const f = a[row * n + col]! / a[col * n + col]!;
      for (let c = col; c < n; c++) a[row * n + c]! -= f * a[col * n + c]!;
      b[row]! -= f * b[col]!;
    }
  }
  const x = new Float64Array(n);
  for (let row = n - 1; row >= 0; row--) {
    let sum = b[row]!;
    for (let c = row + 1; c < n; c++) sum -= a[row * n + c]! * x[c]!;
    x[row] = sum / a[row * n + row]!;
  }
  return x;
}
