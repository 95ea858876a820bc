import { createHash } from 'node:crypto';
import type { Database } from '../../catalogue/database';
import { RuleSetRepository } from '../../catalogue/rule-set.repository';
import { canonicalJson } from '../../domain/canonical-json';
import type { RuleSetPlan } from '../../rules/plan';

/**
 * Publishes a plan as a version of its rule set in a test's catalogue, as `POST /api/rule-sets`
 * does, and answers that version: continued runs and approval flows load plans from there.
 */
export async function publishPlan(database: Database, plan: RuleSetPlan): Promise<number> {
  const json = canonicalJson(plan);
  const sha256 = createHash('sha256').update(json).digest('hex');
  const { version } = await new RuleSetRepository(database.db).publish(
    `# published by a test\n${json}`,
    plan,
    sha256,
  );
  return version.version;
}
