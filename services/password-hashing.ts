import { hash, verify } from '@node-rs/argon2';
import { AssetflowError, ErrorCodes } from '../domain/errors';
import { BoundedConcurrency } from './bounded-concurrency';

export { BoundedConcurrency } from './bounded-concurrency';

/**
 * At most this many argon2 computations at once, process-wide. Each takes one thread of libuv's
 * pool (4 by default) for ≈ 20–40 ms and 19 MiB; unbounded, a flood of sign-ins would hold every
 * thread and stall sharp, file reads and blob writes (security review M1).
 */
const CONCURRENT_HASHES = 2;
/** Waiting computations beyond this are refused at once (503) rather than queued without end. */
const MAX_WAITING = 64;
const RETRY_AFTER_SECONDS = 1;

export function passwordsBusy(): AssetflowError {
  return new AssetflowError(
    ErrorCodes.SERVER_BUSY,
    `Too many sign-ins and password checks at once; try again in ${RETRY_AFTER_SECONDS} s.`,
    503,
    { retryAfterSeconds: RETRY_AFTER_SECONDS },
  );
}

/** Every password hash and check of the process (users and share links) goes through this. */
export const passwordWork = new BoundedConcurrency(CONCURRENT_HASHES, MAX_WAITING, passwordsBusy);

/** argon2id at the library's defaults (19 MiB, 2 passes: OWASP's minimum profile). */
export function hashPassword(password: string): Promise<string> {
  return passwordWork.run(() => hash(password));
}

export function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return passwordWork.run(() => verify(passwordHash, password));
}
