import type { AssetRepository } from '../catalogue/asset.repository';
import type { RuleSetRepository } from '../catalogue/rule-set.repository';
import { AssetflowError, ErrorCodes } from '../domain/errors';
import { type MigrationChange, previewMigration } from '../lifecycle/migration-preview';
import { type AccessLevel, atLeast } from '../policy/access';
import type { AssetWorkflows } from '../temporal/asset-workflows.client';
import { migrateRuleSetUpdate } from '../workflows/messages';

/** Who migrates: the trail names them; their access decides which assets are theirs to move. */
export interface MigrationCaller {
  email: string;
  isAdmin: boolean;
  levelsOn(assetIds: string[]): Promise<Map<string, AccessLevel>>;
}

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

  /**
   * Moves the assets of `ruleSet` that the caller may edit (an administrator: all of them) to
   * `toVersion`, or says what would change (`dryRun`, the default). Going back to an older version
   * than an asset runs under is an administrator's decision: it can undo a stricter policy.
   */
  async migrate(
    ruleSet: string,
    request: MigrationRequest,
    caller: MigrationCaller,
  ): Promise<{ ruleSet: string; toVersion: number; dryRun: boolean; assets: AssetMigration[] }> {
    const by = caller.email;
    const target = await this.deps.ruleSets.get(ruleSet, request.toVersion);
    if (!target)
      throw new AssetflowError(
        ErrorCodes.RULE_SET_NOT_FOUND,
        `No rule set "${ruleSet}" version ${request.toVersion}.`,
        404,
        { ruleSet, version: request.toVersion },
      );
    const dryRun = request.dryRun !== false;
    const others = await this.deps.assets.onOtherVersions(ruleSet, request.toVersion);
    // Assets in projects the caller cannot edit are neither changed nor described (ids, dates,
    // missing fields): they are not in the answer at all.
    const levels = await caller.levelsOn(others.map((c) => c.id));
    const candidates = others.filter((c) => atLeast(levels.get(c.id), 'edit'));
    const selected = request.assetIds
      ? candidates.filter((c) => request.assetIds?.includes(c.id))
      : candidates;
    const downgraded = selected.find((c) => c.ruleSetVersion !== null && c.ruleSetVersion > target.version);
    if (downgraded && !caller.isAdmin)
      throw new AssetflowError(
        ErrorCodes.FORBIDDEN,
        `Asset ${downgraded.id} runs under version ${downgraded.ruleSetVersion}; only an administrator moves assets back to an older version (${target.version}).`,
        403,
        { assetId: downgraded.id, fromVersion: downgraded.ruleSetVersion, toVersion: target.version },
      );
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
