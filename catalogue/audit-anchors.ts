import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdir, open, readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Signed anchors of the trail's head, kept in a JSON Lines file outside the database.
 *
 * The hash chain in `audit_events` shows an edited or removed event in the middle, but not events
 * cut off the end, nor a chain whose every hash was recomputed by someone who can write to the
 * database. An anchor records (seq, hash) of the head at a moment, with an HMAC-SHA256 under a
 * key the database never holds; `audit verify` then requires every anchored event to still be
 * there with the anchored hash. Each anchor's MAC also covers the previous anchor's MAC, so a
 * line removed from the middle of the file, or lines reordered, show too.
 */
export interface AuditAnchor {
  seq: number;
  hash: string;
  /** When the anchor was written. */
  at: string;
  /** The previous anchor's MAC; 64 zeros for the first. */
  prevMac: string;
  mac: string;
}

const FIRST_PREV_MAC = '0'.repeat(64);

/** What the MAC covers; versioned so the format can change without ambiguity. */
function anchorMac(key: Buffer, anchor: Omit<AuditAnchor, 'mac'>): string {
  return createHmac('sha256', key)
    .update(`assetflow-audit-anchor-v1\n${anchor.seq}\n${anchor.hash}\n${anchor.at}\n${anchor.prevMac}`)
    .digest('hex');
}

/** One line of the file: the anchor, or why it is not one. */
type AnchorLine = { line: number; anchor: AuditAnchor } | { line: number; unreadable: string };

/** Every line of the anchor file; null when the file does not exist. */
export async function readAnchorLines(file: string): Promise<AnchorLine[] | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const lines: AnchorLine[] = [];
  for (const [i, raw] of text.split('\n').entries()) {
    if (raw.trim() === '') continue;
    lines.push(parseLine(i + 1, raw));
  }
  return lines;
}

function parseLine(line: number, raw: string): AnchorLine {
  let value: Partial<AuditAnchor>;
  try {
    value = JSON.parse(raw) as Partial<AuditAnchor>;
  } catch {
    return { line, unreadable: 'not JSON' };
  }
  const hex64 = (v: unknown) => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v);
  if (
    !Number.isSafeInteger(value.seq) ||
    (value.seq as number) < 1 ||
    !hex64(value.hash) ||
    typeof value.at !== 'string' ||
    !hex64(value.prevMac) ||
    !hex64(value.mac)
  ) {
    return { line, unreadable: 'not an anchor (seq, hash, at, prevMac, mac)' };
  }
  return { line, anchor: value as AuditAnchor };
}

interface AnchorCheck {
  /** The anchors whose signature verifies, in file order. */
  valid: AuditAnchor[];
  /** Lines that are unreadable, unsigned by this key, out of order or cut from their predecessor. */
  problems: string[];
}

/** Checks every line's MAC with `key`, the MAC chain between lines, and that `seq` only grows. */
export function checkAnchors(lines: AnchorLine[], key: Buffer): AnchorCheck {
  const valid: AuditAnchor[] = [];
  const problems: string[] = [];
  let prevMac = FIRST_PREV_MAC;
  let prevSeq = 0;
  for (const entry of lines) {
    if ('unreadable' in entry) {
      problems.push(`anchor line ${entry.line} is ${entry.unreadable}`);
      continue;
    }
    const { anchor } = entry;
    const { mac, ...signed } = anchor;
    if (!sameHex(anchorMac(key, signed), mac)) {
      problems.push(
        `anchor line ${entry.line} (event ${anchor.seq}) is not signed with this key (forged, or another key)`,
      );
      continue;
    }
    if (anchor.prevMac !== prevMac)
      problems.push(
        `anchor line ${entry.line} does not follow the line before it (a line was removed or moved)`,
      );
    if (anchor.seq <= prevSeq)
      problems.push(
        `anchor line ${entry.line} names event ${anchor.seq}, not after the previous anchor's ${prevSeq}`,
      );
    valid.push(anchor);
    prevMac = mac;
    prevSeq = anchor.seq;
  }
  return { valid, problems };
}

function sameHex(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/** The last anchor of the file (unchecked), or null when there is none. Reads only the file's end. */
export async function lastAnchor(file: string): Promise<AnchorLine | null> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const lines = buffer
      .toString('utf8')
      .split('\n')
      .filter((l) => l.trim() !== '');
    const last = lines.at(-1);
    return last === undefined ? null : parseLine(0, last);
  } finally {
    await handle.close();
  }
}

/** An anchor line is about 330 bytes; the end of the file holds the last one whole. */
const TAIL_BYTES = 4096;

/** Signs the head and appends it after `previous` (null for the first), on disk before returning. */
export async function appendAnchor(
  file: string,
  key: Buffer,
  head: { seq: number; hash: string },
  previous: AuditAnchor | null,
  at = new Date(),
): Promise<AuditAnchor> {
  const signed = {
    seq: head.seq,
    hash: head.hash,
    at: at.toISOString(),
    prevMac: previous?.mac ?? FIRST_PREV_MAC,
  };
  const anchor: AuditAnchor = { ...signed, mac: anchorMac(key, signed) };
  await mkdir(path.dirname(file), { recursive: true });
  // O_APPEND: a line is added, never written over; the file is never rewritten.
  const handle = await open(file, 'a', 0o644);
  try {
    await handle.write(`${JSON.stringify(anchor)}\n`);
    await handle.datasync();
  } finally {
    await handle.close();
  }
  return anchor;
}
