/**
 * Where a value holds a NUL character (U+0000), as a dotted path ('' for the value itself), or
 * undefined. PostgreSQL text and jsonb cannot store one, so input carrying it is refused at the
 * edge instead of failing as a database error. Keys count as well as values.
 */
export function nulCharacterAt(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (!value || typeof value !== 'object') return undefined;
  for (const [key, item] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    if (key.includes('\u0000')) return at;
    const found = nulCharacterAt(item, at);
    if (found !== undefined) return found;
  }
  return undefined;
}
