import express, { Router } from 'express';
import { AssetflowError, ErrorCodes } from '../../domain/errors';
import type { RuleSetService } from '../../services/rule-set.service';
import { mount } from '../contract/route';
import { YAML_TYPES } from '../contract/schema';
import {
  dryRunRuleSet,
  getRuleSet,
  getRuleSetVersion,
  listRuleSets,
  publishRuleSet,
  validateRuleSet,
} from './rule-sets.contract';

/**
 * YAML arrives as text; JSON clients may send `{source: "…"}`. The compiler refuses more than
 * RULE_SET_LIMITS.characters (64 Ki); the body limit leaves room for that many 4-byte characters.
 */
const yamlBody = express.text({
  type: [...YAML_TYPES],
  limit: '256kb',
});

function sourceOf(body: unknown): string {
  if (typeof body === 'string' && body.trim() !== '') return body;
  if (body && typeof body === 'object' && typeof (body as { source?: unknown }).source === 'string')
    return (body as { source: string }).source;
  throw new AssetflowError(
    ErrorCodes.VALIDATION_FAILED,
    'Send the rule set as YAML (Content-Type: application/yaml) or as JSON {"source": "<yaml>"}.',
    400,
  );
}

export function ruleSetsRouter(ruleSets: RuleSetService): Router {
  const router = Router();

  mount(
    router,
    validateRuleSet,
    (_input, req, res) => {
      const { plan, warnings } = ruleSets.validate(sourceOf(req.body));
      res.json({ valid: true, name: plan.name, problems: warnings, plan });
    },
    [yamlBody],
  );

  mount(
    router,
    publishRuleSet,
    async (_input, req, res) => {
      const { version, created, warnings } = await ruleSets.publish(sourceOf(req.body));
      res.status(created ? 201 : 200).json({
        name: version.name,
        version: version.version,
        created,
        problems: warnings,
        plan: version.plan,
      });
    },
    [yamlBody],
  );

  mount(router, listRuleSets, async (_input, _req, res) => {
    res.json({ ruleSets: await ruleSets.list() });
  });

  mount(router, getRuleSet, async ({ params }, _req, res) => {
    const versions = await ruleSets.versions(params.name);
    const latest = await ruleSets.get(params.name);
    res.json({ name: latest.name, versions, latest });
  });

  mount(router, getRuleSetVersion, async ({ params }, _req, res) => {
    res.json(await ruleSets.get(params.name, params.version));
  });

  mount(router, dryRunRuleSet, async ({ params, body }, _req, res) => {
    res.json(await ruleSets.dryRun(params.name, body));
  });

  return router;
}
