import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, link, mkdir, open, readdir, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export type BlobTier = 'hot' | 'cold';

/** The rendition key of a video's or PDF's still. */
export const STILL_KEY = 'still.png';

/** Bytes written to a temporary file, hashed, and not yet visible under their hash. */
export interface PendingBlob {
  sha256: string;
  sizeBytes: number;
  /** The temporary file, readable until `discard` (for inspection at upload). */
  path: string;
  /**
   * Makes the bytes visible under their hash (a hard link: the temporary stays until `discard`).
   * Idempotent: committing identical content twice keeps one copy. Calling it again after a
   * purge deleted the blob puts the bytes back.
   */
  commit(): Promise<void>;
  /** Deletes the temporary file: after the catalogue names the blob, or when the request fails. */
  discard(): Promise<void>;
}

/**
 * Who writes temporaries: a tag put in their names, and a way to tell whether the writer that
 * made a tag still runs (undefined when it cannot be told, e.g. a tag from another host).
 */
export interface BlobWriter {
  tag: string;
  isRunning(tag: string): boolean | undefined;
}

/** Without a writer, temporaries are judged by age alone. */
const UNKNOWN_WRITER: BlobWriter = { tag: 'w', isRunning: () => undefined };

/**
 * A content-addressed blob store on the local file system. Blobs are named by the sha256 of their
 * bytes under `<root>/<tier>/ab/cd/<sha256>`, streamed to disk (never held whole in memory) and
 * made visible atomically and durably: the bytes and the directory entry are on disk (fsync)
 * before `commit` returns, and so before the catalogue row that names the blob is written.
 */
export class FileBlobStore {
  readonly coldRoot: string;

  /** `coldRoot` may be another disk (cheaper, slower); by default it is `<root>/cold`. */
  constructor(
    readonly root: string,
    coldRoot?: string,
    private readonly writer: BlobWriter = UNKNOWN_WRITER,
  ) {
    this.coldRoot = coldRoot ?? path.join(root, 'cold');
  }

  /** Streams `source` into a temporary file while hashing it; the file is synced to disk. */
  async write(source: Readable): Promise<PendingBlob> {
    const tmpDir = path.join(this.root, 'tmp');
    await mkdir(tmpDir, { recursive: true });
    const tmpFile = path.join(tmpDir, `${this.writer.tag}_${Date.now()}-${randomBytes(8).toString('hex')}`);
    const hash = createHash('sha256');
    let sizeBytes = 0;
    const hashing = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        sizeBytes += chunk.length;
        done(null, chunk);
      },
    });
    try {
      await pipeline(source, hashing, createWriteStream(tmpFile, { flags: 'wx' }));
      await syncPath(tmpFile);
    } catch (error) {
      await rm(tmpFile, { force: true });
      throw error;
    }
    const sha256 = hash.digest('hex');
    const finalPath = this.pathOf(sha256, 'hot');
    return {
      sha256,
      sizeBytes,
      path: tmpFile,
      commit: async () => {
        await mkdir(path.dirname(finalPath), { recursive: true });
        // link() fails with EEXIST instead of replacing, so an existing blob is never rewritten;
        // identical content under the same hash is simply already there.
        await link(tmpFile, finalPath).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'EEXIST') throw error;
        });
        await syncEntries(finalPath);
      },
      discard: () => rm(tmpFile, { force: true }),
    };
  }

  /** Where a blob lives (or would live) in a tier. */
  pathOf(sha256: string, tier: BlobTier = 'hot'): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a sha256 hex digest: ${sha256}`);
    const base = tier === 'cold' ? this.coldRoot : path.join(this.root, 'hot');
    return path.join(base, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async exists(sha256: string, tier: BlobTier = 'hot'): Promise<boolean> {
    return stat(this.pathOf(sha256, tier)).then(
      () => true,
      () => false,
    );
  }

  /**
   * Moves a blob between tiers. Idempotent: when it is already in `to` (a retried activity), it
   * only makes sure no copy is left in `from`. Tiers may be on different file systems, so a failed
   * rename falls back to copy (to a temporary name, then rename) and delete.
   */
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

  /** The sha256 of the bytes stored under `sha256` in `tier` (a fixity check reads every byte). */
  async rehash(sha256: string, tier: BlobTier): Promise<string> {
    const hash = createHash('sha256');
    await pipeline(createReadStream(this.pathOf(sha256, tier)), hash);
    return hash.digest('hex');
  }

  /** The tier that holds the blob, looking where the catalogue says first; undefined when neither does. */
  async locate(sha256: string, expected: BlobTier = 'hot'): Promise<BlobTier | undefined> {
    const other: BlobTier = expected === 'hot' ? 'cold' : 'hot';
    if (await this.exists(sha256, expected)) return expected;
    if (await this.exists(sha256, other)) return other;
    return undefined;
  }

  /**
   * Where the bytes are, whichever tier holds them (the catalogue's tier first): another asset
   * sharing the blob may have kept it hot while this asset went cold. Throws when neither does.
   */
  async pathFound(sha256: string, expected: BlobTier = 'hot'): Promise<string> {
    const tier = await this.locate(sha256, expected);
    if (!tier) throw new Error(`blob ${sha256} is in neither tier`);
    return this.pathOf(sha256, tier);
  }

  /** Deletes a blob from every tier, and its renditions (purge). Deleting what is gone is fine. */
  async delete(sha256: string): Promise<void> {
    await Promise.all([
      ...(['hot', 'cold'] as const).map((tier) => rm(this.pathOf(sha256, tier), { force: true })),
      rm(this.renditionDir(sha256), { recursive: true, force: true }),
    ]);
  }

  /**
   * Where a rendition of a blob is cached: `<root>/renditions/ab/<source sha256>/<key>`. Renditions
   * live beside, not inside, the content-addressed store: they are derived, and go with their source.
   */
  renditionPath(sourceSha256: string, key: string): string {
    if (!/^[\w.-]+$/.test(key)) throw new Error(`not a rendition key: ${key}`);
    return path.join(this.renditionDir(sourceSha256), key);
  }

  /**
   * The still ingest made of a video or PDF (poster frame, first page), which their renditions
   * and comparisons are made from; undefined when there is none (yet).
   */
  async existingStill(sourceSha256: string): Promise<string | undefined> {
    const still = this.renditionPath(sourceSha256, STILL_KEY);
    return stat(still).then(
      () => still,
      () => undefined,
    );
  }

  /** Writes a rendition atomically (temporary file, then rename): readers see all of it or none. */
  async writeRendition(sourceSha256: string, key: string, bytes: Buffer): Promise<string> {
    const target = this.renditionPath(sourceSha256, key);
    await mkdir(path.dirname(target), { recursive: true });
    // Renditions are derived and made again when missing, so they are not synced to disk.
    const partial = `${target}.${this.writer.tag}_${randomBytes(4).toString('hex')}.partial`;
    await writeFile(partial, bytes, { flag: 'wx' });
    await rename(partial, target);
    return target;
  }

  /**
   * Deletes what a process killed mid-write left behind: upload temporaries and partial renditions
   * whose writer no longer runs, and those whose writer cannot be told (another host, an older
   * version) once they are older than `olderThanMs`. A temporary of a write still running is never
   * touched. Returns how many files went.
   */
  async sweepAbandoned(olderThanMs: number, now = Date.now()): Promise<number> {
    let removed = 0;
    const sweep = async (dir: string, matches: (name: string) => boolean) => {
      const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        if (!entry.isFile() || !matches(entry.name)) continue;
        const file = path.join(entry.parentPath, entry.name);
        const writerRuns = this.writer.isRunning(writerTagOf(entry.name));
        if (writerRuns === true) continue;
        if (writerRuns === undefined) {
          const { mtimeMs } = await stat(file);
          if (now - mtimeMs < olderThanMs) continue;
        }
        await rm(file, { force: true });
        removed += 1;
      }
    };
    await sweep(path.join(this.root, 'tmp'), () => true);
    await sweep(path.join(this.root, 'renditions'), (name) => name.endsWith('.partial'));
    return removed;
  }

  private renditionDir(sourceSha256: string): string {
    this.pathOf(sourceSha256); // validates the digest
    return path.join(this.root, 'renditions', sourceSha256.slice(0, 2), sourceSha256);
  }
}

/** The writer tag at the start of a temporary's name (`<tag>_…`), or of a partial rendition's suffix. */
function writerTagOf(name: string): string {
  const base = name.endsWith('.partial') ? name.slice(0, -'.partial'.length).split('.').pop()! : name;
  const cut = base.lastIndexOf('_');
  return cut > 0 ? base.slice(0, cut) : '';
}

/** fsync of a file or a directory. */
export async function syncPath(file: string): Promise<void> {
  const handle = await open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Makes a new directory entry durable: fsync of the directory that holds `file` and of the two
 * fan-out levels above it up to the tier root (`<tier>/ab/cd/`), always — a directory another
 * upload created a moment ago may not be synced yet.
 */
async function syncEntries(file: string): Promise<void> {
  const dir = path.dirname(file);
  for (const level of [dir, path.dirname(dir), path.dirname(path.dirname(dir))]) await syncPath(level);
}
