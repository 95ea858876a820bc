import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { BlobStore } from '../../blobstore/blob-store';
import { S3BlobStore } from '../../blobstore/s3-blob-store';
import { blobStoreKinds, openTestBlobStore, type TestBlobStore, testS3Client } from '../support/blob-stores';

/**
 * What every blob store promises (blobstore/blob-store.ts), run against the file system and a real
 * S3 server (versitygw): content addressing, commit before the catalogue, never overwriting, tiers,
 * renditions, purge, fixity and the sweep of what killed writers left.
 */
describe.each(blobStoreKinds)('the blob store contract (%s)', (kind) => {
  let opened: TestBlobStore[] = [];
  const open = async (options: Parameters<typeof openTestBlobStore>[1] = {}) => {
    const store = await openTestBlobStore(kind, options);
    opened.push(store);
    return store.store;
  };
  afterEach(async () => {
    for (const store of opened) await store.close();
    opened = [];
  });
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
  const from = (...chunks: Buffer[]) => Readable.from(chunks);

  it('names a blob by its sha256, shows it only once committed, and hands out a local file of its bytes', async () => {
    const store = await open();
    const bytes = Buffer.from('主图 bytes');
    const pending = await store.write(from(bytes));
    expect(pending.sha256).toBe(sha(bytes));
    expect(pending.sizeBytes).toBe(bytes.length);
    expect(readFileSync(pending.path)).toEqual(bytes);
    expect(await store.exists(pending.sha256)).toBe(false);
    await expect(store.localFile(pending.sha256)).rejects.toThrow('neither tier');
    await pending.commit();
    await pending.discard();
    expect(await store.exists(pending.sha256)).toBe(true);
    expect(await store.locate(pending.sha256)).toBe('hot');
    expect(readFileSync(await store.localFile(pending.sha256))).toEqual(bytes);
    expect(await store.rehash(pending.sha256, 'hot')).toBe(pending.sha256);
  });

  it('streams 40 MiB in chunks (multipart on S3) and keeps one copy of identical content', async () => {
    const store = await open();
    // Every MiB different, so parts put back in another order or twice would change the hash.
    const chunks = () => Readable.from(Array.from({ length: 40 }, (_, i) => Buffer.alloc(1024 * 1024, i)));
    const a = await store.write(chunks());
    const b = await store.write(chunks());
    await a.commit();
    await b.commit();
    expect(a.sha256).toBe(b.sha256);
    expect(a.sizeBytes).toBe(40 * 1024 * 1024);
    await a.discard();
    await b.discard();
    expect(await store.rehash(a.sha256, 'hot')).toBe(a.sha256);
    expect(sha(readFileSync(await store.localFile(a.sha256)))).toBe(a.sha256);
  });

  it('committing again puts back bytes a purge deleted meanwhile (the upload/purge race)', async () => {
    const store = await open();
    const pending = await store.write(from(Buffer.from('shared bytes')));
    await pending.commit();
    await store.delete(pending.sha256);
    expect(await store.locate(pending.sha256)).toBeUndefined();
    await expect(store.localFile(pending.sha256)).rejects.toThrow('neither tier');
    await pending.commit();
    expect(readFileSync(await store.localFile(pending.sha256), 'utf8')).toBe('shared bytes');
    await pending.discard();
  });

  it('moves a blob between tiers idempotently and finds it in either', async () => {
    const store = await open();
    const pending = await committed(store, Buffer.from('archive me'));
    await store.moveTier(pending.sha256, 'hot', 'cold');
    expect(await store.exists(pending.sha256, 'hot')).toBe(false);
    expect(await store.exists(pending.sha256, 'cold')).toBe(true);
    // A retried activity moves again: nothing changes, nothing fails.
    await store.moveTier(pending.sha256, 'hot', 'cold');
    expect(await store.locate(pending.sha256, 'hot')).toBe('cold');
    expect(await store.rehash(pending.sha256, 'cold')).toBe(pending.sha256);
    expect(readFileSync(await store.localFile(pending.sha256, 'hot'), 'utf8')).toBe('archive me');
    await store.moveTier(pending.sha256, 'cold', 'hot');
    expect(await store.locate(pending.sha256, 'cold')).toBe('hot');
    expect(await store.exists(pending.sha256, 'cold')).toBe(false);
  });

  it('a move retried after it copied but before it deleted leaves one copy, in the target tier', async () => {
    const store = await open();
    const pending = await store.write(from(Buffer.from('moved halfway')));
    await pending.commit();
    await store.moveTier(pending.sha256, 'hot', 'cold');
    await pending.commit(); // the hot copy back: both tiers hold the blob, as after a crash mid-move
    await pending.discard();
    expect([await store.exists(pending.sha256, 'hot'), await store.exists(pending.sha256, 'cold')]).toEqual([
      true,
      true,
    ]);
    await store.moveTier(pending.sha256, 'hot', 'cold');
    expect([await store.exists(pending.sha256, 'hot'), await store.exists(pending.sha256, 'cold')]).toEqual([
      false,
      true,
    ]);
    expect(await store.rehash(pending.sha256, 'cold')).toBe(pending.sha256);
  });

  it('keeps renditions with their source and deletes both on purge', async () => {
    const store = await open();
    const pending = await committed(store, Buffer.from('source'));
    expect(await store.rendition(pending.sha256, 'thumb-1')).toBeUndefined();
    const written = await store.writeRendition(pending.sha256, 'thumb-1', Buffer.from('thumbnail'));
    expect(readFileSync(written, 'utf8')).toBe('thumbnail');
    expect(readFileSync((await store.rendition(pending.sha256, 'thumb-1'))!, 'utf8')).toBe('thumbnail');
    await store.writeRendition(pending.sha256, 'medium-2', Buffer.from('medium'));
    expect(await store.renditionKeys(pending.sha256)).toEqual(['medium-2', 'thumb-1']);
    await store.moveTier(pending.sha256, 'hot', 'cold');
    await store.delete(pending.sha256);
    await store.delete(pending.sha256); // deleting what is gone is fine
    expect(await store.locate(pending.sha256)).toBeUndefined();
    expect(await store.rendition(pending.sha256, 'thumb-1')).toBeUndefined();
    expect(existsSync(written)).toBe(false);
    expect(await store.renditionKeys(pending.sha256)).toEqual([]);
  });

  it('refuses names that are not a sha256 digest or a rendition key (no path tricks)', async () => {
    const store = await open();
    await expect(store.exists('../../etc/passwd')).rejects.toThrow('not a sha256');
    await expect(store.localFile('../../etc/passwd')).rejects.toThrow('not a sha256');
    await expect(store.rendition(sha(Buffer.from('x')), '../escape')).rejects.toThrow('not a rendition key');
  });

  it('a failing stream leaves no temporary, and the sweep takes what a killed writer left, not live files', async () => {
    const alive = new Set(['host~1~10']);
    const isRunning = (tag: string) => (tag.startsWith('host~') ? alive.has(tag) : undefined);
    const testStore = await openTestBlobStore(kind, { writer: { tag: 'host~1~10', isRunning } });
    opened.push(testStore);
    const { store, dir } = testStore;
    const failing = new Readable({
      read() {
        this.destroy(new Error('client went away'));
      },
    });
    await expect(store.write(failing)).rejects.toThrow('client went away');
    expect(readdirSync(path.join(dir, 'tmp'))).toEqual([]);

    const running = await store.write(from(Buffer.from('still being written')));
    const killed = path.join(dir, 'tmp', 'host~2~20_123-abc');
    writeFileSync(killed, 'the writer was killed a second ago');
    const unknown = path.join(dir, 'tmp', 'w_456-def');
    writeFileSync(unknown, 'an old temporary of an unknown writer');
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(unknown, hourAgo, hourAgo);
    utimesSync(running.path, hourAgo, hourAgo); // old, but its writer runs: a slow upload
    expect(await store.sweepAbandoned(10 * 60_000)).toBe(2);
    expect(existsSync(killed)).toBe(false);
    expect(existsSync(unknown)).toBe(false);
    expect(existsSync(running.path)).toBe(true);
  });
});

describe('the S3 blob store', () => {
  let opened: TestBlobStore[] = [];
  afterEach(async () => {
    for (const store of opened) await store.close();
    opened = [];
  });

  it('is shared: a second machine (another local directory) reads what the first stored', async () => {
    const first = await openTestBlobStore('s3');
    opened.push(first);
    const pending = await committed(first.store, Buffer.from('uploaded on machine one'));
    await first.store.writeRendition(pending.sha256, 'medium-1', Buffer.from('a rendition'));
    const s3 = first.store as S3BlobStore;
    // The same buckets, an empty cache: nothing local is shared.
    const secondDir = mkdtempSync(path.join(os.tmpdir(), 'assetflow-blobs-second-'));
    const second = new S3BlobStore(testS3Client(), s3.settings, secondDir, 1024 ** 3);
    try {
      expect(readFileSync(await second.localFile(pending.sha256), 'utf8')).toBe('uploaded on machine one');
      expect(readFileSync((await second.rendition(pending.sha256, 'medium-1'))!, 'utf8')).toBe('a rendition');
      // Purged by the first machine: the second no longer hands out its cached copy.
      await first.store.delete(pending.sha256);
      await expect(second.localFile(pending.sha256)).rejects.toThrow('neither tier');
    } finally {
      await second.close();
      rmSync(secondDir, { recursive: true, force: true });
    }
  });

  it('refuses bytes in the store that do not hash to their key, and keeps none of them', async () => {
    const opened1 = await openTestBlobStore('s3');
    opened.push(opened1);
    const client = testS3Client();
    const bytes = Buffer.from('the real bytes');
    const digest = createHash('sha256').update(bytes).digest('hex');
    const bucket = (opened1.store as unknown as { settings: { bucket: string } }).settings.bucket;
    const Key = `blobs/${digest.slice(0, 2)}/${digest.slice(2, 4)}/${digest}`;
    await client.send(new PutObjectCommand({ Bucket: bucket, Key, Body: Buffer.from('bit rot') }));
    await expect(opened1.store.localFile(digest)).rejects.toThrow('holds other bytes');
    expect(readdirSync(path.join(opened1.dir, 'incoming'))).toEqual([]);
    expect(
      existsSync(path.join(opened1.dir, 'cache', 'blobs', digest.slice(0, 2), digest.slice(2, 4), digest)),
    ).toBe(false);
    expect(await opened1.store.rehash(digest, 'hot')).not.toBe(digest);
    const kept = await client.send(new GetObjectCommand({ Bucket: bucket, Key }));
    expect(await kept.Body!.transformToString()).toBe('bit rot');
    client.destroy();
  });

  it('keeps the cold tier under cold/ in the same bucket when there is no cold bucket', async () => {
    const opened1 = await openTestBlobStore('s3', { cold: 'prefix' });
    opened.push(opened1);
    const { store } = opened1;
    const pending = await committed(store, Buffer.from('cold in one bucket'));
    await store.moveTier(pending.sha256, 'hot', 'cold');
    const client = testS3Client();
    const bucket = (store as unknown as { settings: { bucket: string } }).settings.bucket;
    const Key = `cold/${pending.sha256.slice(0, 2)}/${pending.sha256.slice(2, 4)}/${pending.sha256}`;
    const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key }));
    expect(await object.Body!.transformToString()).toBe('cold in one bucket');
    client.destroy();
    expect(await store.locate(pending.sha256)).toBe('cold');
  });

  it('fetches again a cached copy whose size is not the blob’s (a copy cut short)', async () => {
    const opened1 = await openTestBlobStore('s3');
    opened.push(opened1);
    const pending = await committed(opened1.store, Buffer.from('whole bytes'));
    const cached = await opened1.store.localFile(pending.sha256);
    writeFileSync(cached, 'whole');
    expect(readFileSync(await opened1.store.localFile(pending.sha256), 'utf8')).toBe('whole bytes');
  });

  it('trims its local cache least recently used first, down to its size and no further', async () => {
    const opened1 = await openTestBlobStore('s3', { cacheMaxBytes: 2_500 });
    opened.push(opened1);
    const { store } = opened1;
    const files: string[] = [];
    for (const [n, hoursAgo] of [
      [1, 2],
      [2, 3],
      [3, 1.5],
      [4, 0],
    ] as const) {
      const pending = await committed(store, Buffer.alloc(1_000, n));
      const file = await store.localFile(pending.sha256);
      const usedAt = new Date(Date.now() - hoursAgo * 3_600_000);
      utimesSync(file, usedAt, usedAt);
      files.push(file);
    }
    // 4 000 bytes against 2 500: the two used longest ago go (3 h, then 2 h), leaving 2 000.
    expect(await store.sweepAbandoned(60 * 60_000)).toBe(2);
    expect(files.map((f) => existsSync(f))).toEqual([false, false, true, true]);
  });

  it('trims its local cache to its size, least recently used first, never what was used within the age', async () => {
    const opened1 = await openTestBlobStore('s3', { cacheMaxBytes: 1_500 });
    opened.push(opened1);
    const { store } = opened1;
    const files: string[] = [];
    for (const n of [1, 2, 3]) {
      const pending = await committed(store, Buffer.alloc(1_000, n));
      files.push(await store.localFile(pending.sha256));
    }
    const threeHoursAgo = new Date(Date.now() - 3 * 3_600_000);
    utimesSync(files[0]!, threeHoursAgo, threeHoursAgo);
    // 3 000 bytes against 1 500: the file unused for three hours goes; the two used a moment ago
    // stay although the cache is still over its size (a request may be reading them).
    expect(await store.sweepAbandoned(60 * 60_000)).toBe(1);
    expect(files.map((f) => existsSync(f))).toEqual([false, true, true]);
    // Gone from the cache, not from the store: the next read fetches it again.
    expect(
      readFileSync(await store.localFile(createHash('sha256').update(Buffer.alloc(1_000, 1)).digest('hex'))),
    ).toEqual(Buffer.alloc(1_000, 1));
  });
});

/** Writes bytes into a store and commits them, as an upload does; the blob's name. */
async function committed(store: BlobStore, bytes: Buffer): Promise<{ sha256: string }> {
  const pending = await store.write(Readable.from([bytes]));
  await pending.commit();
  await pending.discard();
  return { sha256: pending.sha256 };
}
