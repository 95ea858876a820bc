import { type RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { tooManyAttempts } from '../domain/errors';

/** Counts one attempt for `key`, or throws 429 naming `what` with when to try again. */
export async function consumeOr429(limiter: RateLimiterMemory, key: string, what: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (error) {
    if (error instanceof RateLimiterRes) throw tooManyAttempts(what, error.msBeforeNext);
    throw error;
  }
}
