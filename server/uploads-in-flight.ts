import { AssetflowError, ErrorCodes } from '../domain/errors';

/** Uploads one person may stream at once: the rest wait for none, they are refused (429). */
export const MAX_UPLOADS_IN_FLIGHT_PER_USER = 4;

/**
 * Counts the uploads each person is streaming to disk right now. Without a cap, one signed-in
 * user opening many large uploads at once fills the disk and the descriptors of everyone's
 * installation before any of them is checked.
 */
export class UploadsInFlight {
  private readonly running = new Map<string, number>();

  constructor(private readonly perUser: number) {}

  async run<T>(who: string, work: () => Promise<T>): Promise<T> {
    const now = this.running.get(who) ?? 0;
    if (now >= this.perUser)
      throw new AssetflowError(
        ErrorCodes.TOO_MANY_UPLOADS,
        `You are already uploading ${now} times at once; wait for one to finish.`,
        429,
        { maxUploadsInFlight: this.perUser },
      );
    this.running.set(who, now + 1);
    try {
      return await work();
    } finally {
      const left = (this.running.get(who) ?? 1) - 1;
      if (left === 0) this.running.delete(who);
      else this.running.set(who, left);
    }
  }
}
