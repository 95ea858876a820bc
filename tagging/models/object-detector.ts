import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as HumanTypes from '@vladmandic/human';
import { decodeRgb } from '../../imaging/read-image-info';

/** One detection: a COCO class name and the detector's score (0–1). */
export interface Detection {
  label: string;
  score: number;
}

let human: Promise<HumanTypes.Human> | undefined;

/**
 * Objects in the picture, from the CenterNet COCO detector that `@vladmandic/human` ships, run on
 * TensorFlow.js's WebAssembly backend: no native add-on, no download at run time. The model
 * (4 MB) loads once per thread, on the first image. The WebAssembly backend computes on the
 * calling thread, which is why this runs in the model thread (tagging/model-pool.ts).
 */
export async function detectObjects(file: string, maxPixels: number): Promise<Detection[]> {
  human ??= loadHuman();
  const detector = await human;
  // The detector works at 512 px; decoding larger only costs time.
  const { data, width, height } = await decodeRgb(file, 512, maxPixels);
  const input = detector.tf.tensor(new Uint8Array(data), [1, height, width, 3], 'int32');
  try {
    const result = await detector.detect(input as unknown as HumanTypes.Input);
    return result.object.map((o) => ({ label: o.label, score: o.score }));
  } finally {
    detector.tf.dispose(input);
  }
}

async function loadHuman(): Promise<HumanTypes.Human> {
  // The package's export map offers only its tfjs-node build (whose install downloads binaries);
  // its WebAssembly build sits beside it in dist/.
  const dist = path.dirname(require.resolve('@vladmandic/human'));
  const { Human } = require(path.join(dist, 'human.node-wasm.js')) as typeof HumanTypes;
  const tf = require('@tensorflow/tfjs-core') as typeof import('@tensorflow/tfjs-core');
  registerFileModelLoader(tf);
  const wasmDir = path.join(
    path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')),
    'dist',
  );
  const human = new Human({
    backend: 'wasm',
    wasmPath: `${wasmDir}${path.sep}`,
    modelBasePath: `${pathToFileURL(path.join(dist, '..', 'models')).href}/`,
    cacheModels: false,
    warmup: 'none',
    // Human reuses its last result for similar frames (it is built for video); photos are independent.
    cacheSensitivity: 0,
    filter: { enabled: false },
    face: { enabled: false },
    body: { enabled: false },
    hand: { enabled: false },
    gesture: { enabled: false },
    segmentation: { enabled: false },
    object: { enabled: true, modelPath: 'centernet.json', minConfidence: 0.2, maxDetected: 10 },
  });
  await human.load();
  // Human logs a failed model load and carries on; an empty detector must not pass silently.
  if (!human.models.loaded().includes('centernet'))
    throw new Error('the CenterNet object model did not load');
  return human;
}

let fileLoaderRegistered = false;

/** tfjs loads models with fetch(), which has no file:// in Node; read model files from disk instead. */
function registerFileModelLoader(tf: typeof import('@tensorflow/tfjs-core')): void {
  if (fileLoaderRegistered) return;
  fileLoaderRegistered = true;
  const router = (url: string | string[]) => {
    if (typeof url !== 'string' || !url.startsWith('file://')) return null;
    const jsonPath = fileURLToPath(url);
    return {
      load: () =>
        tf.io.getModelArtifactsForJSON(JSON.parse(readFileSync(jsonPath, 'utf8')), async (manifest) => {
          const weights = Buffer.concat(
            manifest.flatMap((group) =>
              group.paths.map((p) => readFileSync(path.join(path.dirname(jsonPath), p))),
            ),
          );
          return [
            manifest.flatMap((group) => group.weights),
            weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer,
          ];
        }),
    };
  };
  tf.io.registerLoadRouter(router as unknown as Parameters<typeof tf.io.registerLoadRouter>[0]);
}
