/** A counting semaphore with a bounded queue: `run` refuses (the `busy` error) when the queue is full. */
export class BoundedConcurrency {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  /** The most that ever ran at once: for tests and measurements. */
  peak = 0;

  constructor(
    private readonly limit: number,
    private readonly maxWaiting: number,
    /** The error for a request that finds the queue full (a 503 the caller may retry). */
    private readonly busy: () => Error,
  ) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) {
      if (this.waiting.length >= this.maxWaiting) throw this.busy();
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
