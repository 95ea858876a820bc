import type { TextLine } from '../../domain/ingest-findings';

export type { TextLine } from '../../domain/ingest-findings';

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { writeResized } from '../../imaging/read-image-info';

/**
 * Larger images are reduced to this longest side first. Measured on test photos: 2 MP as is
 * 2.7 s, at 1280 px 0.6–1.3 s, at 960 px 0.3–0.5 s with the poster text still read exactly; at
 * 736 px letters began to go wrong ("OFF" read as "OFP").
 */
const MAX_SIDE = 960;

type Ocr = { detect(image: string): Promise<{ text: string; mean: number }[]> };
let ocr: Promise<Ocr> | undefined;

/**
 * Reads the text in posters, packaging and screenshots with PaddleOCR (PP-OCRv4, Chinese and
 * English) from `@gutenye/ocr-node`, on onnxruntime's CPU build that ships inside the package.
 * The models (16 MB) load once per thread, on the first image. One inference thread: on a 2-core
 * machine two made it twice as slow. Its pre- and post-processing (OpenCV compiled to
 * WebAssembly) hold the calling thread for most of the time, hence the model thread.
 */
export async function recogniseText(file: string, maxPixels: number): Promise<TextLine[]> {
  ocr ??= import('@gutenye/ocr-node').then(
    (module) => module.default.create({ onnxOptions: { intraOpNumThreads: 1 } }) as Promise<Ocr>,
  );
  const recogniser = await ocr;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'assetflow-ocr-'));
  try {
    const input = path.join(dir, 'input.png');
    await writeResized(file, input, MAX_SIDE, maxPixels);
    const lines = await recogniser.detect(input);
    return lines
      .filter((line) => line.text.trim() !== '')
      .map((line) => ({ text: line.text.trim(), confidence: Math.round(line.mean * 100) / 100 }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
