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
  private readonly plans = new Map<string, Promise<RuleSetPlan | undefined>>();

  constructor(
    private readonly search: SearchRepository,
    private readonly ruleSets: Pick<RuleSetRepository, 'get' | 'latest'>,
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

  private planOf(name: string, version: number | null): Promise<RuleSetPlan | undefined> {
    // Assets recorded before rule-set versions (no version) use the latest, which may change.
    if (version === null) return this.ruleSets.latest(name).then((v) => v?.plan);
    const key = `${name}@${version}`;
    let plan = this.plans.get(key);
    if (!plan) {
      // A published version never changes, so its plan is cached for the life of the process.
      plan = this.ruleSets.get(name, version).then((v) => {
        // Documents must be cut with the same words as queries (see search/segment.ts).
        if (v) addWords(planWords(v.plan));
        return v?.plan;
      });
      this.plans.set(key, plan);
    }
    return plan;
  }
}
