import type { RuleSetPlan } from '../rules/plan';
import type { CatalogueDb } from './database';
import { jsonb } from './json';

export interface RuleSetVersion {
  name: string;
  version: number;
  source: string;
  plan: RuleSetPlan;
  planSha256: string;
  createdAt: string;
}

export interface RuleSetSummary {
  name: string;
  latestVersion: number;
  title: RuleSetPlan['title'];
  updatedAt: string;
}

/** Rule sets by name and version. Versions are append-only. */
export class RuleSetRepository {
  private readonly publishedPlans = new Map<string, Promise<RuleSetPlan | undefined>>();

  constructor(private readonly db: CatalogueDb) {}

  /**
   * Stores `plan` as the next version of its rule set, unless the latest version already has the
   * same plan (publishing is idempotent). The version number comes from a unique key, so two
   * concurrent publishes cannot both become version N.
   */
  async publish(
    source: string,
    plan: RuleSetPlan,
    planSha256: string,
  ): Promise<{ version: RuleSetVersion; created: boolean }> {
    for (let attempt = 0; ; attempt++) {
      const latest = await this.latest(plan.name);
      if (latest && latest.planSha256 === planSha256 && latest.source === source)
        return { version: latest, created: false };
      const version = (latest?.version ?? 0) + 1;
      try {
        await this.db
          .insertInto('rule_sets')
          .values({ name: plan.name, version, source, plan: jsonb(plan), plan_sha256: planSha256 })
          .execute();
      } catch (error) {
        if (attempt < 3 && isUniqueViolation(error)) continue;
        throw error;
      }
      return { version: (await this.get(plan.name, version))!, created: true };
    }
  }

  /**
   * The plan an asset follows: its rule set at `version`, or the latest one for assets recorded
   * before rule-set versions (null). A published version never changes, so its plan is kept for
   * the life of the process (a version not found, or a failed read, is not kept).
   */
  planOf(name: string, version: number | null): Promise<RuleSetPlan | undefined> {
    if (version === null) return this.latest(name).then((v) => v?.plan);
    const key = `${name}@${version}`;
    let plan = this.publishedPlans.get(key);
    if (!plan) {
      plan = this.get(name, version).then((v) => {
        if (!v) this.publishedPlans.delete(key);
        return v?.plan;
      });
      plan.catch(() => this.publishedPlans.delete(key));
      this.publishedPlans.set(key, plan);
    }
    return plan;
  }

  async latest(name: string): Promise<RuleSetVersion | undefined> {
    const row = await this.db
      .selectFrom('rule_sets')
      .selectAll()
      .where('name', '=', name)
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? toVersion(row) : undefined;
  }

  async get(name: string, version: number): Promise<RuleSetVersion | undefined> {
    const row = await this.db
      .selectFrom('rule_sets')
      .selectAll()
      .where('name', '=', name)
      .where('version', '=', version)
      .executeTakeFirst();
    return row ? toVersion(row) : undefined;
  }

  async versions(name: string): Promise<{ version: number; createdAt: string; planSha256: string }[]> {
    const rows = await this.db
      .selectFrom('rule_sets')
      .select(['version', 'created_at', 'plan_sha256'])
      .where('name', '=', name)
      .orderBy('version')
      .execute();
    return rows.map((r) => ({
      version: r.version,
      createdAt: r.created_at.toISOString(),
      planSha256: r.plan_sha256,
    }));
  }

  async list(): Promise<RuleSetSummary[]> {
    const rows = await this.db
      .selectFrom('rule_sets as r')
      .select(['r.name', 'r.version', 'r.plan', 'r.created_at'])
      .where(({ eb, selectFrom }) =>
        eb(
          'r.version',
          '=',
          selectFrom('rule_sets as l')
            .select((x) => x.fn.max('l.version').as('v'))
            .whereRef('l.name', '=', 'r.name'),
        ),
      )
      .orderBy('r.name')
      .execute();
    return rows.map((r) => ({
      name: r.name,
      latestVersion: r.version,
      title: (r.plan as RuleSetPlan).title,
      updatedAt: r.created_at.toISOString(),
    }));
  }

  async names(): Promise<string[]> {
    const rows = await this.db.selectFrom('rule_sets').select('name').distinct().orderBy('name').execute();
    return rows.map((r) => r.name);
  }
}

function toVersion(row: {
  name: string;
  version: number;
  source: string;
  plan: unknown;
  plan_sha256: string;
  created_at: Date;
}): RuleSetVersion {
  return {
    name: row.name,
    version: row.version,
    source: row.source,
    plan: row.plan as RuleSetPlan,
    planSha256: row.plan_sha256,
    createdAt: row.created_at.toISOString(),
  };
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string }).code === '23505';
}
