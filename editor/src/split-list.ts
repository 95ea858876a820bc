/** `'a, b,,c '` → `['a', 'b', 'c']`: the words of a comma-separated field, empty ones dropped. */
export function splitList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
