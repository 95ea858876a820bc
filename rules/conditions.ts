import { Environment } from '@marcbachmann/cel-js';
import type { FieldDefinition, FieldType } from './document';

/**
 * Conditions are CEL (https://cel.dev): a small, side-effect-free expression language with a
 * type checker. Nothing is ever `eval`ed. The same environment serves the compiler (type-checking
 * against the fields a rule set declares), the dry-run, the server and the workflow sandbox.
 *
 * Variables a condition may use:
 *   metadata.<field>  the fields the rule set declares, typed as declared
 *   asset.*           what Assetflow knows about the asset (kind, name, format, width, tags, …)
 *   request.*         the download or share request being decided (audience, rendition, user, …)
 *   now               the time of evaluation (workflow time inside workflows)
 */

const CEL_TYPE_OF_FIELD: Record<FieldType, string> = {
  string: 'string',
  int: 'int',
  number: 'double',
  bool: 'bool',
  date: 'google.protobuf.Timestamp',
  enum: 'string',
  list: 'list<string>',
};

/** Asset properties available to conditions, and their CEL types. */
export const ASSET_VARIABLES = {
  kind: 'string',
  name: 'string',
  format: 'string',
  width: 'int',
  height: 'int',
  sizeBytes: 'int',
  state: 'string',
  frozen: 'bool',
  tags: 'list<string>',
  colours: 'list<string>',
  category: 'string',
} as const;

/** Request properties (download, share) available to conditions. */
export const REQUEST_VARIABLES = {
  audience: 'string',
  rendition: 'string',
  user: 'string',
  email: 'string',
  roles: 'list<string>',
  external: 'bool',
} as const;

export type FieldDeclarations = Record<string, Pick<FieldDefinition, 'type'>>;

/**
 * Conditions are written by rule authors but evaluated on values any uploader or editor supplies,
 * in the API, the dry-run and the workflow sandbox, where no timer can interrupt them. Their cost
 * is bounded by their shape instead: a small syntax tree, short list literals, at most two nested
 * comprehensions (so a body runs at most list² times), and no `matches()` — cel-js runs it with a
 * backtracking RegExp, which a crafted value can keep busy for minutes. A time budget would not do
 * in a workflow: how far a condition got before a deadline is not deterministic on replay.
 */
const CONDITION_LIMITS = {
  maxAstNodes: 500,
  maxDepth: 40,
  maxListElements: 100,
  maxMapEntries: 100,
  maxCallArguments: 16,
};
const COMPREHENSIONS = new Set(['all', 'exists', 'exists_one', 'map', 'filter']);
const MAX_NESTED_COMPREHENSIONS = 2;

interface CelNode {
  op: string;
  args: unknown;
  start?: number;
}

/** What makes a parsed condition too costly to run on user input, if anything. */
function costProblem(ast: CelNode): { message: string; offset: number } | undefined {
  const stack: [CelNode, number][] = [[ast, 0]];
  while (stack.length > 0) {
    const [node, nesting] = stack.pop() as [CelNode, number];
    const args = Array.isArray(node.args) ? node.args : [];
    const name = (node.op === 'rcall' || node.op === 'call') && typeof args[0] === 'string' ? args[0] : '';
    if (name === 'matches')
      return {
        message:
          'matches() is not available: a regular expression in a condition could run for minutes on a crafted value; use startsWith(), endsWith() or contains(), or a field pattern',
        offset: node.start ?? 0,
      };
    const inner = node.op === 'rcall' && COMPREHENSIONS.has(name) ? nesting + 1 : nesting;
    if (inner > MAX_NESTED_COMPREHENSIONS)
      return {
        message: `at most ${MAX_NESTED_COMPREHENSIONS} comprehensions (all, exists, map, filter) may be nested`,
        offset: node.start ?? 0,
      };
    for (const arg of args.flat())
      if (arg && typeof arg === 'object' && 'op' in arg) stack.push([arg as CelNode, inner]);
  }
  return undefined;
}

const environments = new WeakMap<FieldDeclarations, Environment>();
/** Parsed programs per environment: a condition is parsed once, then only evaluated. */
const programs = new WeakMap<Environment, Map<string, ReturnType<Environment['parse']>>>();
const MAX_CACHED_PROGRAMS = 1000;

function programFor(env: Environment, expression: string): ReturnType<Environment['parse']> {
  let cache = programs.get(env);
  if (!cache) {
    cache = new Map();
    programs.set(env, cache);
  }
  let program = cache.get(expression);
  if (!program) {
    if (cache.size >= MAX_CACHED_PROGRAMS) cache.clear();
    program = env.parse(expression);
    const tooCostly = costProblem(program.ast as CelNode);
    if (tooCostly) {
      // A plan published before these limits: the condition is an error (not met), never run.
      const message = tooCostly.message;
      program = Object.assign(
        () => {
          throw new Error(message);
        },
        { ast: program.ast },
      ) as unknown as typeof program;
    }
    cache.set(expression, program);
  }
  return program;
}

/** The CEL environment for a rule set's fields; built once per declarations object. */
export function conditionEnvironment(fields: FieldDeclarations): Environment {
  const cached = environments.get(fields);
  if (cached) return cached;
  const env = new Environment({ unlistedVariablesAreDyn: false, limits: CONDITION_LIMITS });
  const metadataSchema: Record<string, string> = {};
  for (const name of Object.keys(fields).sort()) {
    const field = fields[name];
    if (field) metadataSchema[name] = CEL_TYPE_OF_FIELD[field.type];
  }
  env.registerVariable({ name: 'metadata', schema: metadataSchema });
  env.registerVariable({ name: 'asset', schema: { ...ASSET_VARIABLES } });
  env.registerVariable({ name: 'request', schema: { ...REQUEST_VARIABLES } });
  env.registerVariable('now', 'google.protobuf.Timestamp');
  environments.set(fields, env);
  return env;
}

export type ConditionCheck =
  | { ok: true }
  | { ok: false; kind: 'syntax' | 'type'; message: string; offset: number };

/** Parses and type-checks a condition; it must be boolean. */
export function checkCondition(fields: FieldDeclarations, expression: string): ConditionCheck {
  let result: ReturnType<Environment['check']>;
  try {
    result = conditionEnvironment(fields).check(expression);
  } catch (error) {
    return { ok: false, kind: 'syntax', message: firstLine(error), offset: offsetOf(error) };
  }
  if (!result.valid) {
    const error = result.error;
    const kind = error?.name === 'ParseError' ? 'syntax' : 'type';
    return { ok: false, kind, message: firstLine(error), offset: offsetOf(error) };
  }
  // The program the evaluator will use (parsed once, cached): its tree is what is measured.
  const tooCostly = costProblem(programFor(conditionEnvironment(fields), expression).ast as CelNode);
  if (tooCostly) return { ok: false, kind: 'type', ...tooCostly };
  if (result.type !== 'bool') {
    return {
      ok: false,
      kind: 'type',
      message: `a condition must be bool, this one is ${result.type}`,
      offset: 0,
    };
  }
  return { ok: true };
}

/** What a condition is evaluated against, in plain JSON (as stored in workflow state). */
export interface ConditionInput {
  metadata?: Record<string, unknown>;
  asset?: Partial<Record<keyof typeof ASSET_VARIABLES, unknown>>;
  request?: Partial<Record<keyof typeof REQUEST_VARIABLES, unknown>>;
  /** ISO-8601 time of evaluation. */
  now: string;
  /**
   * Evaluate timestamps as workflows recorded before the sandbox fix did (see `timestamp`): a
   * date or `now` read inside the sandbox is an error, so the condition does not hold. Only for
   * replaying runs that predate the fix; everything else leaves it unset.
   */
  legacyTimestamps?: boolean;
}

export type ConditionResult = { ok: true; value: boolean } | { ok: false; error: string };

/**
 * Evaluates a checked condition. Missing optional values are absent (test them with `has()`);
 * a runtime error (e.g. reading an absent field) is returned, never thrown, and callers treat it
 * as "condition not met" while recording the error.
 */
export function evaluateCondition(
  fields: FieldDeclarations,
  expression: string,
  input: ConditionInput,
): ConditionResult {
  try {
    const value = programFor(conditionEnvironment(fields), expression)(toCelContext(fields, input));
    return typeof value === 'boolean'
      ? { ok: true, value }
      : { ok: false, error: `condition returned ${typeof value}, not bool` };
  } catch (error) {
    return { ok: false, error: firstLine(error) };
  }
}

/** JSON values → CEL values: ints as BigInt, dates as Date, absent values left out. */
function toCelContext(fields: FieldDeclarations, input: ConditionInput): Record<string, unknown> {
  const stamp = input.legacyTimestamps ? (ms: number) => new Date(ms) : timestamp;
  const metadata: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(input.metadata ?? {})) {
    const field = fields[name];
    if (!field || value === null || value === undefined) continue;
    const converted = convert(field.type, value, stamp);
    if (converted !== undefined) metadata[name] = converted;
  }
  const asset: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(input.asset ?? {})) {
    const type = (ASSET_VARIABLES as Record<string, string>)[name];
    if (type && value !== null && value !== undefined) asset[name] = convertCel(type, value, stamp);
  }
  const request: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(input.request ?? {})) {
    const type = (REQUEST_VARIABLES as Record<string, string>)[name];
    if (type && value !== null && value !== undefined) request[name] = convertCel(type, value, stamp);
  }
  return { metadata, asset, request, now: stamp(Date.parse(input.now)) };
}

/**
 * A CEL timestamp. CEL knows timestamps by their constructor (`Date`, as it was when the library
 * loaded). Inside Temporal's workflow sandbox `Date` is replaced by a deterministic function
 * whose instances are still made by the original class, so their `constructor` is not the `Date`
 * CEL registered and every condition reading a date or `now` failed there with "Unsupported
 * type: Date" — while the same condition held in the dry-run. The instance is told which `Date`
 * it belongs to; outside the sandbox the two are the same and nothing changes.
 */
function timestamp(ms: number): Date {
  const date = new Date(ms);
  if (date.constructor !== Date) Object.defineProperty(date, 'constructor', { value: Date });
  return date;
}

function convert(type: FieldType, value: unknown, stamp: (ms: number) => Date): unknown {
  return convertCel(CEL_TYPE_OF_FIELD[type], value, stamp);
}

function convertCel(celType: string, value: unknown, stamp: (ms: number) => Date): unknown {
  switch (celType) {
    case 'int':
      return typeof value === 'number' && Number.isInteger(value)
        ? BigInt(value)
        : typeof value === 'bigint'
          ? value
          : undefined;
    case 'double':
      return typeof value === 'number' ? value : undefined;
    case 'bool':
      return typeof value === 'boolean' ? value : undefined;
    case 'google.protobuf.Timestamp': {
      const time = typeof value === 'string' ? Date.parse(value) : Number.NaN;
      return Number.isNaN(time) ? undefined : stamp(time);
    }
    case 'list<string>':
      return Array.isArray(value) ? value.map(String) : undefined;
    default:
      return typeof value === 'string' ? value : undefined;
  }
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}

function offsetOf(error: unknown): number {
  const pos = (error as { node?: { pos?: unknown } } | undefined)?.node?.pos;
  return typeof pos === 'number' ? pos : 0;
}
