import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { BlobStore } from '../../blobstore/blob-store';
import { BlobRepository } from '../../catalogue/blob.repository';
import { loadConfig, setConfigValue } from '../../config/load-config';
import { openBlobStore } from '../../runtime/catalogue';
import { migrateBlobs } from '../../services/blob-migration.service';
import { fileStoreOf, freshBuckets, testS3Client, testS3Settings } from '../support/blob-stores';
import { type Harness, startHarness, waitUntilStored } from '../support/harness';
import { makeJpeg } from '../support/images';

const run = promisify(execFile);

/**
 * `assetflow blobs migrate --to s3`: every live blob and its renditions copied from the file
 * system into a real S3 server, in its tier, verified by sha256; killed half-way and run again;
 * damaged sources reported and not copied; the configuration switched only after a full pass.
 */
describe('moving the blobs from the file system to S3', () => {
  let harness: Harness;
  let buckets: Awaited<ReturnType<typeof freshBuckets>>;
  const admin = testS3Client();
  const opened: BlobStore[] = [];
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'assetflow-migrate-'));
  let lostBytes: { sha256: string; bytes: Buffer };

  beforeAll(async () => {
    harness = await startHarness('embedded', { blobs: 'file' });
    buckets = await freshBuckets(admin, 2);
  });
  afterAll(async () => {
    for (const store of opened) await store.close();
    await buckets?.drop();
    admin.destroy();
    await harness?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  const s3 = () => testS3Settings(buckets);
  const target = async () => {
    const store = await openBlobStore({ dir: path.join(scratch, `target-${opened.length}`), s3: s3() });
    opened.push(store);
    return store;
  };
  const upload = async (name: string, seed: number) => {
    const res = await harness.http
      .post('/api/assets')
      .field('ruleSet', 'ecommerce')
      .attach('file', await makeJpeg(64 + seed, 48, [seed * 40, 80, 120], seed), name)
      .expect(201);
    return (await waitUntilStored(harness, res.body.id)).latestVersion.sha256 as string;
  };

  it('copies every blob into its tier with its renditions, and a run killed half-way is run again', async () => {
    const shas = [await upload('a.jpg', 1), await upload('b.jpg', 2), await upload('c.jpg', 3)];
    const source = fileStoreOf(harness.storage.blobs);
    await source.moveTier(shas[2]!, 'hot', 'cold');
    await harness.storage.assets.setBlobTier(shas[2]!, 'cold');
    const records = new BlobRepository(harness.storage.database.db);
    const to = await target();

    await expect(
      migrateBlobs({ from: source, to, records }, (done) => {
        if (done === 2) throw new Error('killed');
      }),
    ).rejects.toThrow('killed');
    const again = await migrateBlobs({ from: source, to, records });
    expect(again).toMatchObject({ total: 3, copied: 1, alreadyThere: 2, missing: [], corrupt: [] });

    // A second machine's store on the same buckets has everything, each in its tier, and the
    // thumbnails ingest made (which nothing makes again on demand).
    const other = await target();
    for (const [i, sha] of shas.entries()) {
      const tier = i === 2 ? 'cold' : 'hot';
      expect(await other.locate(sha, tier)).toBe(tier);
      expect(await other.rehash(sha, tier)).toBe(sha);
      const keys = await other.renditionKeys(sha);
      expect(keys).toEqual(await source.renditionKeys(sha));
      expect(keys.some((k) => k.startsWith('thumbnail-'))).toBe(true);
      expect(readFileSync((await other.rendition(sha, keys[0]!))!)).toEqual(
        readFileSync((await source.rendition(sha, keys[0]!))!),
      );
    }
    // The source was read, never changed.
    for (const [i, sha] of shas.entries())
      expect(existsSync(source.pathOf(sha, i === 2 ? 'cold' : 'hot'))).toBe(true);

    // A run killed between copying the cold blob and moving it left it hot: the next run moves it.
    await other.moveTier(shas[2]!, 'cold', 'hot');
    expect(await migrateBlobs({ from: source, to, records })).toMatchObject({ copied: 0, alreadyThere: 3 });
    expect(await other.exists(shas[2]!, 'cold')).toBe(true);
    expect(await other.exists(shas[2]!, 'hot')).toBe(false);
  }, 60_000);

  it('reports a damaged or missing source blob and copies neither', async () => {
    const damaged = await upload('damaged.jpg', 4);
    const lost = await upload('lost.jpg', 5);
    const source = fileStoreOf(harness.storage.blobs);
    const bytes = readFileSync(source.pathOf(damaged));
    bytes[bytes.length >> 1]! ^= 0xff;
    writeFileSync(source.pathOf(damaged), bytes);
    lostBytes = { sha256: lost, bytes: readFileSync(source.pathOf(lost)) };
    rmSync(source.pathOf(lost));
    const to = await target();
    const report = await migrateBlobs({
      from: source,
      to,
      records: new BlobRepository(harness.storage.database.db),
    });
    expect(report).toMatchObject({
      total: 5,
      copied: 0,
      alreadyThere: 3,
      missing: [lost],
      corrupt: [damaged],
    });
    expect(await to.locate(damaged)).toBeUndefined();
    expect(await to.locate(lost)).toBeUndefined();
    // The damage put right; the lost blob stays lost for the next test.
    bytes[bytes.length >> 1]! ^= 0xff;
    writeFileSync(source.pathOf(damaged), bytes);
  }, 60_000);

  it('the command copies what is left, then switches the configuration file to S3', async () => {
    const configFile = path.join(scratch, 'assetflow.yaml');
    copyFileSync(harness.configFile, configFile);
    const env = { ...process.env, ASSETFLOW_CONFIG: configFile, DATABASE_URL: harness.databaseUrl };
    const settings = s3();
    const args = [
      path.join(__dirname, '..', '..', 'bin', 'assetflow.js'),
      'blobs',
      'migrate',
      '--to',
      's3',
      '--bucket',
      settings.bucket,
      '--cold-bucket',
      settings.coldBucket,
      '--region',
      settings.region,
      '--endpoint',
      settings.endpoint,
      '--force-path-style',
      '--switch',
    ];
    // One blob is still lost (the previous test): the command copies the rest, says so, exits 1
    // and leaves the configuration as it was.
    const refused = await run(process.execPath, args, { env }).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(refused?.code).toBe(1);
    expect(refused?.stderr).toContain('1 copied');
    expect(refused?.stderr).toContain('1 missing');
    expect(loadConfig({ file: configFile, env: {} }).blobs.s3).toBeUndefined();

    // The lost blob found again (from a backup): a run without --switch copies it and leaves the
    // configuration; with --switch, it changes it.
    const source = fileStoreOf(harness.storage.blobs);
    writeFileSync(source.pathOf(lostBytes.sha256), lostBytes.bytes);
    const copied = await run(process.execPath, args.slice(0, -1), { env });
    expect(copied.stderr).toContain('5 blobs: 1 copied');
    expect(copied.stderr).toContain('run this again with --switch');
    expect(loadConfig({ file: configFile, env: {} }).blobs.s3).toBeUndefined();
    const done = await run(process.execPath, args, { env });
    expect(done.stderr).toContain('5 blobs: 0 copied');
    expect(loadConfig({ file: configFile, env: {} }).blobs.s3).toEqual(settings);
    // Run again on the switched configuration, with a setting the command has no flag for: kept.
    setConfigValue(configFile, ['blobs', 's3', 'downloads'], 'presigned');
    await run(process.execPath, args, { env });
    const switched = loadConfig({ file: configFile, env: {} });
    expect(switched.blobs.s3).toEqual({ ...settings, downloads: 'presigned' });
    expect(switched.database.url).toBe(harness.databaseUrl); // the rest of the file kept
    const store = await openBlobStore(switched.blobs);
    opened.push(store);
    for (const blob of await new BlobRepository(harness.storage.database.db).liveBlobs('', 100)) {
      expect(await store.rehash(blob.sha256, blob.tier)).toBe(blob.sha256);
      expect((await store.renditionKeys(blob.sha256)).length).toBeGreaterThan(0);
    }
  }, 120_000);
});
