/**
 * `map[key]` for a name that came from outside (a URL, a request body, a file name): only the
 * map's own entries count, so `constructor` or `__proto__` is unknown rather than a function of
 * Object's prototype that a caller then fails on.
 */
export function own<T>(map: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}
