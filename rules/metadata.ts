import type { FieldPlan } from './plan';

/**
 * Checks metadata values against the fields a rule set declares: type, enum values, pattern and
 * range. Undeclared keys are allowed (free-form metadata) but conditions cannot see them.
 * Returns one message per bad field, keyed by field name.
 */
export function metadataProblems(
  fields: Record<string, FieldPlan>,
  metadata: Record<string, unknown>,
): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const [name, value] of Object.entries(metadata)) {
    const field = fields[name];
    if (!field || value === null) continue;
    const problem = problemOf(field, value);
    if (problem) problems[name] = problem;
  }
  return problems;
}

function problemOf(field: FieldPlan, value: unknown): string | undefined {
  switch (field.type) {
    case 'string':
      if (typeof value !== 'string') return 'must be a string';
      if (field.pattern && !new RegExp(field.pattern, 'u').test(value)) return `must match ${field.pattern}`;
      return undefined;
    case 'int':
    case 'number':
      if (typeof value !== 'number' || (field.type === 'int' && !Number.isInteger(value)))
        return `must be ${field.type === 'int' ? 'an integer' : 'a number'}`;
      if (field.min !== null && value < field.min) return `must be at least ${field.min}`;
      if (field.max !== null && value > field.max) return `must be at most ${field.max}`;
      return undefined;
    case 'bool':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'date':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value))
        ? undefined
        : 'must be an ISO-8601 date or date-time';
    case 'enum':
      return typeof value === 'string' && field.values?.includes(value)
        ? undefined
        : `must be one of ${field.values?.join(', ')}`;
    case 'list':
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
        return 'must be a list of strings';
      if (field.values && value.some((v) => !field.values?.includes(v as string)))
        return `may only contain ${field.values.join(', ')}`;
      return undefined;
  }
}
