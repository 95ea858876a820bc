import { readFile } from 'node:fs/promises';
import type { BlobStore } from '../blobstore/blob-store';
import type { BlobRepository } from '../catalogue/blob.repository';

export interface MigrationReport {
  /** Live blobs the catalogue names. */
  total: number;
  copied: number;
  /** Already in the target (an earlier, interrupted run; or another asset's copy). */
  alreadyThere: number;
  bytesCopied: number;
  renditionsCopied: number;
  /** Named by the catalogue but in neither tier of the source. */
  missing: string[];
  /** In the source, but its bytes do not hash to its name: not copied. */
  corrupt: string[];
}

const PAGE = 200;

/**
 * Copies every blob the catalogue names (with its renditions) from one store to another, into
 * the same tier. Each blob is streamed from the source, hashed on the way into the target's
 * temporary, and committed only when the hash is its name; the source is never changed. There is
 * no checkpoint to lose: a blob already in the target is skipped, so a run killed half-way is
 * simply run again.
 */
export async function migrateBlobs(
  deps: { from: BlobStore; to: BlobStore; records: BlobRepository },
  progress: (done: number, total: number) => void = () => {},
): Promise<MigrationReport> {
  const { blobs: total } = await deps.records.countLive();
  const report: MigrationReport = {
    total,
    copied: 0,
    alreadyThere: 0,
    bytesCopied: 0,
    renditionsCopied: 0,
    missing: [],
    corrupt: [],
  };
  let done = 0;
  for (let after = ''; ; ) {
    const page = await deps.records.liveBlobs(after, PAGE);
    if (page.length === 0) break;
    for (const blob of page) {
      progress(done++, total);
      after = blob.sha256;
      const outcome = await copyBlob(deps.from, deps.to, blob.sha256, blob.tier);
      if (outcome === 'missing') report.missing.push(blob.sha256);
      else if (outcome === 'corrupt') report.corrupt.push(blob.sha256);
      else if (outcome === 'there') report.alreadyThere += 1;
      else {
        report.copied += 1;
        report.bytesCopied += blob.sizeBytes;
      }
      if (outcome === 'copied' || outcome === 'there')
        report.renditionsCopied += await copyRenditions(deps, blob.sha256);
    }
  }
  progress(done, total);
  return report;
}

async function copyBlob(
  from: BlobStore,
  to: BlobStore,
  sha256: string,
  tier: 'hot' | 'cold',
): Promise<'copied' | 'there' | 'missing' | 'corrupt'> {
  const there = await to.locate(sha256, tier);
  // A run killed between the copy and the move to cold left it hot: moved now.
  if (there && there !== tier) await to.moveTier(sha256, there, tier);
  if (there) return 'there';
  const sourceTier = await from.locate(sha256, tier);
  if (!sourceTier) return 'missing';
  const pending = await to.write(await from.read(sha256, sourceTier));
  try {
    if (pending.sha256 !== sha256) return 'corrupt';
    await pending.commit();
  } finally {
    await pending.discard();
  }
  if (tier === 'cold') await to.moveTier(sha256, 'hot', 'cold');
  return 'copied';
}

/** Renditions are derived, but ingest's thumbnail and still are not made again on demand: copied too. */
async function copyRenditions(deps: { from: BlobStore; to: BlobStore }, sha256: string): Promise<number> {
  const wanted = await deps.from.renditionKeys(sha256);
  const present = new Set(await deps.to.renditionKeys(sha256));
  let copied = 0;
  for (const key of wanted) {
    if (present.has(key)) continue;
    const file = await deps.from.rendition(sha256, key);
    if (!file) continue;
    await deps.to.writeRendition(sha256, key, await readFile(file));
    copied += 1;
  }
  return copied;
}
