/**
 * One worker process's models, for `bench/models.bench.ts`: a ModelPool (one model thread, as
 * every worker has) warmed on the first image, then, when told to go, object detection and OCR on
 * each of the other images one after another, as the enrich activities of one worker queue for
 * its model thread. Talks to the bench over IPC.
 */
import { ModelPool } from '../tagging/model-pool';

const MAX_PIXELS = 100_000_000;

async function main() {
  const [warmUp, ...files] = process.argv.slice(2);
  const models = new ModelPool();
  await models.detectObjects(warmUp!, MAX_PIXELS);
  await models.recogniseText(warmUp!, MAX_PIXELS);
  process.send!({ ready: true });
  await new Promise((resolve) => process.once('message', resolve));
  let objectsMs = 0;
  let textMs = 0;
  const started = performance.now();
  for (const file of files) {
    const t0 = performance.now();
    await models.detectObjects(file, MAX_PIXELS);
    const t1 = performance.now();
    await models.recogniseText(file, MAX_PIXELS);
    objectsMs += t1 - t0;
    textMs += performance.now() - t1;
  }
  process.send!({ images: files.length, ms: performance.now() - started, objectsMs, textMs });
  await models.close();
  process.disconnect();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
