import type { DuplicateRepository } from '../catalogue/duplicate.repository';
import type { AccessLevel } from '../policy/access';

/** How many hashes one lookup may name (a bulk import asks in batches of this size). */
export const CONTENT_LOOKUP_MAX = 500;

export interface StoredContent {
  sha256: string;
  assetId: string;
  version: number;
}

/**
 * "Which of these files are stored already?", by their sha256: what a bulk import asks before it
 * uploads, so that a second run skips what the first stored. Only assets the caller may see are
 * named; a file stored where the caller cannot see it is reported as not found (its upload then
 * meets the rule set's duplicate policy, which treats unseen matches the same way).
 */
export class ContentLookupService {
  constructor(private readonly deps: { duplicates: DuplicateRepository }) {}

  async find(
    sha256s: string[],
    levelsOn: (assetIds: string[]) => Promise<Map<string, AccessLevel>>,
  ): Promise<StoredContent[]> {
    const found = await this.deps.duplicates.findExactMany([...new Set(sha256s)]);
    if (found.length === 0) return [];
    const visible = await levelsOn([...new Set(found.map((f) => f.assetId))]);
    return found
      .filter((f) => visible.has(f.assetId))
      .map(({ sha256, assetId, version }) => ({ sha256, assetId, version }));
  }
}
