import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { FileBlobStore } from '../../blobstore/file-blob-store';
import type { Database } from '../../catalogue/database';
import { RenditionRepository } from '../../catalogue/rendition.repository';
import { RenditionCache } from '../../operations/rendition-cache';
import type { RenditionPreset } from '../../rules/document';
import { databaseKinds, openTestDatabase } from '../support/test-databases';

const SOURCE = path.join(__dirname, '..', 'fixtures', 'photos', 'coffee.jpg');
const SHA = 'c'.repeat(64);

describe.each(databaseKinds)('rendition cache (%s)', (kind) => {
  let database: Database;
  let root: string;
  let cache: () => RenditionCache;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
    root = mkdtempSync(path.join(os.tmpdir(), 'assetflow-renditions-'));
    const blobs = new FileBlobStore(root);
    const renditions = new RenditionRepository(database.db);
    cache = () => new RenditionCache({ blobs, renditions, maxImagePixels: 1e8 });
  });
  afterAll(async () => {
    await database?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('renders a preset once, also for concurrent requests and for a new process', async () => {
    const preset: RenditionPreset = { width: 200, fit: 'inside', format: 'webp', quality: 70 };
    const first = cache();
    const results = await Promise.all(
      Array.from({ length: 5 }, () => first.get(SHA, SOURCE, 'small', preset)),
    );
    expect(first.renders).toBe(1);
    expect(new Set(results.map((r) => r.file)).size).toBe(1);
    expect(results[0]).toMatchObject({ mediaType: 'image/webp', width: 200, height: 133 });
    const meta = await sharp(readFileSync(results[0]!.file)).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['webp', 200, 133]);

    const restarted = cache();
    await restarted.get(SHA, SOURCE, 'small', preset);
    expect(restarted.renders).toBe(0);

    // An edited preset is a different rendition.
    await restarted.get(SHA, SOURCE, 'small', { ...preset, quality: 50 });
    expect(restarted.renders).toBe(1);
  });

  it('makes a channel image: exactly 2000×2000 on white, and a watermarked proof unlike the plain one', async () => {
    const amazon = await cache().get(SHA, SOURCE, 'amazon-main', {
      width: 2000,
      height: 2000,
      fit: 'contain',
      background: '#FFFFFF',
      format: 'jpeg',
      quality: 90,
    });
    expect([amazon.width, amazon.height]).toEqual([2000, 2000]);
    // The photo is landscape: the bands above and below it are white padding.
    const corner = await sharp(amazon.file)
      .extract({ left: 0, top: 0, width: 1, height: 1 })
      .raw()
      .toBuffer();
    expect([...corner].map((v) => v >= 250)).toEqual([true, true, true]);

    const plain = await cache().get(SHA, SOURCE, 'plain', { width: 400, format: 'png' });
    const proof = await cache().get(SHA, SOURCE, 'proof', {
      width: 400,
      format: 'png',
      watermark: { text: 'PROOF', opacity: 0.5, position: 'center' },
    });
    const [a, b] = await Promise.all(
      [plain.file, proof.file].map((f) => sharp(f).greyscale().raw().toBuffer()),
    );
    let changed = 0;
    for (let i = 0; i < a!.length; i++) if (Math.abs(a![i]! - b![i]!) > 20) changed++;
    // The mark covers a visible part of the image, not all of it.
    expect(changed / a!.length).toBeGreaterThan(0.01);
    expect(changed / a!.length).toBeLessThan(0.5);
  });
});
