const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether a string is a UUID. Ids from a request are checked before they reach a `uuid` column,
 * where anything else is a database error (a 500) instead of the 404 a stranger's id deserves.
 */
export function isUuid(value: string | undefined): value is string {
  return value !== undefined && UUID.test(value);
}
