import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, link, mkdir, readdir, rename, rm, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  assertRenditionKey,
  assertSha256,
  type BlobStore,
  type BlobTier,
  type BlobWriter,
  locateIn,
  type PendingBlob,
} from './blob-store';
import {
  fannedOut,
  fileExists,
  sweepWrittenBy,
  syncEntries,
  syncPath,
  UNKNOWN_WRITER,
  writeAtomically,
  writeTemporary,
} from './local-files';

/**
 * A content-addressed blob store on the local file system. Blobs are named by the sha256 of their
 * bytes under `<root>/<tier>/ab/cd/<sha256>`, streamed to disk (never held whole in memory) and
 * made visible atomically and durably: the bytes and the directory entry are on disk (fsync)
 * before `commit` returns, and so before the catalogue row that names the blob is written.
 */
export class FileBlobStore implements BlobStore {
  readonly kind = 'file';
  readonly coldRoot: string;

  /** `coldRoot` may be another disk (cheaper, slower); by default it is `<root>/cold`. */
  constructor(
    readonly root: string,
    coldRoot?: string,
    private readonly writer: BlobWriter = UNKNOWN_WRITER,
  ) {
    this.coldRoot = coldRoot ?? path.join(root, 'cold');
  }

  async write(source: Readable): Promise<PendingBlob> {
    const temporary = await writeTemporary(path.join(this.root, 'tmp'), this.writer, source);
    const finalPath = this.pathOf(temporary.sha256, 'hot');
    return {
      ...temporary,
      commit: async () => {
        await mkdir(path.dirname(finalPath), { recursive: true });
        // link() fails with EEXIST instead of replacing, so an existing blob is never rewritten;
        // identical content under the same hash is simply already there.
        await link(temporary.path, finalPath).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'EEXIST') throw error;
        });
        await syncEntries(finalPath);
      },
      discard: () => rm(temporary.path, { force: true }),
    };
  }

  /** Where a blob lives (or would live) in a tier. */
  pathOf(sha256: string, tier: BlobTier = 'hot'): string {
    assertSha256(sha256);
    return path.join(tier === 'cold' ? this.coldRoot : path.join(this.root, 'hot'), fannedOut(sha256));
  }

  async exists(sha256: string, tier: BlobTier = 'hot'): Promise<boolean> {
    return fileExists(this.pathOf(sha256, tier));
  }

  /** Tiers may be on different file systems, so a failed rename falls back to copy and delete. */
  async moveTier(sha256: string, from: BlobTier, to: BlobTier): Promise<void> {
    const source = this.pathOf(sha256, from);
    const target = this.pathOf(sha256, to);
    if (await this.exists(sha256, to)) {
      await rm(source, { force: true });
      return;
    }
    await mkdir(path.dirname(target), { recursive: true });
    try {
      await rename(source, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
      const partial = `${target}.${randomBytes(4).toString('hex')}.partial`;
      await copyFile(source, partial);
      await syncPath(partial);
      await rename(partial, target);
      await syncEntries(target);
      await unlink(source);
      return;
    }
    await syncEntries(target);
  }

  async rehash(sha256: string, tier: BlobTier): Promise<string> {
    const hash = createHash('sha256');
    await pipeline(await this.read(sha256, tier), hash);
    return hash.digest('hex');
  }

  async read(sha256: string, tier: BlobTier): Promise<Readable> {
    const stream = createReadStream(this.pathOf(sha256, tier));
    // Opened before it is handed out, so a missing file fails here, not in the reader's pipeline.
    await new Promise<void>((resolve, reject) => stream.once('open', () => resolve()).once('error', reject));
    return stream;
  }

  async directFile(sha256: string, tier: BlobTier): Promise<string | undefined> {
    return this.pathOf(sha256, tier);
  }

  async downloadUrl(): Promise<undefined> {
    return undefined;
  }

  async close(): Promise<void> {}

  locate(sha256: string, expected: BlobTier = 'hot'): Promise<BlobTier | undefined> {
    return locateIn(this, sha256, expected);
  }

  async localFile(sha256: string, expected: BlobTier = 'hot'): Promise<string> {
    const tier = await this.locate(sha256, expected);
    if (!tier) throw new Error(`blob ${sha256} is in neither tier`);
    return this.pathOf(sha256, tier);
  }

  async delete(sha256: string): Promise<void> {
    await Promise.all([
      ...(['hot', 'cold'] as const).map((tier) => rm(this.pathOf(sha256, tier), { force: true })),
      rm(this.renditionDir(sha256), { recursive: true, force: true }),
    ]);
  }

  async rendition(sourceSha256: string, key: string): Promise<string | undefined> {
    const file = this.renditionPath(sourceSha256, key);
    return (await fileExists(file)) ? file : undefined;
  }

  async renditionKeys(sourceSha256: string): Promise<string[]> {
    const names = await readdir(this.renditionDir(sourceSha256)).catch(() => []);
    return names.filter((name) => !name.endsWith('.partial')).sort();
  }

  async writeRendition(sourceSha256: string, key: string, bytes: Buffer): Promise<string> {
    const target = this.renditionPath(sourceSha256, key);
    await writeAtomically(target, this.writer, bytes);
    return target;
  }

  async sweepAbandoned(olderThanMs: number, now = Date.now()): Promise<number> {
    const all = () => true;
    const partial = (name: string) => name.endsWith('.partial');
    return (
      (await sweepWrittenBy(this.writer, path.join(this.root, 'tmp'), all, olderThanMs, now)) +
      (await sweepWrittenBy(this.writer, path.join(this.root, 'renditions'), partial, olderThanMs, now))
    );
  }

  /**
   * Where a rendition of a blob is cached: `<root>/renditions/ab/<source sha256>/<key>`. Renditions
   * live beside, not inside, the content-addressed store: they are derived, and go with their source.
   */
  renditionPath(sourceSha256: string, key: string): string {
    assertRenditionKey(key);
    return path.join(this.renditionDir(sourceSha256), key);
  }

  private renditionDir(sourceSha256: string): string {
    assertSha256(sourceSha256);
    return path.join(this.root, 'renditions', sourceSha256.slice(0, 2), sourceSha256);
  }
}
