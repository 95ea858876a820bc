import { hash, verify } from '@node-rs/argon2';
import { AssetflowError, ErrorCodes } from '../domain/errors';

/**
 * At most this many argon2 computations at once, process-wide. Each takes one thread of libuv's
 * pool (4 by default) for ≈ 20–40 ms and 19 MiB; unbounded, a flood of sign-ins would hold every
 * thread and stall sharp, file reads and blob writes (security review M1).
 */
const CONCURRENT_HASHES = 2;
/** Waiting computations beyond this are refused at once (503) rather than queued without end. */
const MAX_WAITING = 64;
const RETRY_AFTER_SECONDS = 1;

/** A counting semaphore with a bounded queue: `run` refuses (503) when the queue is full. */
export class BoundedConcurrency {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  /** The most that ever ran at once: for tests and measurements. */
  peak = 0;

  constructor(
    private readonly limit: number,
    private readonly maxWaiting: number,
  ) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) {
      if (this.waiting.length >= this.maxWaiting) throw busy();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    this.peak = Math.max(this.peak, this.running);
    try {
      return await work();
    } finally {
      // Hand the slot straight to the next waiter (running stays the same), or free it.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}

function busy(): AssetflowError {
  return new AssetflowError(
    ErrorCodes.SERVER_BUSY,
    `Too many sign-ins and password checks at once; try again in ${RETRY_AFTER_SECONDS} s.`,
    503,
    { retryAfterSeconds: RETRY_AFTER_SECONDS },
  );
}

/** Every password hash and check of the process (users and share links) goes through this. */
export const passwordWork = new BoundedConcurrency(CONCURRENT_HASHES, MAX_WAITING);

/** argon2id at the library's defaults (19 MiB, 2 passes: OWASP's minimum profile). */
export function hashPassword(password: string): Promise<string> {
  return passwordWork.run(() => hash(password));
}

export function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return passwordWork.run(() => verify(passwordHash, password));
}
