/**
 * Model throughput: object detection + OCR per model thread and per worker process, and what a
 * second worker process on the same machine adds.
 *
 *   npm run bench -- models [imagesPerProcess=10]
 *
 * Each worker process runs its models in one model thread (tagging/model-pool.ts), one image at a
 * time. The bench starts 1, then 2 processes (`bench/models-process.ts`), lets each load its
 * models on a warm-up image, starts them together and times them until the last one finishes;
 * every process gets `imagesPerProcess` 2-MP photographs of its own. Neither runtime is given a
 * batch: Human's `detect` takes one frame and the OCR library one image.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WORKER_HEAP_MIB } from '../runtime/worker-heap';
import { makePhotoJpeg } from './bench-photos';

const PER_PROCESS = Number(process.argv[2] ?? 10);

interface Result {
  images: number;
  ms: number;
  objectsMs: number;
  textMs: number;
}

/** Starts `count` processes on their own images; resolves when all have finished. */
async function runProcesses(count: number, dir: string) {
  const children: ChildProcess[] = [];
  const ready: Promise<unknown>[] = [];
  const done: Promise<Result>[] = [];
  for (let p = 0; p < count; p++) {
    const files: string[] = [];
    for (let i = 0; i <= PER_PROCESS; i++) {
      const file = path.join(dir, `p${count}-${p}-${i}.jpg`);
      // Process p gets the same pictures in every run: the runs differ only in how many work at once.
      writeFileSync(file, await makePhotoJpeg(p * (PER_PROCESS + 1) + i));
      files.push(file);
    }
    // Started as `npm run worker` starts a worker: with its heap limit.
    const child = fork(path.join(__dirname, 'models-process.ts'), files, {
      execArgv: [`--max-old-space-size=${WORKER_HEAP_MIB}`, '--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code) => code !== 0 && reject(new Error(`a model process exited (${code})`))),
    );
    // The result is asked for as soon as the child is ready, before it is told to go.
    const next = () => Promise.race([once(child, 'message').then(([message]) => message), exited]);
    const warmedUp = next();
    children.push(child);
    ready.push(warmedUp);
    done.push(warmedUp.then(() => next() as Promise<Result>));
  }
  await Promise.all(ready);
  const started = performance.now();
  for (const child of children) child.send('go');
  const results = await Promise.all(done);
  const wallMs = performance.now() - started;
  await Promise.all(
    children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))),
  );
  return { wallMs, results };
}

async function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'assetflow-models-'));
  process.stderr.write(`${PER_PROCESS} images per process; loading the models in each process first…\n`);
  const one = await runProcesses(1, dir);
  const two = await runProcesses(2, dir);
  const rate = (run: typeof one) => (run.results.reduce((n, r) => n + r.images, 0) * 1000) / run.wallMs;
  const perImage = (run: typeof one, key: 'objectsMs' | 'textMs') =>
    run.results.reduce((n, r) => n + r[key], 0) / run.results.reduce((n, r) => n + r.images, 0);
  console.log(`\nObject detection + OCR on 2-MP photographs, ${os.cpus().length} cores\n`);
  console.log(
    '| worker processes (one model thread each) | images | wall time | images/s, all | images/s per process | object detection per image | OCR per image | vs 1 process |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const [count, run] of [
    [1, one],
    [2, two],
  ] as const) {
    console.log(
      `| ${count} | ${count * PER_PROCESS} | ${(run.wallMs / 1000).toFixed(1)} s | ${rate(run).toFixed(2)} | ${(rate(run) / count).toFixed(2)} | ${perImage(run, 'objectsMs').toFixed(0)} ms | ${perImage(run, 'textMs').toFixed(0)} ms | ${(rate(run) / rate(one)).toFixed(2)}× |`,
    );
  }
  rmSync(dir, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
