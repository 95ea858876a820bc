import { RE2JS } from 're2js';
import { AssetflowError, ErrorCodes } from '../domain/errors';
import type { FieldPlan } from './plan';

/**
 * Size limits on metadata values. Metadata travels in workflow state and history (Temporal caps a
 * payload at 2 MB and a history at 50 MB), is matched against patterns and read by conditions:
 * each value is bounded so that none of that can be pushed to its limit by one editor.
 */
export const METADATA_LIMITS = { keys: 100, stringChars: 4096, listItems: 100, totalChars: 65_536 };

/** Patterns are RE2 (linear time): the values they are matched against are user input. */
export function compilePattern(pattern: string): RE2JS {
  return RE2JS.compile(pattern);
}

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
    // Own keys only: `constructor` or `__proto__` is not a declared field.
    if (!Object.hasOwn(fields, name) || value === null) continue;
    const problem = problemOf(fields[name] as FieldPlan, value);
    if (problem) problems[name] = problem;
  }
  return problems;
}

/** Values over METADATA_LIMITS, keyed by field name (`*` for the whole object). */
export function metadataSizeProblems(metadata: Record<string, unknown>): Record<string, string> {
  const entries = Object.entries(metadata);
  if (entries.length > METADATA_LIMITS.keys)
    return { '*': `has ${entries.length} fields; at most ${METADATA_LIMITS.keys} are allowed` };
  if (JSON.stringify(metadata).length > METADATA_LIMITS.totalChars)
    return { '*': `is larger than ${METADATA_LIMITS.totalChars} characters as JSON` };
  const problems: Record<string, string> = {};
  for (const [name, value] of entries) {
    const problem = sizeProblemOf(value);
    if (problem) problems[name] = problem;
  }
  return problems;
}

function sizeProblemOf(value: unknown): string | undefined {
  if (typeof value === 'string' && value.length > METADATA_LIMITS.stringChars)
    return `is longer than ${METADATA_LIMITS.stringChars} characters`;
  if (Array.isArray(value)) {
    if (value.length > METADATA_LIMITS.listItems) return `has more than ${METADATA_LIMITS.listItems} items`;
    if (value.some((v) => typeof v === 'string' && v.length > METADATA_LIMITS.stringChars))
      return `has an item longer than ${METADATA_LIMITS.stringChars} characters`;
  }
  return undefined;
}

/**
 * RE2 and a JavaScript RegExp agree on most patterns, not all: `\s` and `.` treat some Unicode
 * spaces and line separators differently, and RE2 refuses lookaround and backreferences (a value
 * is then refused rather than matched by a backtracking engine). A run recorded before patterns
 * were RE2 whose metadata change hit such a difference would decide otherwise on replay; this is
 * accepted (docs/security.md) rather than keeping a backtracking engine in the workflow.
 */
function matchesPattern(pattern: string, value: string): boolean | 'unsupported' {
  try {
    return compilePattern(pattern).matcher(value).find();
  } catch {
    return 'unsupported';
  }
}

function problemOf(field: FieldPlan, value: unknown): string | undefined {
  switch (field.type) {
    case 'string':
      if (typeof value !== 'string') return 'must be a string';
      if (!field.pattern) return undefined;
      switch (matchesPattern(field.pattern, value)) {
        case true:
          return undefined;
        case false:
          return `must match ${field.pattern}`;
        default:
          return `cannot be checked: the rule set's pattern ${field.pattern} is not supported (ask its author to fix it)`;
      }
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

/** Refuses (400 METADATA_INVALID, naming each field) metadata over the size limits; a change at the edge. */
export function refuseOversizedMetadata(set: Record<string, unknown>): void {
  const tooLarge = metadataSizeProblems(set);
  if (Object.keys(tooLarge).length > 0)
    throw new AssetflowError(
      ErrorCodes.METADATA_INVALID,
      Object.entries(tooLarge)
        .map(([field, problem]) => `${field === '*' ? 'metadata' : field} ${problem}`)
        .join('; '),
      400,
      { fields: tooLarge },
    );
}
