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
/**
 * The Node flags of `npm run worker` (what comes between `node` and the entry point) as the shell
 * expands them with ASSETFLOW_WORKER_HEAP_MIB unset.
 */
const workerFlags = (() => {
  const words = workerScript.replace(/\$\{ASSETFLOW_WORKER_HEAP_MIB:-(\d+)\}/, '$1').split(/\s+/);
  return words.slice(words.indexOf('node') + 1, words.indexOf('bin/assetflow.ts'));
})();

function runWith(flags: string[], code: string): string {
  return execFileSync(process.execPath, [...flags, '-e', code], { cwd: ROOT, encoding: 'utf8' });
}

describe('the worker heap limit', () => {
  it('is the one `npm run worker` starts the worker with', () => {
    expect(workerScript).toMatch(/^node .*bin\/assetflow\.ts worker$/);
    expect(workerScript).toContain(`--max-old-space-size=\${ASSETFLOW_WORKER_HEAP_MIB:-${WORKER_HEAP_MIB}}`);
  });

  it('is advised to a worker started without it, and not to one started with it', () => {
    const advice = "process.stdout.write(String(require('./runtime/worker-heap.ts').workerHeapAdvice()))";
    expect(runWith(workerFlags, advice)).toBe('undefined');
    expect(runWith(['--max-old-space-size=4096', '--import', 'tsx'], advice)).toMatch(
      new RegExp(`heap may grow to \\d+ MiB .*--max-old-space-size=${WORKER_HEAP_MIB}`),
    );
    // An operator who asked for a larger heap through the variable is not told to shrink it.
    const larger = execFileSync(
      process.execPath,
      ['--max-old-space-size=2048', '--import', 'tsx', '-e', advice],
      {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, ASSETFLOW_WORKER_HEAP_MIB: '2048' },
      },
    );
    expect(larger).toBe('undefined');
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
