/**
 * A PostgreSQL tsquery from word groups: every group must match (&), any word of a group (|).
 * Lexemes are quoted, so nothing a user types is read as tsquery syntax; Latin words of three
 * letters or more also match as prefixes (`post` finds `poster`).
 */
export function toTsquery(terms: string[][]): string | null {
  const groups = terms
    .map((group) => group.filter((w) => w.length > 0).map(lexeme))
    .filter((group) => group.length > 0)
    .map((group) => (group.length === 1 ? group[0]! : `(${group.join(' | ')})`));
  return groups.length > 0 ? groups.join(' & ') : null;
}

function lexeme(word: string): string {
  const quoted = `'${word.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
  return /^[a-z0-9]{3,}$/.test(word) ? `${quoted}:*` : quoted;
}
