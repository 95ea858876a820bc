import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BlobWriter } from './blob-store';

/** Without a writer, temporaries are judged by age alone. */
export const UNKNOWN_WRITER: BlobWriter = { tag: 'w', isRunning: () => undefined };

export interface Temporary {
  sha256: string;
  sizeBytes: number;
  path: string;
}

/**
 * Streams `source` into a new file in `dir` (named `<writer tag>_…`, for the sweep) while hashing
 * it; the file is synced to disk. Never holds the bytes whole in memory.
 */
export async function writeTemporary(dir: string, writer: BlobWriter, source: Readable): Promise<Temporary> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${writer.tag}_${Date.now()}-${randomBytes(8).toString('hex')}`);
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
    await pipeline(source, hashing, createWriteStream(file, { flags: 'wx' }));
    await syncPath(file);
  } catch (error) {
    await rm(file, { force: true });
    throw error;
  }
  return { sha256: hash.digest('hex'), sizeBytes, path: file };
}

/**
 * Writes `bytes` to `target` through a partial file and a rename: readers see all of it or none.
 * Not synced: what is written this way (renditions, cached copies) is made again when missing.
 */
export async function writeAtomically(target: string, writer: BlobWriter, bytes: Buffer): Promise<void> {
  await mkdir(path.dirname(target), { recursive: true });
  const partial = `${target}.${writer.tag}_${randomBytes(4).toString('hex')}.partial`;
  await writeFile(partial, bytes, { flag: 'wx' });
  await rename(partial, target);
}

export function fileExists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

/**
 * Deletes, under `dir`, the files `matches` picks whose writer no longer runs, or cannot be told
 * and that are older than `olderThanMs`. A file of a write still running is never touched.
 */
export async function sweepWrittenBy(
  writer: BlobWriter,
  dir: string,
  matches: (name: string) => boolean,
  olderThanMs: number,
  now: number,
): Promise<number> {
  let removed = 0;
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isFile() || !matches(entry.name)) continue;
    const file = path.join(entry.parentPath, entry.name);
    const writerRuns = writer.isRunning(writerTagOf(entry.name));
    if (writerRuns === true) continue;
    if (writerRuns === undefined) {
      const { mtimeMs } = await stat(file);
      if (now - mtimeMs < olderThanMs) continue;
    }
    await rm(file, { force: true });
    removed += 1;
  }
  return removed;
}

/** The writer tag at the start of a temporary's name (`<tag>_…`), or of a partial file's suffix. */
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
 * fan-out levels above it (`<root>/ab/cd/`), always — a directory another upload created a moment
 * ago may not be synced yet.
 */
export async function syncEntries(file: string): Promise<void> {
  const dir = path.dirname(file);
  for (const level of [dir, path.dirname(dir), path.dirname(path.dirname(dir))]) await syncPath(level);
}

/** `ab/cd/<sha256>`: two fan-out levels keep directories (and listings) small. */
export function fannedOut(sha256: string): string {
  return path.join(sha256.slice(0, 2), sha256.slice(2, 4), sha256);
}
