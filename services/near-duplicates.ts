import type { DuplicateMatch, DuplicateRepository } from '../catalogue/duplicate.repository';
import type { VisualFeatureRepository } from '../catalogue/visual-feature.repository';
import { maxDistanceFor } from '../imaging/perceptual-hash';
import type { RegionHash } from '../imaging/visual-features';

/**
 * The farthest a region match may be and still count as a duplicate. Sibling designs (same
 * background, layout and type; another photo and headline) came within 8 bits of each other under
 * the region pairing, different photographs within 18; an edited copy's best region match was at
 * most 4 bits away for 5 % and 10 % crops. 4 keeps a 4-bit margin to the siblings.
 */
export const CROP_MAX_DISTANCE = 4;

/**
 * A region match counts as a duplicate at the rule set's distance plus one bit (the crop's pixels
 * are resampled on another grid than the original's region: the measured cost is up to a bit),
 * never farther than CROP_MAX_DISTANCE. At the shipped 95 % (d ≤ 3) that is 4; at 97 % (d ≤ 1), 2.
 */
export function cropDistanceFor(similarity: number): number {
  return Math.min(maxDistanceFor(similarity) + 1, CROP_MAX_DISTANCE);
}

/**
 * Near duplicates of an upload, by two rules, nearest first, one per version: the whole-frame
 * pHash within the rule set's threshold (what was always checked), or one of the upload's
 * centred regions meeting one of a stored version's within `cropDistanceFor` (a crop either way).
 */
export async function findNearDuplicates(
  deps: { duplicates: DuplicateRepository; visualFeatures: VisualFeatureRepository },
  image: { perceptualHash: string; regions: RegionHash[] },
  threshold: number,
  limit = 10,
): Promise<DuplicateMatch[]> {
  const [whole, regions] = await Promise.all([
    deps.duplicates.findNear(image.perceptualHash, maxDistanceFor(threshold), limit),
    deps.visualFeatures.findNear(image.regions, cropDistanceFor(threshold), { limit }),
  ]);
  const best = new Map<string, DuplicateMatch>();
  const keep = (match: DuplicateMatch) => {
    const key = `${match.assetId}/${match.version}`;
    const seen = best.get(key);
    if (!seen || match.distance < seen.distance) best.set(key, match);
  };
  for (const match of whole) keep(match);
  for (const r of regions) {
    keep({
      assetId: r.assetId,
      version: r.version,
      ruleSet: r.ruleSet,
      kind: 'near',
      similarity: r.similarity,
      distance: r.distance,
    });
  }
  return [...best.values()].sort((a, b) => a.distance - b.distance).slice(0, limit);
}
