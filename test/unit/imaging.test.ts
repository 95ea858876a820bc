import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { neighbours } from '../../catalogue/duplicate.repository';
import { analyseColours, checkBrandColours } from '../../imaging/colours';
import { detectMediaType, nameMismatch } from '../../imaging/detect-media-type';
import {
  bandsOf,
  hammingDistance,
  maxDistanceFor,
  perceptualHash,
  similarityOf,
} from '../../imaging/perceptual-hash';
import { makePreview } from '../../imaging/previews';
import { makeVideoFile } from '../support/images';

const solid = (hex: string) =>
  sharp({ create: { width: 64, height: 48, channels: 3, background: hex } })
    .png()
    .toBuffer();
const PHOTOS = path.join(__dirname, '..', 'fixtures', 'photos');

describe('perceptual hash', () => {
  it('defines similarity as 1 − d/64: 95 % allows 3 differing bits, 97 % one', () => {
    expect(maxDistanceFor(0.95)).toBe(3);
    expect(maxDistanceFor(0.97)).toBe(1);
    expect(maxDistanceFor(1)).toBe(0);
    expect(similarityOf(3)).toBeCloseTo(0.953, 3);
  });

  it('counts differing bits and splits hashes into four 16-bit bands', () => {
    expect(hammingDistance('0000000000000000', 'ffffffffffffffff')).toBe(64);
    expect(hammingDistance('00000000000000f0', '0000000000000010')).toBe(3);
    expect(bandsOf('0001ffff8000abcd')).toEqual([0x0001, 0xffff, 0x8000, 0xabcd]);
  });

  it('probes 1, 17 and 137 band values at radius 0, 1 and 2, all distinct and within the radius', () => {
    expect(neighbours(0x1234, 0)).toEqual([0x1234]);
    for (const [radius, count] of [
      [1, 17],
      [2, 137],
    ] as const) {
      const values = neighbours(0x1234, radius);
      expect(values).toHaveLength(count);
      expect(new Set(values).size).toBe(count);
      for (const v of values) expect(hammingDistance(v.toString(16), '1234')).toBeLessThanOrEqual(radius);
    }
  });

  it('hashes a photo and its half-size JPEG alike, and two different photos far apart', async () => {
    const coffee = path.join(PHOTOS, 'coffee.jpg');
    const half = await sharp(coffee).resize(256).jpeg({ quality: 70 }).toBuffer();
    const a = await perceptualHash(coffee, 1e8);
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(hammingDistance(a, await perceptualHash(half, 1e8))).toBeLessThanOrEqual(3);
    expect(hammingDistance(a, await perceptualHash(path.join(PHOTOS, 'chelsea.jpg'), 1e8))).toBeGreaterThan(
      15,
    );
  });
});

describe('colours', () => {
  it('names a flat colour in English and Chinese and reads its tone', async () => {
    const red = await analyseColours(await solid('#e02020'), 1e8);
    expect(red.palette).toEqual([
      expect.objectContaining({ share: 1, name: { en: 'red', zh: '红色' }, family: 'red' }),
    ]);
    expect(red.tone.temperature).toBe('warm');
    const navy = await analyseColours(await solid('#0a1f6e'), 1e8);
    expect(navy.palette[0]!.family).toBe('blue');
    expect(navy.tone).toEqual({ temperature: 'cool', brightness: 'dark' });
  });

  it('measures the dominant colours of a photograph', async () => {
    const { palette } = await analyseColours(path.join(PHOTOS, 'coffee.jpg'), 1e8);
    expect(palette.reduce((sum, c) => sum + c.share, 0)).toBeCloseTo(1, 2);
    expect(palette[0]!.family).toBe('brown');
  });

  it('checks the brand palette in CIEDE2000 with the measured ΔE, ignoring neutrals', async () => {
    const brand = { colours: [{ name: 'Tiffany blue', hex: '#0ABAB5' }], maxDeltaE: 10 };
    const tiffany = checkBrandColours((await analyseColours(await solid('#0cb8b2'), 1e8)).palette, brand);
    expect(tiffany.ok).toBe(true);
    expect(tiffany.colours[0]!.deltaE).toBeLessThan(2);
    const red = checkBrandColours((await analyseColours(await solid('#e02020'), 1e8)).palette, brand);
    expect(red.ok).toBe(false);
    expect(red.colours[0]).toMatchObject({ nearest: 'Tiffany blue', ok: false });
    expect(red.colours[0]!.deltaE).toBeGreaterThan(40);
    // White and grey are backgrounds, not brand colours: they always pass.
    expect(
      checkBrandColours((await analyseColours(await solid('#f4f4f4'), 1e8)).palette, brand),
    ).toMatchObject({
      ok: true,
      colours: [],
    });
  });
});

describe('type from content', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'assetflow-types-'));
  const write = (name: string, bytes: Buffer | string) => {
    const file = path.join(dir, name);
    writeFileSync(file, bytes);
    return file;
  };

  it('finds the type from the bytes, whatever the name says', async () => {
    expect(await detectMediaType(write('photo.bin', await solid('#123456')))).toEqual({
      mediaType: 'image/png',
      extension: 'png',
    });
    expect(
      (await detectMediaType(write('x.jpg', '%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n'))).mediaType,
    ).toBe('application/pdf');
    expect((await detectMediaType(write('notes.txt', 'just text'))).mediaType).toBe(
      'application/octet-stream',
    );
  });

  it('calls a name mislabelled only when its extension promises another type', () => {
    const pdf = { mediaType: 'application/pdf', extension: 'pdf' };
    expect(nameMismatch('poster.jpg', pdf)).toEqual({ expected: ['image/jpeg'] });
    expect(nameMismatch('logo.ai', pdf)).toBeNull();
    expect(nameMismatch('bracket.step', pdf)).toBeNull();
    expect(nameMismatch('PHOTO.JPEG', { mediaType: 'image/jpeg', extension: 'jpg' })).toBeNull();
  });
});

describe('previews', () => {
  it('says clearly that there is no preview when the tool is missing', async () => {
    const missing = {
      prlimit: 'prlimit',
      ffmpeg: '/nonexistent/ffmpeg',
      ffprobe: '/nonexistent/ffprobe',
      pdftoppm: '/nonexistent/pdftoppm',
      pdfinfo: '/nonexistent/pdfinfo',
    };
    expect(await makePreview('/dev/null', 'video/mp4', missing)).toEqual({
      ok: false,
      reason: 'no preview: ffmpeg is not installed',
    });
    expect(await makePreview('/dev/null', 'application/pdf', missing)).toEqual({
      ok: false,
      reason: 'no preview: pdftoppm is not installed',
    });
    expect(await makePreview('/dev/null', 'application/zip', missing)).toBeNull();
  });

  it('opens video containers only: a playlist naming another file is refused (ffmpeg installed)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'assetflow-playlist-'));
    const clip = makeVideoFile(dir, '64x48', 1);
    // An ffconcat list naming a file beside it: without the container whitelist ffmpeg opens it.
    const playlist = path.join(dir, 'list.mp4');
    writeFileSync(playlist, "ffconcat version 1.0\nfile 'clip.mp4'\n");
    expect(await makePreview(clip, 'video/mp4')).toMatchObject({ ok: true });
    expect(await makePreview(playlist, 'video/mp4')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('ffmpeg failed'),
    });
  });
});
