import { crc32 } from 'node:zlib';
import fc from 'fast-check';
import sharp from 'sharp';
import { type Harness, startHarness, tmpFilesOf } from '../support/harness';
import { makeJpeg, makePng } from '../support/images';

/**
 * The upload edge fuzzed with generated files that are not valid images: truncated, with another
 * format's magic number, declaring dimensions far beyond the pixel limit, empty, or noise — under
 * names that promise an image. Each must be refused with a 4xx and the error shape, never a 5xx
 * or a success, and leave no asset and no temporary file behind. One property: its runs are
 * cases of one rule, counted as one test.
 */
describe('uploads of broken files are refused with a 4xx and lose nothing', () => {
  let harness: Harness;
  const seeds: Record<string, Buffer> = {};

  beforeAll(async () => {
    harness = await startHarness('embedded');
    const jpeg = await makeJpeg(64, 48);
    Object.assign(seeds, {
      jpg: jpeg,
      png: await makePng(64, 48),
      webp: await sharp(jpeg).webp().toBuffer(),
      gif: await sharp(jpeg).gif().toBuffer(),
      tif: await sharp(jpeg).tiff().toBuffer(),
    });
  });
  afterAll(async () => {
    await harness?.close();
  });

  const MAGIC: Record<string, number[]> = {
    jpg: [0xff, 0xd8, 0xff, 0xe0],
    png: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
    gif: [0x47, 0x49, 0x46, 0x38, 0x39, 0x61],
    pdf: [0x25, 0x50, 0x44, 0x46, 0x2d],
    zip: [0x50, 0x4b, 0x03, 0x04],
  };

  type Broken = { name: string; bytes: Buffer; how: string };
  const extension = fc.constantFrom('jpg', 'png', 'webp', 'gif', 'tif');

  const truncated = fc
    .tuple(extension, fc.double({ min: 0.05, max: 0.9, noNaN: true }))
    .map(([ext, keep]): Broken => {
      const seed = seeds[ext]!;
      return {
        name: `cut.${ext}`,
        bytes: seed.subarray(0, Math.floor(seed.length * keep)),
        how: `${ext} cut to ${keep}`,
      };
    });
  const wrongMagic = fc
    .tuple(extension, fc.constantFrom(...Object.keys(MAGIC)))
    .filter(([ext, magic]) => ext !== magic)
    .map(([ext, magic]): Broken => {
      const bytes = Buffer.from(seeds[ext]!);
      Buffer.from(MAGIC[magic]!).copy(bytes, 0);
      return { name: `magic.${ext}`, bytes, how: `${ext} with the ${magic} magic number` };
    });
  const hugeDimensions = fc
    .tuple(fc.integer({ min: 20_000, max: 0x7fffffff }), fc.integer({ min: 20_000, max: 0x7fffffff }))
    .map(
      ([width, height]): Broken => ({
        name: 'huge.png',
        bytes: pngDeclaring(seeds.png!, width, height),
        how: `PNG declaring ${width}×${height}`,
      }),
    );
  const hugeJpeg = fc
    .tuple(fc.integer({ min: 20_000, max: 65_535 }), fc.integer({ min: 20_000, max: 65_535 }))
    .map(
      ([width, height]): Broken => ({
        name: 'huge.jpg',
        bytes: jpegDeclaring(seeds.jpg!, width, height),
        how: `JPEG declaring ${width}×${height}`,
      }),
    );
  const noise = fc.tuple(extension, fc.uint8Array({ minLength: 1, maxLength: 4096 })).map(
    ([ext, bytes]): Broken => ({
      name: `noise.${ext}`,
      bytes: Buffer.from(bytes),
      how: `noise as .${ext}`,
    }),
  );
  const empty = extension.map(
    (ext): Broken => ({ name: `empty.${ext}`, bytes: Buffer.alloc(0), how: 'zero bytes' }),
  );

  it('refuses every generated broken file with a 4xx and the error shape', async () => {
    const before = await assetCount();
    const seen: string[] = [];
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(truncated, wrongMagic, hugeDimensions, hugeJpeg, noise, empty),
        async (file) => {
          seen.push(file.how);
          const res = await harness.http.post('/api/assets').attach('file', file.bytes, file.name);
          if (res.status < 400 || res.status >= 500) throw new Error(`${file.how}: answered ${res.status}`);
          expect(res.body).toEqual({
            error: { code: expect.any(String), message: expect.any(String), details: expect.any(Object) },
          });
        },
      ),
      { numRuns: 120, seed: 20_261_201 },
    );
    expect(seen.length).toBeGreaterThanOrEqual(120);
    expect(await assetCount()).toBe(before);
    expect(tmpFilesOf(harness)).toEqual([]);
  });

  it('answers any generated metadata, dimensions and rule-set fields with a 201 or a 4xx, never a 5xx', async () => {
    // Text from any code points, with the characters that break storage and parsers mixed in.
    const awkward = fc.constantFrom('\u0000', '\uD800', '\uDFFF', '\uFFFF', '\u202E', '"', '\\', '%', '\n');
    const text = fc
      .array(fc.oneof(fc.string({ unit: 'binary', maxLength: 8 }), awkward), { maxLength: 5 })
      .map((parts) => parts.join(''));
    const value = fc.oneof(
      text,
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(text, { maxLength: 3 }),
    );
    // Mostly JSON objects (what the fields hold), sometimes any JSON or not JSON at all.
    const field = fc.oneof(
      { weight: 4, arbitrary: fc.dictionary(text, value, { maxKeys: 4 }).map((o) => JSON.stringify(o)) },
      { weight: 1, arbitrary: fc.json({ maxDepth: 2 }) },
      { weight: 1, arbitrary: text },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          { metadata: field, dimensions: field, ruleSet: fc.oneof(fc.constant('default'), text) },
          { requiredKeys: [] },
        ),
        async (fields) => {
          let req = harness.http.post('/api/assets').attach('file', seeds.jpg!, 'fields.jpg');
          for (const [name, value] of Object.entries(fields)) req = req.field(name, value);
          const res = await req;
          if (res.status >= 500 || (res.status >= 300 && res.status < 400))
            throw new Error(`${JSON.stringify(fields)}: answered ${res.status} ${JSON.stringify(res.body)}`);
          if (res.status >= 400)
            expect(res.body.error).toEqual({
              code: expect.any(String),
              message: expect.any(String),
              details: expect.any(Object),
            });
        },
      ),
      { numRuns: 100, seed: 20_261_202 },
    );
  });

  const assetCount = async () =>
    Number(
      (
        await harness.storage.database.db
          .selectFrom('assets')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
});

/** A copy of a PNG whose header (IHDR) declares other dimensions, with its checksum redone. */
function pngDeclaring(png: Buffer, width: number, height: number): Buffer {
  const bytes = Buffer.from(png);
  // Signature (8) + length (4), then "IHDR" at 12, width at 16, height at 20, CRC after 13 bytes.
  bytes.writeUInt32BE(width, 16);
  bytes.writeUInt32BE(height, 20);
  bytes.writeUInt32BE(crc32(bytes.subarray(12, 29)), 29);
  return bytes;
}

/** A copy of a baseline JPEG whose frame header (SOF0) declares other dimensions. */
function jpegDeclaring(jpeg: Buffer, width: number, height: number): Buffer {
  const bytes = Buffer.from(jpeg);
  for (let i = 2; i < bytes.length - 9; ) {
    if (bytes[i] !== 0xff) throw new Error('not a JPEG segment');
    const marker = bytes[i + 1]!;
    if (marker === 0xc0 || marker === 0xc2) {
      bytes.writeUInt16BE(height, i + 5);
      bytes.writeUInt16BE(width, i + 7);
      return bytes;
    }
    i += 2 + bytes.readUInt16BE(i + 2);
  }
  throw new Error('no frame header');
}
