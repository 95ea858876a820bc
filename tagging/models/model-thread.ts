/**
 * The model thread's entry point (run by Piscina, see tagging/model-pool.ts). Both models compute
 * on the thread that calls them; here that is not the thread serving HTTP and heartbeats.
 */
import { detectObjects } from './object-detector';
import { recogniseText } from './text-recogniser';

export type ModelTask =
  | { kind: 'objects'; file: string; maxPixels: number }
  | { kind: 'text'; file: string; maxPixels: number };

export default function run(task: ModelTask) {
  return task.kind === 'objects'
    ? detectObjects(task.file, task.maxPixels)
    : recogniseText(task.file, task.maxPixels);
}
