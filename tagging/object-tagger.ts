import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as HumanTypes from '@vladmandic/human';
import { decodeRgb } from '../imaging/read-image-info';
import { COCO_LABELS_ZH } from './coco-labels';
import type { Tag, Tagger, TaggingInput } from './tagger';

/**
 * Objects in the picture, from the CenterNet COCO detector that `@vladmandic/human` ships, run on
 * TensorFlow.js's WebAssembly backend: no native add-on, no download at run time. Measured on the
 * test photographs it finds people, cups and cars well and confuses some animals (a cat scored as
 * "dog" 0.46), so only detections at `minScore` or above become tags, with their score as
 * confidence. The model (4 MB) loads once per process, on the first image.
 */
export class ObjectTagger implements Tagger {
  readonly name = 'objects';
  readonly needs = 'objects' as const;
  private human: Promise<HumanTypes.Human> | undefined;

  constructor(
    private readonly options: { minScore: number; maxPixels: number } = { minScore: 0.4, maxPixels: 1e8 },
  ) {}

  async tag({ file, image }: TaggingInput): Promise<Tag[]> {
    if (!image) return [];
    const human = await this.load();
    // The detector works at 512 px; decoding larger only costs time.
    const { data, width, height } = await decodeRgb(file, 512, this.options.maxPixels);
    const input = human.tf.tensor(new Uint8Array(data), [1, height, width, 3], 'int32');
    try {
      const result = await human.detect(input as unknown as HumanTypes.Input);
      const best = new Map<string, number>();
      for (const object of result.object) {
        if (object.score < this.options.minScore) continue;
        best.set(object.label, Math.max(object.score, best.get(object.label) ?? 0));
      }
      return [...best].flatMap(([label, score]) => {
        const confidence = Math.round(score * 100) / 100;
        const zh = COCO_LABELS_ZH[label];
        return [
          { name: label, source: 'ai' as const, confidence },
          ...(zh ? [{ name: zh, source: 'ai' as const, confidence }] : []),
        ];
      });
    } finally {
      human.tf.dispose(input);
    }
  }

  private load(): Promise<HumanTypes.Human> {
    this.human ??= loadHuman();
    return this.human;
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
