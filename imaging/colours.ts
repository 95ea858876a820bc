import type { BrandColourCheck, ColourAnalysis, ColourTone, PaletteColour } from '../domain/ingest-findings';

export type { BrandColourCheck, ColourAnalysis, ColourTone, PaletteColour } from '../domain/ingest-findings';

import { converter, differenceCiede2000, formatHex } from 'culori';
import quantize from 'quantize';
import { BASIC_COLOUR_NAMES, REFERENCE_COLOURS } from './colour-names';
import { decodeImage } from './pixels';

const PALETTE_SIZE = 6;
/** Pixels sampled: the image is reduced to fit 64×64 first (palettes need no more detail). */
const SAMPLE_SIDE = 64;
/** Below this LCh chroma a colour counts as neutral (white, grey, black) for tone and brand checks. */
const NEUTRAL_CHROMA = 12;
/** Palette colours with less share than this are ignored by the brand check. */
const BRAND_CHECK_MIN_SHARE = 0.1;

const toLch = converter('lch');
const deltaE00 = differenceCiede2000();
const rgb = (r: number, g: number, b: number) => ({
  mode: 'rgb' as const,
  r: r / 255,
  g: g / 255,
  b: b / 255,
});

/**
 * The dominant palette (median-cut quantisation, shares by nearest-colour assignment), each colour
 * named in English and Chinese, and the overall tone. Transparent areas count as white.
 */
export async function analyseColours(input: string | Buffer, maxPixels: number): Promise<ColourAnalysis> {
  const { data, info } = await decodeImage(input, maxPixels)
    .rotate()
    .flatten({ background: '#ffffff' })
    .resize(SAMPLE_SIDE, SAMPLE_SIDE, { fit: 'inside' })
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const pixels: [number, number, number][] = [];
  for (let i = 0; i < info.width * info.height * 3; i += 3)
    pixels.push([data[i]!, data[i + 1]!, data[i + 2]!]);

  // quantize cannot split a box of one colour: a flat image yields no map, and one colour is right.
  const colourMap = quantize(pixels, PALETTE_SIZE);
  const centres: [number, number, number][] = colourMap ? colourMap.palette() : [pixels[0]!];
  const counts = new Array<number>(centres.length).fill(0);
  for (const [r, g, b] of pixels) {
    let best = 0;
    let bestDistance = Number.POSITIVE_INFINITY;
    centres.forEach(([cr, cg, cb], i) => {
      const d = (r - cr) ** 2 + (g - cg) ** 2 + (b - cb) ** 2;
      if (d < bestDistance) [best, bestDistance] = [i, d];
    });
    counts[best]! += 1;
  }
  const palette = centres
    .map(([r, g, b], i) => {
      const colour = rgb(r, g, b);
      const reference = nearestReference(colour);
      return {
        hex: formatHex(colour),
        share: round(counts[i]! / pixels.length),
        name: reference.name,
        family: reference.family,
      };
    })
    .filter((c) => c.share > 0)
    .sort((a, b) => b.share - a.share);
  return { palette: mergeSameNames(palette), tone: toneOf(palette) };
}

/** Four shades all called "grey" read as one grey: keep the largest's hex, add up the shares. */
function mergeSameNames(palette: PaletteColour[]): PaletteColour[] {
  const byName = new Map<string, PaletteColour>();
  for (const colour of palette) {
    const seen = byName.get(colour.name.en);
    if (seen) seen.share = round(seen.share + colour.share);
    else byName.set(colour.name.en, { ...colour });
  }
  return [...byName.values()];
}

/** The basic colour family of a colour given as hex (a swatch picked in a search). */
export function familyOfHex(hex: string): PaletteColour['family'] {
  const parsed = converter('rgb')(hex);
  if (!parsed) throw new Error(`not a colour: ${hex}`);
  return nearestReference({ mode: 'rgb', r: parsed.r, g: parsed.g, b: parsed.b }).family;
}

function nearestReference(colour: ReturnType<typeof rgb>) {
  let best = REFERENCE_COLOURS[0]!;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const reference of REFERENCE_COLOURS) {
    const d = deltaE00(colour, reference.hex);
    if (d < bestDistance) [best, bestDistance] = [reference, d];
  }
  return best;
}

/**
 * Warm or cool from the share- and chroma-weighted hue (reds to yellows are warm, greens to blues
 * cool); bright or dark from the share-weighted lightness.
 */
function toneOf(palette: PaletteColour[]): ColourTone {
  let warm = 0;
  let cool = 0;
  let lightness = 0;
  for (const colour of palette) {
    const lch = toLch(colour.hex)!;
    lightness += lch.l * colour.share;
    if (lch.c < NEUTRAL_CHROMA) continue;
    const hue = lch.h ?? 0;
    const weight = colour.share * lch.c;
    if (hue < 100 || hue >= 330) warm += weight;
    else if (hue >= 140 && hue < 300) cool += weight;
  }
  const temperature =
    warm + cool < 2 ? 'neutral' : warm > 1.5 * cool ? 'warm' : cool > 1.5 * warm ? 'cool' : 'neutral';
  const brightness = lightness >= 65 ? 'bright' : lightness <= 35 ? 'dark' : 'medium';
  return { temperature, brightness };
}

/**
 * The brand-palette check: every chromatic colour with at least 10 % of the image must lie within
 * `maxDeltaE` (CIEDE2000) of a brand colour. Neutrals (white, grey, black) always pass: they are
 * backgrounds and type, not brand colours.
 */
export function checkBrandColours(
  palette: PaletteColour[],
  brand: { colours: { name: string; hex: string }[]; maxDeltaE: number },
): BrandColourCheck {
  const colours = palette
    .filter((c) => c.share >= BRAND_CHECK_MIN_SHARE && toLch(c.hex)!.c >= NEUTRAL_CHROMA)
    .map((c) => {
      let nearest = brand.colours[0]!;
      let deltaE = Number.POSITIVE_INFINITY;
      for (const b of brand.colours) {
        const d = deltaE00(c.hex, b.hex);
        if (d < deltaE) [nearest, deltaE] = [b, d];
      }
      return {
        hex: c.hex,
        share: c.share,
        nearest: nearest.name,
        deltaE: round(deltaE),
        ok: deltaE <= brand.maxDeltaE,
      };
    });
  return { ok: colours.every((c) => c.ok), maxDeltaE: brand.maxDeltaE, colours };
}

/** Colour tags for search, in both languages: the families of colours with at least 10 % share. */
export function colourTags(palette: PaletteColour[]): string[] {
  const families = new Set(palette.filter((c) => c.share >= 0.1).map((c) => c.family));
  return [...families].flatMap((f) => [BASIC_COLOUR_NAMES[f].en, BASIC_COLOUR_NAMES[f].zh]);
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
