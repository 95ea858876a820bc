import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import type { Harness } from './harness';
import { testTemporalAddress, testWorkflowBundle } from './test-env';
import type { WorkerProcessSettings } from './worker-process';

/** An Assetflow worker in its own process (test/support/worker-process.ts), to be killed with SIGKILL. */
export function spawnWorkerProcess(settings: WorkerProcessSettings): ChildProcess {
  const script = path.join(__dirname, '..', 'support', 'worker-process.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify(settings)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return child;
}

/** Resolves once the worker process prints `line` (READY, HELD <activity>). */
export function waitForLine(child: ChildProcess, line: string, timeoutMs = 60_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`worker process never printed "${line}"`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.split('\n').includes(line)) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`worker process exited (${code}) before "${line}"`)));
  });
}

/**
 * A worker process on the harness's task queue, catalogue and blob store, as a second machine
 * would run; with `holdAfter`, that activity does its work and then never reports (see worker-process.ts).
 */
export function spawnHarnessWorker(harness: Harness, holdAfter?: string): ChildProcess {
  return spawnWorkerProcess({
    temporalAddress: testTemporalAddress(),
    taskQueue: harness.config.temporal.taskQueue,
    databaseUrl: harness.databaseUrl,
    blobs: harness.config.blobs,
    workflowBundle: testWorkflowBundle().codePath,
    maxImagePixels: harness.config.limits.maxImagePixels,
    ...(holdAfter ? { holdAfter } : {}),
  });
}
