import path from 'node:path';
import { Piscina } from 'piscina';
import type { ModelTask } from './models/model-thread';
import type { Detection } from './models/object-detector';
import type { TextLine } from './models/text-recogniser';

const HEAP_FLAGS = /^--(max|min)-(old|semi)-space-size(=|$)/;

/**
 * One worker thread that holds the offline models (object detection, OCR). Their WebAssembly
 * code computes synchronously on the calling thread — measured: OCR of one image left the event
 * loop 5 turns in 3 s — which on the main thread would stall HTTP requests and the worker's
 * activity heartbeats. Tasks queue for the one thread; a second would double the models' memory
 * on a 2-core machine for little gain.
 */
export class ModelPool {
  private readonly pool: Piscina;

  constructor() {
    const filename = path.join(__dirname, 'models', 'model-thread.ts');
    // The thread loads TypeScript through tsx, as the main process does (and as Jest's does not).
    // Heap limits are the process's (`npm run worker` sets one) and the thread inherits them; Node
    // refuses to start a thread whose execArgv names them (ERR_WORKER_INVALID_EXEC_ARGV).
    const inherited = process.execArgv.filter((a) => !HEAP_FLAGS.test(a));
    const execArgv = inherited.some((a) => a.includes('tsx')) ? inherited : [...inherited, '--import', 'tsx'];
    this.pool = new Piscina({ filename, minThreads: 0, maxThreads: 1, idleTimeout: 5 * 60_000, execArgv });
  }

  detectObjects(file: string, maxPixels: number): Promise<Detection[]> {
    return this.pool.run({ kind: 'objects', file, maxPixels } satisfies ModelTask);
  }

  recogniseText(file: string, maxPixels: number): Promise<TextLine[]> {
    return this.pool.run({ kind: 'text', file, maxPixels } satisfies ModelTask);
  }

  close(): Promise<void> {
    return this.pool.destroy();
  }
}
