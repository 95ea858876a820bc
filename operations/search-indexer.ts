import type { RuleSetRepository } from '../catalogue/rule-set.repository';
import type { SearchRepository } from '../catalogue/search.repository';
import type { RuleSetPlan } from '../rules/plan';
import { buildSearchDocument } from '../search/search-document';
import { addWords, planWords } from '../search/segment';

/**
 * Keeps the search document of an asset in step with its catalogue row. The workflows' catalogue
 * activities call `reindex` after every change they mirror (ingest, status, transitions), so
 * the index is current when the activity returns; `reindexAll` rebuilds it from scratch.
 * Idempotent: the document is a function of the row.
 */
export class SearchIndexer {
  private readonly worded = new WeakSet<RuleSetPlan>();

  constructor(
    private readonly search: SearchRepository,
    private readonly ruleSets: Pick<RuleSetRepository, 'planOf'>,
  ) {}

  async reindex(assetId: string): Promise<void> {
    const source = await this.search.sourceOf(assetId);
    if (!source) return;
    const plan = await this.planOf(source.ruleSet, source.ruleSetVersion);
    await this.search.upsert(buildSearchDocument(source, plan?.store ?? { dimensions: {} }));
  }

  async reindexAll(onProgress?: (done: number, total: number) => void): Promise<number> {
    const ids = await this.search.allAssetIds();
    for (const [i, id] of ids.entries()) {
      await this.reindex(id);
      if ((i + 1) % 1000 === 0) onProgress?.(i + 1, ids.length);
    }
    return ids.length;
  }

  private async planOf(name: string, version: number | null): Promise<RuleSetPlan | undefined> {
    const plan = await this.ruleSets.planOf(name, version);
    // Documents must be cut with the same words as queries (see search/segment.ts): a published
    // plan's words are added the first time it is seen.
    if (plan && version !== null && !this.worded.has(plan)) {
      addWords(planWords(plan));
      this.worded.add(plan);
    }
    return plan;
  }
}
