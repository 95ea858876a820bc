import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { BlobStore, BlobWriter } from '../../blobstore/blob-store';
import { FileBlobStore } from '../../blobstore/file-blob-store';
import { S3BlobStore, type S3Settings } from '../../blobstore/s3-blob-store';
import { createS3Client } from '../../blobstore/s3-client';
import { testS3Server } from './test-env';

/**
 * `file`: the local directory `npm start` uses; `s3`: the run's real S3 server (versitygw), the
 * production case for more than one machine. The cold tier of S3 in `s3` is a second bucket.
 */
export type BlobStoreKind = 'file' | 's3';
export const blobStoreKinds: BlobStoreKind[] = ['file', 's3'];

export interface TestBlobStore<T extends BlobStore = BlobStore> {
  store: T;
  /** The local directory (the file store's root, the S3 store's temporaries and cache). */
  dir: string;
  close(): Promise<void>;
}

/** `blobs.s3` for the run's S3 server and two fresh buckets (the second as the cold tier). */
export function testS3Settings(buckets: { names: string[] }) {
  const server = testS3Server();
  return {
    endpoint: server.endpoint,
    region: server.region,
    forcePathStyle: true,
    bucket: buckets.names[0]!,
    coldBucket: buckets.names[1]!,
  };
}

/** A client of the run's S3 server, with its root credentials. */
export function testS3Client(): S3Client {
  const server = testS3Server();
  return createS3Client({ endpoint: server.endpoint, region: server.region, forcePathStyle: true }, server);
}

/** Fresh, empty buckets on the run's S3 server, emptied and deleted by `drop`. */
export async function freshBuckets(client: S3Client, count: number) {
  const names = Array.from({ length: count }, () => `assetflow-test-${randomBytes(6).toString('hex')}`);
  for (const Bucket of names) await client.send(new CreateBucketCommand({ Bucket }));
  return {
    names,
    drop: async () => {
      for (const Bucket of names) {
        const listed = await client.send(new ListObjectsV2Command({ Bucket }));
        for (const o of listed.Contents ?? [])
          await client.send(new DeleteObjectCommand({ Bucket, Key: o.Key! }));
        await client.send(new DeleteBucketCommand({ Bucket })).catch(() => {});
      }
    },
  };
}

/** A new, empty blob store of `kind`; `close` deletes everything it holds. */
export async function openTestBlobStore(
  kind: BlobStoreKind,
  options: { writer?: BlobWriter; cold?: 'bucket' | 'prefix'; cacheMaxBytes?: number; dir?: string } = {},
): Promise<TestBlobStore> {
  const dir = options.dir ?? mkdtempSync(path.join(os.tmpdir(), `assetflow-blobs-${kind}-`));
  const removeDir = async () => rmSync(dir, { recursive: true, force: true });
  if (kind === 'file')
    return { store: new FileBlobStore(dir, undefined, options.writer), dir, close: removeDir };
  const client = testS3Client();
  const buckets = await freshBuckets(client, options.cold === 'prefix' ? 1 : 2);
  const settings: S3Settings = { bucket: buckets.names[0]!, coldBucket: buckets.names[1] };
  const store = new S3BlobStore(client, settings, dir, options.cacheMaxBytes ?? 1024 ** 3, options.writer);
  return {
    store,
    dir,
    close: async () => {
      await buckets.drop();
      client.destroy();
      await removeDir();
    },
  };
}

/** The file-system store behind a test's storage (for tests that reach into its directories). */
export function fileStoreOf(store: BlobStore): FileBlobStore {
  if (!(store instanceof FileBlobStore))
    throw new Error(`this test needs the file-system store, not ${store.kind}`);
  return store;
}

/**
 * Overwrites, wherever the store keeps them (its files; or the bucket and the local cache), the
 * cached renditions of `sha256` whose key starts with `prefix`: what bit rot or a bad disk does.
 */
export async function damageRenditions(store: BlobStore, sha256: string, prefix: string, bytes: Buffer) {
  const overwriteIn = (dir: string) => {
    const names = existsSync(dir) ? readdirSync(dir).filter((f) => f.startsWith(prefix)) : [];
    for (const name of names) writeFileSync(path.join(dir, name), bytes);
    return names.length;
  };
  if (store instanceof FileBlobStore) return overwriteIn(path.dirname(store.renditionPath(sha256, 'x')));
  const s3 = store as S3BlobStore;
  const client = testS3Client();
  const Bucket = s3.settings.bucket;
  const listed = await client.send(
    new ListObjectsV2Command({ Bucket, Prefix: `renditions/${sha256}/${prefix}` }),
  );
  for (const o of listed.Contents ?? [])
    await client.send(new PutObjectCommand({ Bucket, Key: o.Key!, Body: bytes }));
  client.destroy();
  overwriteIn(path.join(s3.localDir, 'cache', 'renditions', sha256.slice(0, 2), sha256));
  return listed.Contents?.length ?? 0;
}
