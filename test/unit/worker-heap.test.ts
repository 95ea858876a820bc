import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { WORKER_HEAP_MIB } from '../../runtime/worker-heap';

const ROOT = path.join(__dirname, '..', '..');

/** What `workerHeapAdvice()` says in a fresh Node process started with this heap limit. */
function adviceWithHeap(mib: number): string {
  return execFileSync(
    process.execPath,
    [
      `--max-old-space-size=${mib}`,
      '--import',
      'tsx',
      '-e',
      "process.stdout.write(String(require('./runtime/worker-heap.ts').workerHeapAdvice()))",
    ],
    { cwd: ROOT, encoding: 'utf8' },
  );
}

describe('the worker heap limit', () => {
  it('is the one `npm run worker` starts the worker with', () => {
    const scripts = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts;
    expect(scripts.worker).toContain(`--max-old-space-size=${WORKER_HEAP_MIB} `);
    expect(scripts.worker).toMatch(/bin\/assetflow\.ts worker$/);
  });

  it('is advised to a worker started without it, and not to one started with it', () => {
    expect(adviceWithHeap(WORKER_HEAP_MIB)).toBe('undefined');
    expect(adviceWithHeap(4096)).toMatch(
      new RegExp(`heap may grow to \\d+ MiB .*--max-old-space-size=${WORKER_HEAP_MIB}`),
    );
  });
});
