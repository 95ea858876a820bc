import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, utimes } from 'node:fs/promises';
import path from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { create as contentDisposition } from 'content-disposition';
import {
  assertRenditionKey,
  assertSha256,
  type BlobStore,
  type BlobTier,
  type BlobWriter,
  type HandOff,
  locateIn,
  type PendingBlob,
  type StoredRef,
} from './blob-store';
import {
  fannedOut,
  fileExists,
  sweepWrittenBy,
  UNKNOWN_WRITER,
  writeAtomically,
  writeTemporary,
} from './local-files';

/** Where the bytes go in object storage (`blobs.s3` in the configuration). */
export interface S3Settings {
  bucket: string;
  /**
   * The cold tier as a second bucket (same keys); without one, cold blobs are kept under `cold/`
   * in the same bucket. A cheaper storage class is the store's business: a lifecycle rule on the
   * cold bucket or the `cold/` prefix (a class readable without a restore, such as STANDARD_IA or
   * GLACIER_IR: Assetflow reads cold blobs directly).
   */
  coldBucket?: string | undefined;
}

/** Where a tier's copy of a blob is: a bucket and a key. */
interface Location {
  Bucket: string;
  Key: string;
}

/**
 * Multipart uploads above this size. lib-storage holds about (queue + 1) parts in memory per
 * upload (≈ 24 MiB here); S3 allows at most 10 000 parts, so 8 MiB parts reach 78 GiB.
 */
const PART_BYTES = 8 * 1024 * 1024;
/** CopyObject copies at most 5 GiB; larger blobs are moved by streaming them through this process. */
const LARGEST_COPY = 5 * 1024 ** 3;

/**
 * Content-addressed blobs in S3-compatible object storage, shared by every API server and worker
 * of an installation. Keys are `blobs/ab/cd/<sha256>` (cold: the same key in the cold
 * bucket, or `cold/ab/cd/<sha256>`) and `renditions/<sha256>/<key>`. A blob is uploaded (multipart when large) before
 * `commit` returns, so before the catalogue row that names it, and never overwritten: a key that
 * exists already holds the same bytes.
 *
 * Image work needs local files, so reads go through a local cache under `localDir`: a blob is
 * fetched once, checked against its sha256, and kept until `sweepAbandoned` trims the cache to
 * `cacheMaxBytes` (least recently used first, never a file handed out within the sweep's age).
 * Every read of a blob still asks the store whether it exists (one HEAD). Renditions are not
 * asked again: they are served only for an asset the catalogue still has, and are trimmed.
 */
export class S3BlobStore implements BlobStore {
  readonly kind = 's3';
  private readonly fetching = new Map<string, Promise<string>>();

  constructor(
    private readonly client: S3Client,
    readonly settings: S3Settings,
    /** Local temporaries and the read cache; on the machine's own disk. */
    readonly localDir: string,
    private readonly cacheMaxBytes: number,
    private readonly writer: BlobWriter = UNKNOWN_WRITER,
  ) {}

  /** Fails with a clear message when a bucket is missing or the credentials cannot reach it. */
  async checkBuckets(): Promise<void> {
    const buckets = [this.settings.bucket, this.settings.coldBucket].filter((b): b is string => !!b);
    for (const bucket of buckets) {
      try {
        await this.client.send(new HeadBucketCommand({ Bucket: bucket }));
      } catch (error) {
        throw new Error(
          `The S3 bucket "${bucket}" cannot be reached (${describe(error)}): create it, and check blobs.s3 and the AWS_* environment variables.`,
        );
      }
    }
  }

  async write(source: Readable): Promise<PendingBlob> {
    const temporary = await writeTemporary(this.tmpDir, this.writer, source);
    return {
      ...temporary,
      commit: async () => {
        const { sha256 } = temporary;
        // The HEAD only saves sending bytes that are there already; the write itself is
        // conditional, so two machines committing the same new bytes at once write them once.
        if (!(await this.exists(sha256, 'hot')))
          await this.upload(this.locationOf(sha256, 'hot'), temporary.path);
      },
      discard: () => rm(temporary.path, { force: true }),
    };
  }

  async exists(sha256: string, tier: BlobTier = 'hot'): Promise<boolean> {
    return !!(await this.head(this.locationOf(sha256, tier)));
  }

  locate(sha256: string, expected: BlobTier = 'hot'): Promise<BlobTier | undefined> {
    return locateIn(this, sha256, expected);
  }

  async moveTier(sha256: string, from: BlobTier, to: BlobTier): Promise<void> {
    const source = this.locationOf(sha256, from);
    const target = this.locationOf(sha256, to);
    if (!(await this.exists(sha256, to))) {
      const head = await this.head(source);
      if (!head) throw new Error(`blob ${sha256} is not in the ${from} tier`);
      if ((head.ContentLength ?? 0) <= LARGEST_COPY) {
        await this.client.send(new CopyObjectCommand({ ...target, CopySource: copySource(source) }));
      } else {
        await this.copyThrough(sha256, from, target);
      }
    }
    await this.client.send(new DeleteObjectCommand(source));
  }

  async rehash(sha256: string, tier: BlobTier): Promise<string> {
    const hash = createHash('sha256');
    await pipeline(await this.read(sha256, tier), hash);
    return hash.digest('hex');
  }

  async read(sha256: string, tier: BlobTier): Promise<Readable> {
    const object = await this.client.send(new GetObjectCommand(this.locationOf(sha256, tier)));
    return object.Body as Readable;
  }

  async directFile(): Promise<undefined> {
    return undefined;
  }

  /**
   * A presigned GET, valid `expiresInSeconds`, that makes the store answer with the file's name
   * as an attachment and its detected type: the bytes never reach a browser as a page of the
   * app's origin, nor as anything but a download.
   */
  async downloadUrl(ref: StoredRef, handOff: HandOff): Promise<string> {
    const location =
      'tier' in ref
        ? this.locationOf(ref.sha256, ref.tier)
        : { Bucket: this.settings.bucket, Key: this.renditionKey(ref.sha256, ref.rendition) };
    return getSignedUrl(
      this.client,
      new GetObjectCommand({
        ...location,
        ResponseContentDisposition: contentDisposition(handOff.filename),
        ResponseContentType: handOff.mediaType,
        ResponseCacheControl: 'private, no-store',
      }),
      { expiresIn: handOff.expiresInSeconds },
    );
  }

  async close(): Promise<void> {
    this.client.destroy();
  }

  localFile(sha256: string, expected: BlobTier = 'hot'): Promise<string> {
    const running = this.fetching.get(sha256);
    if (running) return running;
    const work = this.fetch(sha256, expected).finally(() => this.fetching.delete(sha256));
    this.fetching.set(sha256, work);
    return work;
  }

  async delete(sha256: string): Promise<void> {
    const locations = [this.locationOf(sha256, 'hot'), this.locationOf(sha256, 'cold')];
    const unique = new Map(locations.map((l) => [`${l.Bucket}/${l.Key}`, l]));
    for (const location of unique.values()) await this.client.send(new DeleteObjectCommand(location));
    await this.eachObject(`${this.renditionPrefix(sha256)}/`, (Key) =>
      this.client.send(new DeleteObjectCommand({ Bucket: this.settings.bucket, Key })),
    );
    await rm(this.cachedBlobPath(sha256), { force: true });
    await rm(path.dirname(this.cachedRenditionPath(sha256, 'x')), { recursive: true, force: true });
  }

  async rendition(sourceSha256: string, key: string): Promise<string | undefined> {
    const local = this.cachedRenditionPath(sourceSha256, key);
    if (await touched(local)) return local;
    const body = await this.getBytes({
      Bucket: this.settings.bucket,
      Key: this.renditionKey(sourceSha256, key),
    });
    if (!body) return undefined;
    await writeAtomically(local, this.writer, body);
    return local;
  }

  async renditionKeys(sourceSha256: string): Promise<string[]> {
    const prefix = `${this.renditionPrefix(sourceSha256)}/`;
    const keys: string[] = [];
    await this.eachObject(prefix, (key) => keys.push(key.slice(prefix.length)));
    return keys.sort();
  }

  async writeRendition(sourceSha256: string, key: string, bytes: Buffer): Promise<string> {
    const Key = this.renditionKey(sourceSha256, key);
    await this.client.send(new PutObjectCommand({ Bucket: this.settings.bucket, Key, Body: bytes }));
    const local = this.cachedRenditionPath(sourceSha256, key);
    await writeAtomically(local, this.writer, bytes);
    return local;
  }

  async sweepAbandoned(olderThanMs: number, now = Date.now()): Promise<number> {
    const partial = (name: string) => name.endsWith('.partial');
    return (
      (await sweepWrittenBy(this.writer, this.tmpDir, () => true, olderThanMs, now)) +
      (await sweepWrittenBy(this.writer, this.incomingDir, () => true, olderThanMs, now)) +
      (await sweepWrittenBy(this.writer, this.cacheDir, partial, olderThanMs, now)) +
      (await this.trimCache(olderThanMs, now))
    );
  }

  /**
   * Deletes the least recently used cached files until the cache holds at most `cacheMaxBytes`.
   * A file used within `olderThanMs` is kept even over the limit: a request may be reading it.
   */
  private async trimCache(olderThanMs: number, now: number): Promise<number> {
    const entries = await readdir(this.cacheDir, { recursive: true, withFileTypes: true }).catch(() => []);
    const files: Array<{ file: string; size: number; usedAt: number }> = [];
    let total = 0;
    for (const entry of entries) {
      if (!entry.isFile() || entry.name.endsWith('.partial')) continue;
      const file = path.join(entry.parentPath, entry.name);
      const info = await stat(file).catch(() => undefined);
      if (!info) continue;
      files.push({ file, size: info.size, usedAt: info.mtimeMs });
      total += info.size;
    }
    let removed = 0;
    files.sort((a, b) => a.usedAt - b.usedAt);
    for (const { file, size, usedAt } of files) {
      if (total <= this.cacheMaxBytes || now - usedAt < olderThanMs) break;
      await rm(file, { force: true });
      total -= size;
      removed += 1;
    }
    return removed;
  }

  private async fetch(sha256: string, expected: BlobTier): Promise<string> {
    const local = this.cachedBlobPath(sha256);
    // Asked of the store even when a copy is cached: a blob another machine purged must not live
    // on in this one's cache, nor be handed out from it.
    let tier = expected;
    let head = await this.head(this.locationOf(sha256, tier));
    if (!head) {
      tier = expected === 'hot' ? 'cold' : 'hot';
      head = await this.head(this.locationOf(sha256, tier));
    }
    if (!head) {
      await rm(local, { force: true });
      throw new Error(`blob ${sha256} is in neither tier`);
    }
    // A cached copy of another size is damaged (a full disk, a killed copy): fetched again.
    const cached = await stat(local).catch(() => undefined);
    if (cached?.size === head.ContentLength && (await touched(local))) return local;
    const copy = await writeTemporary(this.incomingDir, this.writer, await this.read(sha256, tier));
    try {
      if (copy.sha256 !== sha256) {
        throw new Error(`blob ${sha256} in the ${tier} tier holds other bytes (they hash to ${copy.sha256})`);
      }
      await this.keepLocally(copy.path, local);
    } finally {
      await rm(copy.path, { force: true });
    }
    return local;
  }

  /** Moves a checked temporary into the cache, replacing any copy there (readers see one or the other). */
  private async keepLocally(temporary: string, target: string): Promise<void> {
    await mkdir(path.dirname(target), { recursive: true });
    await rename(temporary, target);
  }

  /**
   * Writes only when the key is free (If-None-Match: *, on the single PUT and on a multipart
   * upload's completion): a key that exists already holds these bytes, and its 412 says so.
   */
  private async upload(target: Location, body: string | Readable): Promise<void> {
    const Body = typeof body === 'string' ? createReadStream(body) : body;
    try {
      await new Upload({
        client: this.client,
        params: { ...target, Body, IfNoneMatch: '*' },
        partSize: PART_BYTES,
        queueSize: 2,
      }).done();
    } catch (error) {
      if (statusOf(error) !== 412) throw error;
    } finally {
      Body.destroy();
    }
  }

  /**
   * Copies a blob too large for CopyObject by streaming it through this process, hashing it on
   * the way: a copy that does not hash to the blob's name is deleted and the move fails, so the
   * source — the only good copy — is never deleted after a bad copy.
   */
  private async copyThrough(sha256: string, from: BlobTier, target: Location): Promise<void> {
    const hash = createHash('sha256');
    const hashing = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        done(null, chunk);
      },
    });
    const body = await this.read(sha256, from);
    await Promise.all([pipeline(body, hashing), this.upload(target, hashing)]);
    const copied = hash.digest('hex');
    if (copied !== sha256) {
      await this.client.send(new DeleteObjectCommand(target));
      throw new Error(`blob ${sha256} read back as ${copied} while moving it; the source was kept`);
    }
  }

  /** Calls `each` with every key under `prefix` in the hot bucket, a page (≤ 1 000) at a time. */
  private async eachObject(prefix: string, each: (key: string) => unknown): Promise<void> {
    for (let token: string | undefined, more = true; more; ) {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.settings.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) await each(object.Key!);
      token = page.NextContinuationToken;
      more = !!page.IsTruncated && !!token;
    }
  }

  private async head(location: Location) {
    try {
      return await this.client.send(new HeadObjectCommand(location));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  private async getBytes(location: Location): Promise<Buffer | undefined> {
    try {
      const object = await this.client.send(new GetObjectCommand(location));
      return Buffer.from(await object.Body!.transformToByteArray());
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  private locationOf(sha256: string, tier: BlobTier): Location {
    assertSha256(sha256);
    const key = `blobs/${fannedKey(sha256)}`;
    if (tier === 'hot') return { Bucket: this.settings.bucket, Key: key };
    if (this.settings.coldBucket) return { Bucket: this.settings.coldBucket, Key: key };
    return { Bucket: this.settings.bucket, Key: `cold/${fannedKey(sha256)}` };
  }

  private renditionPrefix(sha256: string): string {
    assertSha256(sha256);
    return `renditions/${sha256}`;
  }

  private renditionKey(sha256: string, key: string): string {
    assertRenditionKey(key);
    return `${this.renditionPrefix(sha256)}/${key}`;
  }

  /** Blobs being fetched into the cache: apart from uploads' temporaries, and from what the trim counts. */
  private get incomingDir(): string {
    return path.join(this.localDir, 'incoming');
  }

  private get tmpDir(): string {
    return path.join(this.localDir, 'tmp');
  }

  private get cacheDir(): string {
    return path.join(this.localDir, 'cache');
  }

  private cachedBlobPath(sha256: string): string {
    return path.join(this.cacheDir, 'blobs', fannedOut(sha256));
  }

  private cachedRenditionPath(sha256: string, key: string): string {
    assertSha256(sha256);
    assertRenditionKey(key);
    return path.join(this.cacheDir, 'renditions', sha256.slice(0, 2), sha256, key);
  }
}

/** True when the cached file exists; marks it used now, for the cache's least-recently-used trim. */
async function touched(file: string): Promise<boolean> {
  if (!(await fileExists(file))) return false;
  const now = new Date();
  await utimes(file, now, now).catch(() => {});
  return true;
}

/** `ab/cd/<sha256>` with `/` whatever the platform: an object key, not a path. */
function fannedKey(sha256: string): string {
  return `${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;
}

function copySource({ Bucket, Key }: Location): string {
  return `${Bucket}/${Key}`;
}

function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.$metadata?.httpStatusCode === 404 || e?.name === 'NotFound' || e?.name === 'NoSuchKey';
}

function describe(error: unknown): string {
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  return [e?.name, e?.$metadata?.httpStatusCode, e?.message].filter(Boolean).join(' ');
}
