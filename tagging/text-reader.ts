import type { ModelPool } from './model-pool';
import type { TextLine } from './models/text-recogniser';

export type { TextLine } from './models/text-recogniser';

/** Text in images (OCR) for search: lines the recogniser is at least `minConfidence` sure of. */
export class TextReader {
  constructor(
    private readonly models: ModelPool,
    private readonly options: { minConfidence: number; maxPixels: number },
  ) {}

  async read(file: string): Promise<TextLine[]> {
    const lines = await this.models.recogniseText(file, this.options.maxPixels);
    return lines.filter((line) => line.confidence >= this.options.minConfidence);
  }
}
