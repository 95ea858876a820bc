import { createHash } from 'node:crypto';
import { canonicalJson } from '../domain/canonical-json';

/** What the distribution trail records. Names are stored: never rename, only add. */
export const AuditActions = [
  'share.created',
  'share.revoked',
  'share.viewed',
  'share.refused',
  'download',
  'viewed',
  'export',
  'download.requested',
  'approval.decided',
] as const;
export type AuditAction = (typeof AuditActions)[number];

/** One event as the caller describes it. */
export interface AuditEventInput {
  /** The user's e-mail, or `link:<share id>` for a visitor who is not signed in. */
  actor: string;
  action: AuditAction;
  assetId?: string | null;
  version?: number | null;
  rendition?: string | null;
  shareId?: string | null;
  /** The client's address as the server saw it. */
  address?: string | null;
  details?: Record<string, unknown>;
}

/** An event as stored: numbered, timed and chained to the one before. */
export interface AuditEvent extends Required<AuditEventInput> {
  seq: number;
  at: string;
  prevHash: string;
  hash: string;
}

/** The `prevHash` of the first event. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * sha256 over the previous hash and the event's content in canonical JSON (sorted keys), so
 * changing any field of any event, removing one or reordering them changes every later hash.
 */
export function auditHash(prevHash: string, event: Omit<AuditEvent, 'prevHash' | 'hash'>): string {
  const content = canonicalJson({
    seq: event.seq,
    at: event.at,
    actor: event.actor,
    action: event.action,
    assetId: event.assetId,
    version: event.version,
    rendition: event.rendition,
    shareId: event.shareId,
    address: event.address,
    details: event.details,
  });
  return createHash('sha256').update(`${prevHash}\n${content}`).digest('hex');
}
