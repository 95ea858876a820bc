import type { AppConfig } from '../config/config.schema';
import { ObjectTagger } from './object-tagger';
import { ruleTaggers } from './rule-taggers';
import type { Tagger } from './tagger';
import { TextReader } from './text-reader';

/** What ingest uses to describe an image without anyone typing a tag. */
export interface Tagging {
  taggers: Tagger[];
  /** Reads text in images for search; null when switched off. */
  textReader: TextReader | null;
}

/**
 * The offline default: rule taggers (shape, colours, embedded keywords), the CenterNet object
 * detector and PaddleOCR, each model loaded on first use. An external vision or CLIP service
 * would be one more `Tagger` in this list.
 */
export function offlineTagging(settings: AppConfig['tagging'], maxPixels: number): Tagging {
  return {
    taggers: [
      ...ruleTaggers(),
      ...(settings.objects ? [new ObjectTagger({ minScore: settings.minObjectScore, maxPixels })] : []),
    ],
    textReader: settings.text ? new TextReader() : null,
  };
}
