import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { greyOf, register } from '../../imaging/registration';

const photo = (name: string) => readFileSync(path.join(__dirname, '..', 'fixtures', 'photos', name));

/** A 1600 px rendition of a real photograph, as the partner preset makes it. */
const rendition = (name: string) => sharp(photo(name)).resize(1600).jpeg({ quality: 92 }).toBuffer();

describe('registration of a copy against the picture it was cut from', () => {
  let coffee: Buffer;
  beforeAll(async () => {
    coffee = await rendition('coffee.jpg');
  });

  // Where the copy's pixels really are: libvips shrinks with pixel centres aligned, but enlarges
  // with a half-pixel shift (measured: a blob at x = 200.5 lands at 251.12 after ×1.25, not
  // 250.62), so an enlarged copy starts half a copy pixel further left than the cut.
  it.each([
    ['a crop', { left: 120, top: 40, width: 1400, height: 960 }, 1, 0.1],
    ['a crop scaled to 70 %', { left: 37, top: 81, width: 1500, height: 900 }, 0.7, 0.25],
    ['a crop scaled up by 25 %', { left: 200, top: 150, width: 1200, height: 800 }, 1.25, 0.25],
    [
      'a portrait crop of the landscape picture (53 % of its width)',
      { left: 400, top: 0, width: 853, height: 1066 },
      1,
      0.1,
    ],
    ['a thin full-width strip (10 % of the height)', { left: 0, top: 500, width: 1600, height: 110 }, 1, 0.1],
  ])('locates %s to within a fraction of a pixel', async (_name, cut, factor, tolerance) => {
    const copy = await sharp(coffee)
      .extract(cut)
      .resize(Math.round(cut.width * factor))
      .jpeg({ quality: 80 })
      .toBuffer();
    const found = await register(await greyOf(copy), await greyOf(coffee));
    expect(found).not.toBeNull();
    const shift = factor > 1 ? 0.5 / factor : 0;
    expect(Math.abs(found!.left - (cut.left - shift))).toBeLessThan(tolerance);
    expect(Math.abs(found!.top - (cut.top - shift))).toBeLessThan(tolerance);
    expect(found!.scale).toBeCloseTo(1 / factor, 3);
    expect(found!.score).toBeGreaterThan(0.99);
  });

  it('places a whole thumbnail (a fifth of the size, WebP) over the whole rendition', async () => {
    const thumbnail = await sharp(coffee).resize(320).webp({ quality: 80 }).toBuffer();
    const found = await register(await greyOf(thumbnail), await greyOf(coffee));
    expect(found).toMatchObject({ scale: expect.closeTo(5, 1) });
    // 1 066 rows became 213, not 213.2: the uniform scale splits that rounding (≈ 1 px here).
    expect(Math.abs(found!.left)).toBeLessThan(1.5);
    expect(Math.abs(found!.top)).toBeLessThan(1.5);
  });

  it('sees through brightness and contrast changes', async () => {
    const copy = await sharp(coffee)
      .extract({ left: 60, top: 60, width: 1440, height: 900 })
      .linear(1.2, -15)
      .jpeg({ quality: 85 })
      .toBuffer();
    const found = await register(await greyOf(copy), await greyOf(coffee));
    expect(Math.abs(found!.left - 60)).toBeLessThan(0.1);
  });

  it('finds nothing in another photograph, nor a crop narrower than it searches for', async () => {
    const rocket = await rendition('rocket.jpg');
    const copy = await sharp(coffee).extract({ left: 80, top: 50, width: 1440, height: 960 }).toBuffer();
    expect(await register(await greyOf(copy), await greyOf(rocket))).toBeNull();
    const narrow = await sharp(coffee).extract({ left: 400, top: 300, width: 600, height: 400 }).toBuffer();
    const found = await register(await greyOf(narrow), await greyOf(coffee), { minShare: 0.6 });
    expect(found).toBeNull();
  });
});
