import type { BrandPalette, RenditionPreset } from './document';
import type { RuleSetPlan } from './plan';

/** What the rule set asks of ingest; the workflow passes it from its plan to the activity. */
export interface IngestOptions {
  thumbnail: { name: string; preset: RenditionPreset };
  brandPalette: BrandPalette | null;
  autoTagging: RuleSetPlan['create']['autoTagging'];
}

/** Used when the rule set has no `thumbnail` preset: every grid needs one. */
export const DEFAULT_THUMBNAIL: IngestOptions['thumbnail'] = {
  name: 'thumbnail',
  preset: { width: 320, height: 320, fit: 'inside', format: 'webp', quality: 80 },
};

/** The ingest options a plan implies. */
export function ingestOptionsOf(plan: RuleSetPlan): IngestOptions {
  const thumbnail = plan.distribute.renditions.thumbnail;
  return {
    thumbnail:
      thumbnail && !thumbnail.original ? { name: 'thumbnail', preset: thumbnail } : DEFAULT_THUMBNAIL,
    brandPalette: plan.create.brandPalette,
    autoTagging: plan.create.autoTagging,
  };
}
