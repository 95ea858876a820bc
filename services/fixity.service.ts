import { readFile, rm, writeFile } from 'node:fs/promises';
import type { BlobStore } from '../blobstore/blob-store';
import type { BlobRepository } from '../catalogue/blob.repository';

/**
 * The fixity check (`assetflow fsck`): every blob a live asset uses is read back and re-hashed,
 * and what is missing or does not match its name is reported. Nothing in the store or the
 * catalogue changes. A check of a large store is resumable: after each page the position is
 * saved in `checkpointFile`, and a new run goes on from there (until the check completes, when
 * the checkpoint is removed).
 */

export interface FixityReport {
  checked: number;
  total: number;
  bytes: number;
  missing: string[];
  corrupt: Array<{ sha256: string; actual: string }>;
  /** The sha256 the run went on after, when it resumed an interrupted check. */
  resumedAfter: string | undefined;
}

interface Checkpoint {
  after: string;
  checked: number;
  bytes: number;
  missing: string[];
  corrupt: Array<{ sha256: string; actual: string }>;
}

const PAGE = 200;

export async function checkFixity(
  deps: { blobs: BlobStore; records: BlobRepository },
  checkpointFile: string,
  options: {
    restart?: boolean | undefined;
    progress?: (checked: number, total: number, bytes: number) => void;
    /** Blobs read per catalogue query and per checkpoint. */
    pageSize?: number;
  } = {},
): Promise<FixityReport> {
  if (options.restart) await rm(checkpointFile, { force: true });
  const saved = await readCheckpoint(checkpointFile);
  const state: Checkpoint = saved ?? { after: '', checked: 0, bytes: 0, missing: [], corrupt: [] };
  const { blobs: total } = await deps.records.countLive();
  for (;;) {
    const page = await deps.records.liveBlobs(state.after, options.pageSize ?? PAGE);
    if (page.length === 0) break;
    for (const blob of page) {
      // A page is checkpointed once wholly checked: an interrupted page is checked again.
      const tier = await deps.blobs.locate(blob.sha256, blob.tier);
      if (!tier) {
        state.missing.push(blob.sha256);
      } else {
        const actual = await deps.blobs.rehash(blob.sha256, tier);
        if (actual !== blob.sha256) state.corrupt.push({ sha256: blob.sha256, actual });
        state.bytes += blob.sizeBytes;
      }
      state.checked += 1;
      state.after = blob.sha256;
      options.progress?.(state.checked, total, state.bytes);
    }
    await writeFile(checkpointFile, JSON.stringify(state));
  }
  await rm(checkpointFile, { force: true });
  return {
    checked: state.checked,
    total,
    bytes: state.bytes,
    missing: state.missing,
    corrupt: state.corrupt,
    resumedAfter: saved?.after,
  };
}

async function readCheckpoint(file: string): Promise<Checkpoint | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Checkpoint;
  } catch {
    return undefined;
  }
}
