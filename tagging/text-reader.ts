/** A line of text found in an image, with the recogniser's mean confidence (0–1). */
export interface TextLine {
  text: string;
  confidence: number;
}

/**
 * Reads the text in posters, packaging and screenshots with PaddleOCR (PP-OCRv4, Chinese and
 * English) from `@gutenye/ocr-node`, on onnxruntime's CPU build that ships inside the package.
 * The models (16 MB) load once per process, on the first image. One inference thread: on a
 * 2-core machine two threads made it twice as slow.
 */
export class TextReader {
  private ocr: Promise<{ detect(image: string): Promise<{ text: string; mean: number }[]> }> | undefined;

  constructor(private readonly minConfidence = 0.6) {}

  async read(file: string): Promise<TextLine[]> {
    this.ocr ??= import('@gutenye/ocr-node').then((module) =>
      module.default.create({ onnxOptions: { intraOpNumThreads: 1 } }),
    );
    const lines = await (await this.ocr).detect(file);
    return lines
      .filter((line) => line.mean >= this.minConfidence && line.text.trim() !== '')
      .map((line) => ({ text: line.text.trim(), confidence: Math.round(line.mean * 100) / 100 }));
  }
}
