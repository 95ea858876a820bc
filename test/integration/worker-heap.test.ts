import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { WORKER_HEAP_MIB } from '../../runtime/worker-heap';

/**
 * `npm run worker` starts the worker with a heap limit (runtime/worker-heap.ts). These run real
 * Node processes started the way that script starts the worker.
 */
const ROOT = path.join(__dirname, '..', '..');
const workerScript: string = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts.worker;
/** The Node flags of `npm run worker`: what comes between `node` and the entry point. */
const workerFlags = (() => {
  const words = workerScript.split(/\s+/);
  return words.slice(words.indexOf('node') + 1, words.indexOf('bin/assetflow.ts'));
})();

function runWith(flags: string[], code: string): string {
  return execFileSync(process.execPath, [...flags, '-e', code], { cwd: ROOT, encoding: 'utf8' });
}

describe('the worker heap limit', () => {
  it('is the one `npm run worker` starts the worker with', () => {
    expect(workerScript).toMatch(/^node .*bin\/assetflow\.ts worker$/);
    expect(workerFlags).toContain(`--max-old-space-size=${WORKER_HEAP_MIB}`);
  });

  it('is advised to a worker started without it, and not to one started with it', () => {
    const advice = "process.stdout.write(String(require('./runtime/worker-heap.ts').workerHeapAdvice()))";
    expect(runWith(workerFlags, advice)).toBe('undefined');
    expect(runWith(['--max-old-space-size=4096', '--import', 'tsx'], advice)).toMatch(
      new RegExp(`heap may grow to \\d+ MiB .*--max-old-space-size=${WORKER_HEAP_MIB}`),
    );
  });

  it('lets the model thread start and run both models in a worker started that way', () => {
    // Node refuses a worker thread whose execArgv names a heap limit; the pool must not pass it on.
    const out = runWith(
      workerFlags,
      `(async () => {
        const { ModelPool } = require('./tagging/model-pool.ts');
        const models = new ModelPool();
        const photo = 'test/fixtures/photos/astronaut.jpg';
        const objects = await models.detectObjects(photo, 1e8);
        const lines = await models.recogniseText(photo, 1e8);
        await models.close();
        process.stdout.write(JSON.stringify({ objects: objects.map((o) => o.label), lines: Array.isArray(lines) }));
      })().catch((error) => { process.stderr.write(String(error)); process.exit(1); });`,
    );
    expect(JSON.parse(out)).toEqual({ objects: expect.arrayContaining(['person']), lines: true });
  }, 120_000);
});
