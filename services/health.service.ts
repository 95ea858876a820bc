export type DependencyStatus = { status: 'up'; latencyMs: number } | { status: 'down'; error: string };

export interface HealthReport {
  status: 'ok' | 'degraded';
  dependencies: { database: DependencyStatus; temporal: DependencyStatus };
}

interface Pingable {
  ping(timeoutMs?: number): Promise<void>;
}

/** Asks each dependency in parallel, each with its own deadline, and says which one is down. */
export class HealthService {
  constructor(private readonly deps: { database: Pingable; temporal: Pingable }) {}

  async check(timeoutMs = 2000): Promise<HealthReport> {
    const [database, temporal] = await Promise.all([
      probe(this.deps.database, timeoutMs),
      probe(this.deps.temporal, timeoutMs),
    ]);
    const ok = database.status === 'up' && temporal.status === 'up';
    return { status: ok ? 'ok' : 'degraded', dependencies: { database, temporal } };
  }
}

async function probe(dependency: Pingable, timeoutMs: number): Promise<DependencyStatus> {
  const started = performance.now();
  try {
    await dependency.ping(timeoutMs);
    return { status: 'up', latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { status: 'down', error: (error as Error).message };
  }
}
