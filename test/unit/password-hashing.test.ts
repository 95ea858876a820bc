import { BoundedConcurrency, passwordsBusy } from '../../services/password-hashing';

/** The cap on argon2 work (security review M1): how many run, how many wait, who is refused. */
describe('bounded concurrency for password hashing', () => {
  it('runs at most the limit at once, queues up to the bound in order, and refuses beyond it with 503', async () => {
    const bound = new BoundedConcurrency(2, 3, passwordsBusy);
    let running = 0;
    const started: number[] = [];
    const releases: Array<() => void> = [];
    const task = (n: number) => () =>
      new Promise<number>((resolve) => {
        running++;
        started.push(n);
        releases.push(() => {
          running--;
          resolve(n);
        });
      });
    const results = Array.from({ length: 6 }, (_, n) =>
      bound.run(task(n)).catch((error: { status: number; code: string }) => `${error.status} ${error.code}`),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1]);
    expect(await results[5]).toBe('503 SERVER_BUSY');
    // Each finished task hands its slot to the next waiter, first come first served; a task
    // arriving meanwhile waits behind them.
    releases.shift()!();
    await new Promise((resolve) => setImmediate(resolve));
    results.push(bound.run(task(6)));
    await new Promise((resolve) => setImmediate(resolve));
    expect(running).toBe(2);
    while (releases.length > 0) {
      releases.shift()!();
      await new Promise((resolve) => setImmediate(resolve));
      expect(running).toBeLessThanOrEqual(2);
    }
    expect(await Promise.all([...results.slice(0, 5), results[6]])).toEqual([0, 1, 2, 3, 4, 6]);
    expect(started).toEqual([0, 1, 2, 3, 4, 6]);
    expect(bound.peak).toBe(2);
    // Free again: a new task starts at once.
    const again = bound.run(async () => 'ran');
    expect(await again).toBe('ran');
  });
});
