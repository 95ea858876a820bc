import type { ErrorObject } from 'ajv/dist/2020';
import type { RuleProblem } from './problems';
import { fromPointer } from './problems';
import { validateRuleSet as validate } from './rule-set-validator';
import type { ParsedRuleSource } from './source-map';

const MAX_SCHEMA_PROBLEMS = 50;

/** Structural problems of a parsed document, each located at its line and column. */
export function validateAgainstSchema(source: ParsedRuleSource, file?: string): RuleProblem[] {
  if (validate(source.value)) return [];
  // Each problem is located by a scan of its mapping: a bounded number keeps that linear.
  return relevantErrors(validate.errors ?? [])
    .slice(0, MAX_SCHEMA_PROBLEMS)
    .map((error) => {
      const path = fromPointer(error.instancePath);
      const problem = describe(error);
      const position = problem.key ? source.locateKey(path, problem.key) : source.locate(path);
      return {
        code: 'SCHEMA',
        message: problem.message,
        path: problem.key ? `${error.instancePath}/${problem.key}` : error.instancePath,
        ...position,
        ...(file ? { file } : {}),
        severity: 'error',
      };
    });
}

/**
 * ajv reports every branch it tried; a person needs one line per mistake. Drop the `if`
 * bookkeeping, drop the inner errors of a `oneOf` (its own error says what was expected), and
 * drop a node-type's inner errors when the type itself is wrong.
 */
function relevantErrors(errors: ErrorObject[]): ErrorObject[] {
  const oneOfPaths = new Set(errors.filter((e) => e.keyword === 'oneOf').map((e) => e.instancePath));
  const seen = new Set<string>();
  return errors.filter((e) => {
    if (e.keyword === 'if') return false;
    // A bad key name is reported once, by propertyNames, not again by the pattern it failed.
    if (e.keyword !== 'propertyNames' && (e as { propertyName?: string }).propertyName !== undefined)
      return false;
    if (e.schemaPath.includes('/oneOf/') && oneOfPaths.has(e.instancePath)) return false;
    const key = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function describe(error: ErrorObject): { message: string; key?: string } {
  const where = error.instancePath || 'the document';
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return {
        message: `unknown key "${String(params.additionalProperty)}" in ${where}`,
        key: String(params.additionalProperty),
      };
    case 'required':
      return { message: `${where} is missing the required key "${String(params.missingProperty)}"` };
    case 'enum':
      return { message: `${where} must be one of: ${(params.allowedValues as unknown[]).join(', ')}` };
    case 'const':
      return { message: `${where} must be ${JSON.stringify(params.allowedValue)}` };
    case 'pattern':
      return { message: `${where} ${error.message ?? 'has the wrong format'}` };
    case 'propertyNames':
      return {
        message: `${where} has an invalid name: ${String(params.propertyName)} (use lower-case letters, digits and dashes)`,
        key: String(params.propertyName),
      };
    case 'oneOf':
      return { message: `${where} has the wrong shape: ${oneOfHint(error)}` };
    default:
      return { message: `${where} ${error.message ?? 'is invalid'}` };
  }
}

function oneOfHint(error: ErrorObject): string {
  const schema = error.parentSchema as
    | { oneOf?: { type?: string; const?: unknown; enum?: unknown[]; pattern?: string }[] }
    | undefined;
  const options = (schema?.oneOf ?? []).map((o) =>
    o.const !== undefined
      ? JSON.stringify(o.const)
      : o.enum
        ? o.enum.map((v) => JSON.stringify(v)).join(' or ')
        : o.pattern
          ? 'an ISO-8601 duration'
          : (o.type ?? 'a value'),
  );
  return `expected ${options.join(', or ')}`;
}
