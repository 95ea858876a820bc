/**
 * NUL (U+0000) and lone UTF-16 surrogates (half of a pair, e.g. `"\ud800"` in JSON): text that
 * PostgreSQL's text and jsonb cannot store. With the `u` flag a well-formed pair is one code point
 * above U+FFFF, so only an unpaired half matches the range. Linear: one character class.
 */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
const unstorable = (text: string) => text.includes('\u0000') || LONE_SURROGATE.test(text);

/**
 * Where a value holds unstorable text, as a dotted path ('' for the value itself), or undefined.
 * Keys count as well as values. Input carrying it is refused at the edge (400) instead of failing
 * as a database error (500).
 */
export function unstorableTextAt(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return unstorable(value) ? path : undefined;
  if (!value || typeof value !== 'object') return undefined;
  for (const [key, item] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    if (unstorable(key)) return at;
    const found = unstorableTextAt(item, at);
    if (found !== undefined) return found;
  }
  return undefined;
}

export const UNSTORABLE_TEXT = 'a NUL character or a lone surrogate (text PostgreSQL cannot store)';
