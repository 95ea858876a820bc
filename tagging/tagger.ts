import type { Tag } from '../domain/ingest-findings';

export type { Tag } from '../domain/ingest-findings';

import type { ColourAnalysis } from '../imaging/colours';
import type { EmbeddedMetadata } from '../imaging/embedded-metadata';
import type { RuleSetPlan } from '../rules/plan';

/** Everything taggers may look at; computed once per version by the ingest activity. */
export interface TaggingInput {
  file: string;
  mediaType: string;
  image: { format: string; width: number; height: number; hasAlpha?: boolean } | null;
  colours: ColourAnalysis | null;
  embedded: EmbeddedMetadata;
}

/**
 * A source of tags. The offline default is a few taggers that need no network (see
 * `offlineTagging`); an external vision or CLIP service is another implementation of this.
 */
export interface Tagger {
  readonly name: string;
  /** The rule set's `autoTagging` switch that must be on for this tagger to run, if any. */
  readonly needs?: keyof RuleSetPlan['create']['autoTagging'];
  /** A model (seconds, not milliseconds): runs after the asset is stored, in `enrichFile`. */
  readonly model?: boolean;
  tag(input: TaggingInput): Promise<Tag[]>;
}

/** Runs every tagger and merges their tags by name, keeping the most confident source of each. */
export async function tagWithAll(taggers: Tagger[], input: TaggingInput): Promise<Tag[]> {
  const tags: Tag[] = [];
  for (const tagger of taggers) tags.push(...(await tagger.tag(input)));
  return mergeTags(tags);
}

/** One tag per name, the most confident (the first of equals), most confident first. */
export function mergeTags(tags: Tag[]): Tag[] {
  const byName = new Map<string, Tag>();
  for (const tag of tags) {
    const seen = byName.get(tag.name);
    if (!seen || tag.confidence > seen.confidence) byName.set(tag.name, tag);
  }
  return [...byName.values()].sort((a, b) => b.confidence - a.confidence || a.name.localeCompare(b.name));
}
