import type { AssetRepository } from '../catalogue/asset.repository';
import type { RuleSetRepository } from '../catalogue/rule-set.repository';
import { AssetflowError, ErrorCodes } from '../domain/errors';
import { type MigrationChange, previewMigration } from '../lifecycle/migration-preview';
import type { AssetWorkflows } from '../temporal/asset-workflows.client';
import { migrateRuleSetUpdate } from '../workflows/messages';

export interface MigrationRequest {
  toVersion: number;
  /** Only these assets; all live assets of the rule set on other versions when absent. */
  assetIds?: string[];
  /** `false` moves the assets; anything else only previews. */
  dryRun?: boolean;
}

export interface AssetMigration {
  assetId: string;
  fromVersion: number | null;
  changes: MigrationChange[];
  result?: 'migrated' | { error: string; code: string };
}

/**
 * Moving running assets to a new version of their rule set. A running asset keeps the plan it
 * started with; only this deliberate step changes it, and it always shows first what would change.
 */
export class MigrationService {
  constructor(
    private readonly deps: {
      assets: AssetRepository;
      ruleSets: RuleSetRepository;
      workflows: AssetWorkflows;
    },
  ) {}

  async migrate(
    ruleSet: string,
    request: MigrationRequest,
    by: string,
  ): Promise<{ ruleSet: string; toVersion: number; dryRun: boolean; assets: AssetMigration[] }> {
    const target = await this.deps.ruleSets.get(ruleSet, request.toVersion);
    if (!target)
      throw new AssetflowError(
        ErrorCodes.RULE_SET_NOT_FOUND,
        `No rule set "${ruleSet}" version ${request.toVersion}.`,
        404,
        { ruleSet, version: request.toVersion },
      );
    const dryRun = request.dryRun !== false;
    const candidates = await this.deps.assets.onOtherVersions(ruleSet, request.toVersion);
    const selected = request.assetIds
      ? candidates.filter((c) => request.assetIds?.includes(c.id))
      : candidates;
    const now = new Date().toISOString();
    const plans = new Map<number, Awaited<ReturnType<RuleSetRepository['get']>>>();

    const results: AssetMigration[] = [];
    for (const asset of selected) {
      const view = await this.deps.workflows.lifecycle(asset.id);
      const fromVersion = view.ruleSet.version;
      if (!plans.has(fromVersion)) plans.set(fromVersion, await this.deps.ruleSets.get(ruleSet, fromVersion));
      const from = plans.get(fromVersion);
      const changes = from ? previewMigration(from.plan, target, view, now) : [];
      const entry: AssetMigration = { assetId: asset.id, fromVersion, changes };
      if (!dryRun) {
        try {
          await this.deps.workflows.updateAsset(asset.id, migrateRuleSetUpdate, {
            by,
            version: target.version,
            plan: target.plan,
          });
          entry.result = 'migrated';
        } catch (error) {
          const err = error as AssetflowError;
          entry.result = { code: err.code ?? 'INTERNAL', error: err.message };
        }
      }
      results.push(entry);
    }
    return { ruleSet, toVersion: target.version, dryRun, assets: results };
  }
}
