import type { AuditRepository, ChainVerdict } from '../catalogue/audit.repository';
import {
  type AuditAnchor,
  appendAnchor,
  checkAnchors,
  lastAnchor,
  readAnchorLines,
} from '../catalogue/audit-anchors';

export type AnchorOutcome =
  | { kind: 'written'; anchor: AuditAnchor }
  /** The head has not moved since the last anchor. */
  | { kind: 'unchanged'; seq: number }
  | { kind: 'empty' }
  /** The trail no longer holds what the last anchor signed: no anchor is written over that. */
  | { kind: 'refused'; reason: string };

/**
 * The verdict of `audit verify`: `intact` (chain and anchors agree), `tampered` (the chain is
 * broken, an anchor is forged, or anchored events are gone or different), or `unverified` (the
 * chain is sound but there is no key or no anchor to hold it against).
 */
export interface TrailVerdict {
  verdict: 'intact' | 'tampered' | 'unverified';
  chain: ChainVerdict;
  /** Valid anchors read; the last of them. */
  anchors: number;
  lastAnchor: AuditAnchor | null;
  /** Everything found wrong, in words, first the worst. */
  problems: string[];
  /** Why the verdict is `unverified`, in words. */
  unverifiedBecause?: string;
}

/** Anchors the trail's head to a file outside the database, and checks the trail against it. */
export class AuditAnchoring {
  constructor(
    private readonly deps: {
      audit: AuditRepository;
      /** The JSON Lines file of signed heads. */
      file: string;
      key: Buffer;
    },
  ) {}

  /**
   * Signs and appends the current head when it moved since the last anchor. Refuses when the
   * trail is shorter than the last anchor or its anchored event changed: signing such a head
   * would make the loss look like the normal state.
   */
  async anchor(at = new Date()): Promise<AnchorOutcome> {
    const { audit, file, key } = this.deps;
    return audit.withAnchorLock(async () => {
      const last = await lastAnchor(file);
      if (last && 'unreadable' in last) {
        return { kind: 'refused', reason: `the last line of ${file} is ${last.unreadable}` } as const;
      }
      const previous = last?.anchor ?? null;
      const head = await audit.head();
      if (previous) {
        const stored = await audit.hashAt(previous.seq);
        if (stored === null)
          return {
            kind: 'refused',
            reason: `the trail ends at event ${head?.seq ?? 0} but event ${previous.seq} was anchored at ${previous.at}`,
          } as const;
        if (stored !== previous.hash)
          return {
            kind: 'refused',
            reason: `event ${previous.seq} no longer has the hash anchored at ${previous.at}`,
          } as const;
        if (head && head.seq === previous.seq) return { kind: 'unchanged', seq: head.seq } as const;
      }
      if (!head) return { kind: 'empty' } as const;
      return { kind: 'written', anchor: await appendAnchor(file, key, head, previous, at) } as const;
    });
  }
}

/**
 * Checks the whole trail: the chain from the first event, every anchor's signature and order,
 * every anchored event still present with its anchored hash. Without a key (`null`) only the
 * chain is checked, and an intact chain is `unverified`.
 */
export async function verifyTrail(
  audit: AuditRepository,
  file: string,
  key: Buffer | null,
): Promise<TrailVerdict> {
  const lines = key ? await readAnchorLines(file) : null;
  const checked = key && lines ? checkAnchors(lines, key) : { valid: [], problems: [] };
  const anchored = new Map(checked.valid.map((a) => [a.seq, a.hash]));
  const chain = await audit.verify({ anchored });
  const problems: string[] = [];
  if (!chain.intact) problems.push(`event ${chain.firstBroken.seq}: ${chain.firstBroken.reason}`);
  const last = checked.valid.at(-1) ?? null;
  // A broken chain stops the walk early; only an intact one says where the trail really ends.
  if (chain.intact && last && last.seq > chain.events)
    problems.push(
      `the trail ends at event ${chain.events} but event ${last.seq} was anchored at ${last.at}: events were removed`,
    );
  problems.push(...checked.problems);
  const result = { chain, anchors: checked.valid.length, lastAnchor: last, problems };
  if (problems.length > 0) return { verdict: 'tampered', ...result };
  if (!key)
    return {
      verdict: 'unverified',
      ...result,
      unverifiedBecause:
        'there is no anchor key (ASSETFLOW_AUDIT_KEY or audit.keyFile), so the anchors were not checked',
    };
  if (chain.events > 0 && !last)
    return {
      verdict: 'unverified',
      ...result,
      unverifiedBecause: `${file} holds no anchor`,
    };
  return { verdict: 'intact', ...result };
}
