/**
 * Naming conventions: a template such as `{brand}_{line}_{purpose}_V{version}_{date:YYYYMMDD}.{ext}`
 * is both a pattern a file name must match and a recipe to build the right name from metadata.
 * Placeholders are declared fields, or the built-ins `version`, `date` (the upload date, with an
 * optional format of YYYY, MM, DD) and `ext`.
 */
import { RE2JS } from 're2js';

export type NamingToken = { literal: string } | { field: string; format?: string };

export const BUILT_IN_PLACEHOLDERS = ['version', 'date', 'ext'] as const;

export function parseNamingTemplate(template: string): {
  tokens: NamingToken[];
  error?: { message: string; offset: number };
} {
  const tokens: NamingToken[] = [];
  const placeholder = /\{([A-Za-z][A-Za-z0-9_]*)(?::([A-Za-z]+))?\}/g;
  let last = 0;
  for (let m = placeholder.exec(template); m; m = placeholder.exec(template)) {
    if (m.index > last) tokens.push({ literal: template.slice(last, m.index) });
    tokens.push(m[2] ? { field: m[1]!, format: m[2] } : { field: m[1]! });
    last = m.index + m[0].length;
  }
  if (last < template.length) tokens.push({ literal: template.slice(last) });
  const stray = tokens.find((t): t is { literal: string } => 'literal' in t && /[{}]/.test(t.literal));
  if (stray)
    return {
      tokens,
      error: { message: `unbalanced brace in "${stray.literal}"`, offset: template.indexOf(stray.literal) },
    };
  return { tokens };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function patternOf(token: NamingToken): string {
  if ('literal' in token) return escapeRegex(token.literal);
  if (token.field === 'version') return '(\\d+)';
  if (token.field === 'ext') return '([A-Za-z0-9]+)';
  if (token.field === 'date') return `(\\d{${(token.format ?? 'YYYYMMDD').length}})`;
  return '([^/\\\\]+?)';
}

export interface NamingContext {
  metadata: Record<string, unknown>;
  version: number;
  /** ISO-8601 upload time. */
  date: string;
  /** Extension of the uploaded file, without the dot. */
  ext: string;
}

export type NamingVerdict =
  | { ok: true }
  | { ok: false; expected: string; suggestion?: string; missing: string[] };

/** Does `filename` follow the convention? If not, what should it be called? */
export function checkName(tokens: NamingToken[], filename: string, context: NamingContext): NamingVerdict {
  // RE2 (linear time, no backtracking): the file name is user input, and with several free
  // placeholders separated by characters they also match, a backtracking engine takes O(n^k).
  // RE2 gives the same leftmost-first groups a JavaScript RegExp would.
  const matcher = RE2JS.compile(`^${tokens.map(patternOf).join('')}$`).matcher(filename);
  const match = matcher.matches() ? (i: number) => matcher.group(i) : undefined;
  const expected = tokens
    .map((t) => ('literal' in t ? t.literal : `{${t.field}${t.format ? `:${t.format}` : ''}}`))
    .join('');
  if (match) {
    // The shape fits; the values that metadata knows must agree with it.
    let group = 1;
    const mismatched: string[] = [];
    for (const token of tokens) {
      if ('literal' in token) continue;
      const actual = match(group++);
      const wanted = placeholderValue(token, context);
      if (wanted !== undefined && token.field !== 'date' && token.field !== 'ext' && actual !== wanted)
        mismatched.push(token.field);
    }
    if (mismatched.length === 0) return { ok: true };
  }
  const missing: string[] = [];
  const parts = tokens.map((token) => {
    if ('literal' in token) return token.literal;
    const value = placeholderValue(token, context);
    if (value === undefined) missing.push(token.field);
    return value ?? '';
  });
  return missing.length === 0
    ? { ok: false, expected, suggestion: parts.join(''), missing }
    : { ok: false, expected, missing };
}

function placeholderValue(
  token: { field: string; format?: string },
  context: NamingContext,
): string | undefined {
  switch (token.field) {
    case 'version':
      return String(context.version);
    case 'ext':
      return context.ext;
    case 'date': {
      const d = new Date(context.date);
      const pad = (n: number, w: number) => String(n).padStart(w, '0');
      return (token.format ?? 'YYYYMMDD')
        .replace('YYYY', pad(d.getUTCFullYear(), 4))
        .replace('MM', pad(d.getUTCMonth() + 1, 2))
        .replace('DD', pad(d.getUTCDate(), 2));
    }
    default: {
      const value = context.metadata[token.field];
      return value === undefined || value === null || value === '' ? undefined : String(value);
    }
  }
}
