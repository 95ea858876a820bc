import type { AppConfig } from '../config/config.schema';
import { ModelPool } from './model-pool';
import { ObjectTagger } from './object-tagger';
import { ruleTaggers } from './rule-taggers';
import type { Tagger } from './tagger';
import { TextReader } from './text-reader';

/** What ingest uses to describe an image without anyone typing a tag. */
export interface Tagging {
  taggers: Tagger[];
  /** Reads text in images for search; null when switched off. */
  textReader: TextReader | null;
  /** Stops the model thread, if one was started. */
  close(): Promise<void>;
}

/**
 * The offline default: rule taggers (shape, colours, embedded keywords), the CenterNet object
 * detector and PaddleOCR in a model thread, each model loaded on first use. An external vision or
 * CLIP service would be one more `Tagger` in this list.
 */
export function offlineTagging(settings: AppConfig['tagging'], maxPixels: number): Tagging {
  if (!settings.objects && !settings.text) return ruleTaggingOnly();
  const models = new ModelPool();
  return {
    taggers: [
      ...ruleTaggers(),
      ...(settings.objects
        ? [new ObjectTagger(models, { minScore: settings.minObjectScore, maxPixels })]
        : []),
    ],
    textReader: settings.text ? new TextReader(models, { minConfidence: 0.6, maxPixels }) : null,
    close: () => models.close(),
  };
}

/** Tags from measured facts only: no models, no thread. */
export function ruleTaggingOnly(): Tagging {
  return { taggers: ruleTaggers(), textReader: null, close: async () => {} };
}
