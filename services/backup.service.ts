import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Kysely } from 'kysely';
import type { BlobStore, BlobTier } from '../blobstore/blob-store';
import { syncPath } from '../blobstore/local-files';
import { AuditRepository, type ChainVerdict } from '../catalogue/audit.repository';
import type { LiveBlob } from '../catalogue/blob.repository';
import type { CatalogueDb } from '../catalogue/database';
import { loadSnapshot, readManifest, type SnapshotManifest, snapshotPostgres } from '../catalogue/snapshot';
import { AssetflowError, ErrorCodes } from '../domain/errors';

/**
 * Backup and restore of an installation's catalogue and blobs.
 *
 * A backup directory holds `catalogue/` (a snapshot: one COPY file per table and a manifest with
 * row counts, the trail head and the blobs the snapshot names) and `blobs/ab/cd/<sha256>`. The
 * snapshot is taken in one repeatable-read transaction while the server runs; the blobs it names
 * are then copied (only those the directory lacks: they are content-addressed) and checked
 * against their hash on the way; only then does the new snapshot replace the previous one, so the
 * directory's catalogue always has its blobs beside it.
 */

export interface BackupReport {
  manifest: SnapshotManifest;
  copied: number;
  alreadyThere: number;
  bytesCopied: number;
  /**
   * Blobs the snapshot names that the store no longer has (purged since) or holds damaged; when
   * any are, the directory keeps its previous snapshot.
   */
  missing: string[];
  corrupt: string[];
}

export type Progress = (done: number, total: number) => void;

const CATALOGUE = 'catalogue';

export async function backup(
  source: { databaseUrl: string; blobs: BlobStore },
  dir: string,
  progress: Progress = () => {},
): Promise<BackupReport> {
  await mkdir(path.join(dir, 'blobs'), { recursive: true });
  const partial = path.join(dir, `${CATALOGUE}.partial-${randomBytes(4).toString('hex')}`);
  try {
    const manifest = await snapshotPostgres(source.databaseUrl, partial);
    const report: BackupReport = {
      manifest,
      copied: 0,
      alreadyThere: 0,
      bytesCopied: 0,
      missing: [],
      corrupt: [],
    };
    let done = 0;
    for (const blob of manifest.blobs) {
      progress(done++, manifest.blobs.length);
      const target = backupBlobPath(dir, blob.sha256);
      if (await hasSize(target, blob.sizeBytes)) {
        report.alreadyThere += 1;
        continue;
      }
      const tier = await source.blobs.locate(blob.sha256, blob.tier);
      if (!tier) {
        report.missing.push(blob.sha256);
        continue;
      }
      if (!(await copyVerified(await source.blobs.read(blob.sha256, tier), target, blob.sha256))) {
        report.corrupt.push(blob.sha256);
        continue;
      }
      report.copied += 1;
      report.bytesCopied += blob.sizeBytes;
    }
    progress(done, manifest.blobs.length);
    // A snapshot whose blobs are not all here would make the directory unrestorable: keep the
    // previous one (the copied blobs stay, for the next run).
    if (report.missing.length + report.corrupt.length === 0) await replaceCatalogue(dir, partial);
    return report;
  } finally {
    await rm(partial, { recursive: true, force: true });
  }
}

export interface RestoreReport {
  manifest: SnapshotManifest;
  blobsCopied: number;
  blobsAlreadyThere: number;
  trail: ChainVerdict;
}

/**
 * Restores a backup into an empty catalogue (`db`, not yet migrated, at `databaseUrl`) and a blob
 * store: every blob first (checked against its hash), then the catalogue rows that name them,
 * then the trail is verified. Refuses before changing anything when a blob the snapshot names is
 * not in the backup.
 */
export async function restore(
  target: { db: Kysely<unknown>; databaseUrl: string; blobs: BlobStore },
  dir: string,
  progress: Progress = () => {},
): Promise<RestoreReport> {
  const manifest = await readManifest(path.join(dir, CATALOGUE));
  const absent: string[] = [];
  for (const blob of manifest.blobs) {
    if (!(await hasSize(backupBlobPath(dir, blob.sha256), blob.sizeBytes))) absent.push(blob.sha256);
  }
  if (absent.length > 0) {
    throw new AssetflowError(
      ErrorCodes.BACKUP_INVALID,
      `${dir} lacks ${absent.length} blob(s) its catalogue names (first: ${absent[0]}); nothing was restored.`,
      400,
      { absent: absent.slice(0, 20) },
    );
  }
  let blobsCopied = 0;
  let blobsAlreadyThere = 0;
  let done = 0;
  for (const blob of manifest.blobs) {
    progress(done++, manifest.blobs.length);
    if (await target.blobs.locate(blob.sha256, blob.tier)) {
      blobsAlreadyThere += 1;
      continue;
    }
    await restoreBlob(target.blobs, backupBlobPath(dir, blob.sha256), blob);
    blobsCopied += 1;
  }
  progress(done, manifest.blobs.length);
  await loadSnapshot(target.db, target.databaseUrl, path.join(dir, CATALOGUE));
  const trail = await new AuditRepository(target.db as unknown as CatalogueDb).verify();
  return { manifest, blobsCopied, blobsAlreadyThere, trail };
}

export function backupBlobPath(dir: string, sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a sha256 hex digest: ${sha256}`);
  return path.join(dir, 'blobs', sha256.slice(0, 2), sha256.slice(2, 4), sha256);
}

async function restoreBlob(blobs: BlobStore, from: string, blob: LiveBlob) {
  const pending = await blobs.write(createReadStream(from));
  if (pending.sha256 !== blob.sha256) {
    await pending.discard();
    throw new AssetflowError(
      ErrorCodes.BACKUP_INVALID,
      `The backup's copy of blob ${blob.sha256} is damaged (its bytes hash to ${pending.sha256}); nothing more was restored.`,
      400,
    );
  }
  await pending.commit();
  await pending.discard();
  const tier: BlobTier = blob.tier;
  if (tier === 'cold') await blobs.moveTier(blob.sha256, 'hot', 'cold');
}

/** Copies `from` to `to` through a temporary file, hashing on the way; false (nothing written) on a mismatch. */
async function copyVerified(from: Readable, to: string, sha256: string): Promise<boolean> {
  await mkdir(path.dirname(to), { recursive: true });
  const partial = `${to}.${randomBytes(4).toString('hex')}.partial`;
  const hash = createHash('sha256');
  try {
    await pipeline(
      from,
      async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          hash.update(chunk);
          yield chunk;
        }
      },
      createWriteStream(partial, { flags: 'wx' }),
    );
    if (hash.digest('hex') !== sha256) return false;
    await syncPath(partial);
    await rename(partial, to);
    await syncPath(path.dirname(to));
    return true;
  } finally {
    await rm(partial, { force: true });
  }
}

/** Swaps the finished snapshot in for the previous one (kept until the new one is in place). */
async function replaceCatalogue(dir: string, partial: string) {
  const current = path.join(dir, CATALOGUE);
  const previous = path.join(dir, `${CATALOGUE}.previous`);
  await rm(previous, { recursive: true, force: true });
  if (existsSync(current)) await rename(current, previous);
  await rename(partial, current);
  await syncPath(dir);
  await rm(previous, { recursive: true, force: true });
}

async function hasSize(file: string, size: number): Promise<boolean> {
  return stat(file).then(
    (s) => s.size === size,
    () => false,
  );
}
