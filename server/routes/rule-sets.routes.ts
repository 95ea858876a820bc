import express, { Router } from 'express';
import { AssetflowError, ErrorCodes } from '../../domain/errors';
import type { RuleSetService } from '../../services/rule-set.service';

/**
 * YAML arrives as text; JSON clients may send `{source: "…"}`. The compiler refuses more than
 * RULE_SET_LIMITS.characters (64 Ki); the body limit leaves room for that many 4-byte characters.
 */
const yamlBody = express.text({
  type: ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/plain'],
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

function versionParam(raw: string): number {
  // At most nine digits: versions are PostgreSQL integers, and a larger number is a database error.
  const version = /^\d{1,9}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(version) || version < 1)
    throw new AssetflowError(ErrorCodes.VALIDATION_FAILED, `"${raw}" is not a version number.`, 400);
  return version;
}

export function ruleSetsRouter(ruleSets: RuleSetService): Router {
  const router = Router();

  router.post('/api/rule-sets/validate', yamlBody, (req, res) => {
    const { plan, warnings } = ruleSets.validate(sourceOf(req.body));
    res.json({ valid: true, name: plan.name, problems: warnings, plan });
  });

  router.post('/api/rule-sets', yamlBody, async (req, res) => {
    const { version, created, warnings } = await ruleSets.publish(sourceOf(req.body));
    res.status(created ? 201 : 200).json({
      name: version.name,
      version: version.version,
      created,
      problems: warnings,
      plan: version.plan,
    });
  });

  router.get('/api/rule-sets', async (_req, res) => {
    res.json({ ruleSets: await ruleSets.list() });
  });

  router.get('/api/rule-sets/:name', async (req, res) => {
    const versions = await ruleSets.versions(req.params.name);
    const latest = await ruleSets.get(req.params.name);
    res.json({ name: latest.name, versions, latest });
  });

  router.get('/api/rule-sets/:name/versions/:version', async (req, res) => {
    res.json(await ruleSets.get(req.params.name, versionParam(req.params.version)));
  });

  router.post('/api/rule-sets/:name/dry-run', async (req, res) => {
    res.json(await ruleSets.dryRun(req.params.name, req.body));
  });

  return router;
}
