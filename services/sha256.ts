import { createHash } from 'node:crypto';

/** sha256 of a secret as hex: how tokens (API tokens, share links) are stored and looked up. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
