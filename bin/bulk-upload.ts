import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, openAsBlob } from 'node:fs';
import { lstat, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { MAX_UPLOADS_IN_FLIGHT_PER_USER } from '../server/uploads-in-flight';
import { CONTENT_LOOKUP_MAX } from '../services/content-lookup.service';

/**
 * `assetflow upload`: a library of files into a running Assetflow, over its HTTP API, as the
 * person whose API token it is. Every file is hashed first and the server asked which digests
 * it holds already (`POST /api/assets/lookup`), so a second run — after a crash, a kill or an
 * added folder — uploads only what is not stored yet. The server keeps nothing of an upload it
 * did not finish, so an interrupted file is simply sent again; and every upload of a run carries
 * an Idempotency-Key (the run and the file's digest), so a file whose answer was lost is not
 * stored twice when it is sent again.
 */

export interface BulkUploadOptions {
  /** Base URL of the server, e.g. `http://127.0.0.1:3000`. */
  url: string;
  /** An API token (`assetflow tokens create`, or the account page). */
  token: string;
  ruleSet?: string | undefined;
  project?: string | undefined;
  /** JSON objects, sent as the upload form's fields of the same names. */
  metadata?: string | undefined;
  dimensions?: string | undefined;
  /** Uploads in flight; the server allows a person 4. */
  concurrency: number;
  /** Aborts requests in flight (`--watch` stopping); the server keeps nothing of an unfinished upload. */
  signal?: AbortSignal | undefined;
}

export interface BulkUploadReport {
  stored: number;
  alreadyStored: number;
  /** Files with the same bytes as another file of this import (uploaded once, as that one). */
  copies: number;
  refused: Array<{ file: string; status: number; code: string; message: string }>;
}

export type Progress = (phase: 'hashing' | 'uploading', done: number, total: number) => void;

/** Tries per file when the server is busy (429 TOO_MANY_UPLOADS, 503) or the connection drops. */
const ATTEMPTS = 5;

/** The files under the given paths, depth first in name order; hidden files and symbolic links skipped. */
export async function filesUnder(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  const visit = async (entry: string) => {
    const stat = await lstat(entry);
    if (stat.isFile()) files.push(entry);
    else if (stat.isDirectory()) {
      const names = (await readdir(entry)).filter((name) => !name.startsWith('.')).sort();
      for (const name of names) await visit(path.join(entry, name));
    }
  };
  for (const p of paths) await visit(path.resolve(p));
  return files;
}

export async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

export async function bulkUpload(
  files: string[],
  options: BulkUploadOptions,
  progress: Progress = () => {},
): Promise<BulkUploadReport> {
  const api = apiClient(options);
  const report: BulkUploadReport = { stored: 0, alreadyStored: 0, copies: 0, refused: [] };
  // A file that vanished or cannot be read since it was listed is reported; the rest go on.
  const readable: string[] = [];
  const digests: string[] = [];
  for (const [i, file] of files.entries()) {
    try {
      digests.push(await sha256Of(file));
      readable.push(file);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      report.refused.push({ file, status: 0, code: 'UNREADABLE', message });
    }
    progress('hashing', i + 1, files.length);
  }
  files = readable;
  const digestOf = new Map(files.map((file, i) => [file, digests[i]!]));
  const stored = new Set<string>();
  const unique = [...new Set(digests)];
  for (let i = 0; i < unique.length; i += CONTENT_LOOKUP_MAX) {
    const res = await api.post('/api/assets/lookup', { sha256: unique.slice(i, i + CONTENT_LOOKUP_MAX) });
    const body = (await res.json()) as { found?: Array<{ sha256: string }>; error?: { message: string } };
    if (!res.ok)
      throw new Error(`The server refused the lookup (${res.status}): ${body.error?.message ?? ''}`);
    for (const found of body.found ?? []) stored.add(found.sha256);
  }

  // The same bytes twice in the library are uploaded once: the first copy stands for the rest.
  const queued = new Set<string>();
  const todo = files.filter((_file, i) => {
    const digest = digests[i]!;
    if (stored.has(digest)) {
      report.alreadyStored += 1;
      return false;
    }
    if (queued.has(digest)) {
      report.copies += 1;
      return false;
    }
    queued.add(digest);
    return true;
  });
  let done = 0;
  progress('uploading', 0, todo.length);
  let next = 0;
  const lane = async () => {
    while (next < todo.length) {
      const file = todo[next++]!;
      const outcome = await api.upload(file, digestOf.get(file)!);
      if (outcome.ok) report.stored += 1;
      else report.refused.push({ file, ...outcome.error });
      progress('uploading', ++done, todo.length);
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(options.concurrency, MAX_UPLOADS_IN_FLIGHT_PER_USER)) }, lane),
  );
  return report;
}

type UploadOutcome = { ok: true } | { ok: false; error: { status: number; code: string; message: string } };

function apiClient(options: BulkUploadOptions) {
  const base = options.url.replace(/\/+$/, '');
  const auth = { Authorization: `Bearer ${options.token}` };
  /** This run's part of each upload's Idempotency-Key: a file deleted since an earlier run is sent anew. */
  const run = randomBytes(8).toString('hex');
  return {
    post: (route: string, json: unknown) =>
      fetch(`${base}${route}`, {
        method: 'POST',
        headers: { ...auth, 'Content-Type': 'application/json' },
        body: JSON.stringify(json),
        ...(options.signal ? { signal: options.signal } : {}),
      }),
    async isStored(sha256: string): Promise<boolean> {
      const res = await this.post('/api/assets/lookup', { sha256: [sha256] });
      return res.ok && ((await res.json()) as { found: unknown[] }).found.length > 0;
    },
    async upload(file: string, sha256: string): Promise<UploadOutcome> {
      for (let attempt = 1; ; attempt++) {
        const form = new FormData();
        if (options.ruleSet) form.append('ruleSet', options.ruleSet);
        if (options.project) form.append('project', options.project);
        if (options.metadata) form.append('metadata', options.metadata);
        if (options.dimensions) form.append('dimensions', options.dimensions);
        form.append('file', await openAsBlob(file), path.basename(file));
        let status: number;
        let body: { error?: { code: string; message: string } };
        try {
          const res = await fetch(`${base}/api/assets`, {
            method: 'POST',
            headers: { ...auth, 'Idempotency-Key': `bulk-${run}-${sha256}` },
            body: form,
            ...(options.signal ? { signal: options.signal } : {}),
          });
          status = res.status;
          body = (await res.json().catch(() => ({}))) as typeof body;
        } catch (error) {
          if (options.signal?.aborted) throw error;
          // The connection failed or dropped. Either the server kept nothing (it keeps no part of
          // an upload it did not finish), or it stored the file and the answer was lost. The
          // same Idempotency-Key makes a resend answer that asset; asking first also spares
          // sending the bytes again (and a rule set that blocks duplicates refusing the resend).
          if (attempt < ATTEMPTS) {
            await backOff(attempt);
            if (await this.isStored(sha256).catch(() => false)) return { ok: true };
            continue;
          }
          const message = error instanceof Error ? error.message : String(error);
          return { ok: false, error: { status: 0, code: 'UNREACHABLE', message } };
        }
        if (status === 201) return { ok: true };
        // Busy, or the first of two sends of this file still making its asset: ask again.
        const retry = status === 429 || status === 503 || body.error?.code === 'IDEMPOTENCY_KEY_REUSED';
        if (retry && attempt < ATTEMPTS) {
          await backOff(attempt);
          continue;
        }
        return {
          ok: false,
          error: {
            status,
            code: body.error?.code ?? `HTTP_${status}`,
            message: body.error?.message ?? 'no reason given',
          },
        };
      }
    },
  };
}

const backOff = (attempt: number) => sleep(250 * 2 ** attempt);

/**
 * `--watch`: scans the paths every `intervalMs` and uploads files that appeared or changed since —
 * once their size and modification time held still between two scans (at the start too), so a
 * file still being copied in is not sent half-written. Files handled before are not hashed again;
 * one refused for a temporary reason (no answer, busy, a server error) is tried again next scan.
 * Runs until `signal` aborts, which also cancels uploads in flight; each scan that sent or refused
 * something is reported, and a scan that failed is reported without stopping the watch.
 */
export async function watchAndUpload(
  paths: string[],
  options: BulkUploadOptions,
  intervalMs: number,
  onScan: (report: BulkUploadReport) => void,
  signal: AbortSignal,
): Promise<void> {
  /** path → "size:mtime" it was handled at. */
  const handled = new Map<string, string>();
  /** path → "size:mtime" seen at the last scan, not yet handled. */
  let settling = new Map<string, string>();
  const versionOf = async (file: string) => {
    const s = await stat(file).catch(() => undefined);
    return s ? `${s.size}:${s.mtimeMs}` : undefined;
  };
  while (!signal.aborted) {
    try {
      const ready = new Map<string, string>();
      const seen = new Map<string, string>();
      for (const file of await filesUnder(paths)) {
        const version = await versionOf(file);
        if (!version || handled.get(file) === version) continue;
        // Sent once it held still between two scans, the first scan included (it may be mid-copy).
        if (settling.get(file) === version) ready.set(file, version);
        else seen.set(file, version);
      }
      settling = seen;
      if (ready.size > 0) {
        const report = await bulkUpload([...ready.keys()], { ...options, signal });
        // A temporary failure (unreachable, busy, the server's fault) is tried again next scan;
        // a file that changed while it was sent is seen as new. The rest is done with.
        const again = new Set(report.refused.filter((r) => temporary(r.status)).map((r) => r.file));
        for (const [file, version] of ready) if (!again.has(file)) handled.set(file, version);
        onScan(report);
      }
    } catch (error) {
      if (signal.aborted) break;
      // A scan that failed (a folder removed, the server gone mid-lookup) is reported; watching goes on.
      const message = error instanceof Error ? error.message : String(error);
      onScan({
        stored: 0,
        alreadyStored: 0,
        copies: 0,
        refused: [{ file: paths.join(', '), status: 0, code: 'SCAN_FAILED', message }],
      });
    }
    await sleep(intervalMs, undefined, { signal }).catch(() => {}); // aborted: the loop ends
  }
}

/** Failures worth trying again later: no answer, busy, or the server's own fault. */
const temporary = (status: number) => status === 0 || status === 429 || status >= 500;
