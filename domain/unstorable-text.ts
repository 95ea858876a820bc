/**
 * NUL (U+0000) and lone UTF-16 surrogates (half of a pair, e.g. `"\ud800"` in JSON): text that
 * PostgreSQL's text and jsonb cannot store. With the `u` flag a well-formed pair is one code point
 * above U+FFFF, so only an unpaired half matches the range.
 */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
const unstorable = (text: string) => text.includes('\u0000') || LONE_SURROGATE.test(text);

/**
 * Where a value holds unstorable text, as a dotted path ('' for the value itself), or undefined.
 * Keys count as well as values; bytes (a Buffer) are not text and are not looked into. Walked with
 * a stack of its own, not recursion, so no depth of nesting can overflow the call stack. Input
 * carrying such text is refused at the edge (400) instead of failing as a database error (500).
 */
export function unstorableTextAt(value: unknown): string | undefined {
  const pending: Array<[unknown, string]> = [[value, '']];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [item, path] = next;
    if (typeof item === 'string') {
      if (unstorable(item)) return path;
    } else if (item && typeof item === 'object' && !ArrayBuffer.isView(item)) {
      for (const [key, child] of Object.entries(item)) {
        const at = path ? `${path}.${key}` : key;
        if (unstorable(key)) return at;
        pending.push([child, at]);
      }
    }
  }
  return undefined;
}

export const UNSTORABLE_TEXT = 'a NUL character or a lone surrogate (text PostgreSQL cannot store)';
