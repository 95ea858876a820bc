import type { Readable } from 'node:stream';

export type BlobTier = 'hot' | 'cold';

/** The rendition key of a video's or PDF's still. */
export const STILL_KEY = 'still.png';

/** A blob in a tier, or one of a blob's renditions: what a client may be sent to fetch. */
export type StoredRef = { sha256: string; tier: BlobTier } | { sha256: string; rendition: string };

/** How a file handed to the store for download is named, typed, and how long its URL lives. */
export interface HandOff {
  filename: string;
  mediaType: string;
  expiresInSeconds: number;
}

/** Bytes written to a local temporary file, hashed, and not yet visible under their hash. */
export interface PendingBlob {
  sha256: string;
  sizeBytes: number;
  /** The temporary file, readable until `discard` (for inspection at upload). */
  path: string;
  /**
   * Makes the bytes visible under their hash in the hot tier, durably, before it returns (and so
   * before the catalogue row that names the blob is written). Never overwrites: identical content
   * committed twice keeps one copy. Calling it again after a purge deleted the blob puts it back.
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

/**
 * Where the bytes of assets live, named by their sha256: the local file system (the embedded
 * default) or S3-compatible object storage. Image work (sharp, ffmpeg, pdf) reads local files, so
 * every read hands out a local path: the store's own file, or a copy the store fetched into a
 * local cache and checked against its hash. Renditions are derived, kept beside their source, and
 * made again when missing.
 */
export interface BlobStore {
  /** What kind of store, for logs and the health page. */
  readonly kind: 'file' | 's3';
  /** Streams `source` into a local temporary file while hashing it; nothing is visible yet. */
  write(source: Readable): Promise<PendingBlob>;
  exists(sha256: string, tier?: BlobTier): Promise<boolean>;
  /** The tier that holds the blob, looking where the catalogue says first; undefined when neither does. */
  locate(sha256: string, expected?: BlobTier): Promise<BlobTier | undefined>;
  /**
   * Moves a blob between tiers. Idempotent (a retried activity): when it is already in `to`, it
   * only makes sure no copy is left in `from`.
   */
  moveTier(sha256: string, from: BlobTier, to: BlobTier): Promise<void>;
  /** The sha256 of the bytes stored under `sha256` in `tier` (a fixity check reads every byte). */
  rehash(sha256: string, tier: BlobTier): Promise<string>;
  /** The bytes of a blob in a tier, streamed (a backup copies them without keeping a local copy). */
  read(sha256: string, tier: BlobTier): Promise<Readable>;
  /** The stored blob itself as a local file (the file-system store); undefined where blobs are remote. */
  directFile(sha256: string, tier: BlobTier): Promise<string | undefined>;
  /**
   * A short-lived URL at which a client downloads the bytes from the store itself, as an
   * attachment with this name and type; undefined when the store has no such URLs (the file system).
   */
  downloadUrl(ref: StoredRef, handOff: HandOff): Promise<string | undefined>;
  /**
   * A local file holding the blob's bytes, whichever tier holds them (the catalogue's tier first:
   * another asset sharing the blob may have kept it hot while this asset went cold). Throws when
   * neither does.
   */
  localFile(sha256: string, expected?: BlobTier): Promise<string>;
  /** Deletes a blob from every tier, and its renditions (purge). Deleting what is gone is fine. */
  delete(sha256: string): Promise<void>;
  /** A local file holding a cached rendition of a blob, or undefined when none was made. */
  rendition(sourceSha256: string, key: string): Promise<string | undefined>;
  /** The keys of the renditions kept for a blob (a migration copies them with it). */
  renditionKeys(sourceSha256: string): Promise<string[]>;
  /** Stores a rendition (readers see all of it or none) and returns a local file holding it. */
  writeRendition(sourceSha256: string, key: string, bytes: Buffer): Promise<string>;
  /**
   * Deletes what a process killed mid-write left behind: temporaries whose writer no longer runs,
   * and those whose writer cannot be told once older than `olderThanMs`; a store with a local
   * cache also trims it to its size. Returns how many files went.
   */
  sweepAbandoned(olderThanMs: number, now?: number): Promise<number>;
  /** Releases connections (an S3 client's sockets); the store is not used after. */
  close(): Promise<void>;
}

/** The tier that holds a blob, asking for `expected` first; the same rule for every store. */
export async function locateIn(
  store: Pick<BlobStore, 'exists'>,
  sha256: string,
  expected: BlobTier,
): Promise<BlobTier | undefined> {
  const other: BlobTier = expected === 'hot' ? 'cold' : 'hot';
  if (await store.exists(sha256, expected)) return expected;
  if (await store.exists(sha256, other)) return other;
  return undefined;
}

export function assertSha256(sha256: string): void {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a sha256 hex digest: ${sha256}`);
}

export function assertRenditionKey(key: string): void {
  if (!/^[\w.-]+$/.test(key)) throw new Error(`not a rendition key: ${key}`);
}
