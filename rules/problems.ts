/**
 * A problem found in a rule set, located so a person can fix it: the file, the line and column
 * (1-based) and the JSON-pointer path inside the document. Compilation collects every problem,
 * not just the first.
 */
export interface RuleProblem {
  /** Stable, SCREAMING_SNAKE code, e.g. `YAML_SYNTAX`, `SCHEMA`, `UNKNOWN_NODE`, `CONDITION_TYPE`. */
  code: RuleProblemCode;
  message: string;
  /** JSON pointer into the document, e.g. `/flows/hi-res/nodes/review/approved`. */
  path: string;
  line?: number;
  column?: number;
  file?: string;
  severity: 'error' | 'warning';
}

export type RuleProblemCode =
  | 'YAML_SYNTAX'
  | 'TOO_LARGE'
  | 'NOT_A_MAPPING'
  | 'SCHEMA'
  | 'UNKNOWN_NODE'
  | 'UNREACHABLE_NODE'
  | 'CYCLE_WITHOUT_TIMEOUT'
  | 'START_NODE'
  | 'JOIN_WITHOUT_SPLIT'
  | 'SPLIT_WITHOUT_JOIN'
  | 'UNKNOWN_ROLE'
  | 'UNKNOWN_TEAM'
  | 'UNKNOWN_FIELD'
  | 'UNKNOWN_RENDITION'
  | 'UNKNOWN_AUDIENCE'
  | 'UNKNOWN_FLOW'
  | 'WRONG_FLOW_TRIGGER'
  | 'FIELD_DEFINITION'
  | 'NAMING_TEMPLATE'
  | 'CONDITION_SYNTAX'
  | 'CONDITION_TYPE'
  | 'SHARE_LINK_LIMITS'
  | 'ESCALATION';

/** `/a/b/0` ⇄ `['a', 'b', 0]`, with `~0`/`~1` escaping as RFC 6901 says. */
export function toPointer(segments: readonly (string | number)[]): string {
  return segments.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

export function fromPointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** "file:line:col: message (at /path)" — the one-line form the CLI prints. */
export function formatProblem(problem: RuleProblem): string {
  const where = [problem.file ?? '<rule set>', problem.line, problem.column]
    .filter((x) => x !== undefined)
    .join(':');
  return `${where}: ${problem.severity} ${problem.code}: ${problem.message}${problem.path ? ` (at ${problem.path})` : ''}`;
}
