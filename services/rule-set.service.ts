import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { RuleSetRepository, RuleSetVersion } from '../catalogue/rule-set.repository';
import { AssetflowError, ErrorCodes } from '../domain/errors';
import { type DryRunEvent, type DryRunResult, type DryRunSample, dryRun } from '../lifecycle/dry-run';
import { dryRunRequestProblems } from '../lifecycle/dry-run.schema';
import { canonicalJson, compileRuleSet, type RuleProblem, type RuleSetPlan } from '../rules';

/** Where the rule sets shipped with Assetflow live; they are published at start-up. */
export const EXAMPLE_RULE_SETS_DIR = path.join(__dirname, '..', 'rules', 'examples');

export interface DryRunRequest {
  version?: number;
  sample: DryRunSample;
  events?: DryRunEvent[];
}

/** Compiling, publishing and dry-running rule sets. */
export class RuleSetService {
  constructor(private readonly ruleSets: RuleSetRepository) {}

  /** Compiles without publishing; throws RULE_SET_INVALID (422) listing every problem. */
  validate(source: string): { plan: RuleSetPlan; warnings: RuleProblem[] } {
    const result = compileRuleSet(source);
    const errors = result.problems.filter((p) => p.severity === 'error');
    if (!result.plan || errors.length > 0) {
      const first = errors[0];
      throw new AssetflowError(
        ErrorCodes.RULE_SET_INVALID,
        `The rule set has ${errors.length} problem${errors.length === 1 ? '' : 's'}${first ? `; the first, at line ${first.line ?? '?'} column ${first.column ?? '?'}: ${first.message}` : ''}.`,
        422,
        { problems: result.problems },
      );
    }
    return { plan: result.plan, warnings: result.problems };
  }

  /** Publishes the next version (or returns the latest when nothing changed). */
  async publish(
    source: string,
  ): Promise<{ version: RuleSetVersion; created: boolean; warnings: RuleProblem[] }> {
    const { plan, warnings } = this.validate(source);
    const planSha256 = createHash('sha256').update(canonicalJson(plan)).digest('hex');
    const published = await this.ruleSets.publish(source, plan, planSha256);
    return { ...published, warnings };
  }

  list() {
    return this.ruleSets.list();
  }

  async get(name: string, version?: number): Promise<RuleSetVersion> {
    const found =
      version === undefined ? await this.ruleSets.latest(name) : await this.ruleSets.get(name, version);
    if (!found) {
      throw new AssetflowError(
        ErrorCodes.RULE_SET_NOT_FOUND,
        `No rule set "${name}"${version === undefined ? '' : ` version ${version}`}.`,
        404,
        { name, version },
      );
    }
    return found;
  }

  async versions(name: string) {
    const versions = await this.ruleSets.versions(name);
    if (versions.length === 0)
      throw new AssetflowError(ErrorCodes.RULE_SET_NOT_FOUND, `No rule set "${name}".`, 404, { name });
    return versions;
  }

  /** The name and latest version an upload will run under; RULE_SET_UNKNOWN (400) if none. */
  async resolveForUpload(name: string): Promise<{ name: string; version: number; plan: RuleSetPlan }> {
    const latest = await this.ruleSets.latest(name);
    if (!latest) {
      throw new AssetflowError(ErrorCodes.RULE_SET_UNKNOWN, `Unknown rule set "${name}".`, 400, {
        ruleSet: name,
        known: await this.ruleSets.names(),
      });
    }
    return { name, version: latest.version, plan: latest.plan };
  }

  async dryRun(
    name: string,
    request: unknown,
  ): Promise<DryRunResult & { ruleSet: { name: string; version: number } }> {
    const problems = dryRunRequestProblems(request);
    if (problems.length > 0) {
      throw new AssetflowError(
        ErrorCodes.DRY_RUN_INVALID,
        `Invalid dry-run request: ${problems.join('; ')}`,
        400,
        { problems },
      );
    }
    const { version, sample, events } = request as unknown as DryRunRequest;
    const ruleSet = await this.get(name, version);
    return {
      ruleSet: { name: ruleSet.name, version: ruleSet.version },
      ...dryRun(ruleSet.plan, sample, events ?? []),
    };
  }

  /**
   * Publishes every `*.yaml` in `dir` whose name has no rule set yet: the rule sets Assetflow ships
   * with. One that exists is left alone — a rule author's newer version (a stricter audience, a
   * lower download limit) is never replaced by the shipped file at start-up.
   */
  async publishExamples(dir = EXAMPLE_RULE_SETS_DIR): Promise<string[]> {
    const published: string[] = [];
    for (const file of readdirSync(dir)
      .filter((f) => f.endsWith('.yaml'))
      .sort()) {
      const source = readFileSync(path.join(dir, file), 'utf8');
      if (await this.ruleSets.latest(this.validate(source).plan.name)) continue;
      const { version, created } = await this.publish(source);
      if (created) published.push(`${version.name} v${version.version}`);
    }
    return published;
  }
}
