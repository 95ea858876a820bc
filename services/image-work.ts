import { AssetflowError, ErrorCodes } from '../domain/errors';
import { BoundedConcurrency } from './bounded-concurrency';

/**
 * Whole-image work done while a person waits — marking an original for one recipient, comparing
 * two versions pixel by pixel — decodes full images (up to limits.maxImagePixels each, hundreds
 * of MB). At most this many run at once in the process, a few more wait, the rest are told to
 * come back (security review L9): a burst of downloads cannot take the server's memory.
 */
const CONCURRENT = 2;
const MAX_WAITING = 16;

export const imageWork = new BoundedConcurrency(
  CONCURRENT,
  MAX_WAITING,
  () =>
    new AssetflowError(
      ErrorCodes.SERVER_BUSY,
      'Too many large images are being prepared at once; try again in a few seconds.',
      503,
      { retryAfterSeconds: 5 },
    ),
);
