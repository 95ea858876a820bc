import type { ErrorObject } from 'ajv';

/** Turns an ajv error into "temporal.devServer.port: must be integer" or "unknown key temporal.foo". */
export function describeAjvError(error: ErrorObject): string {
  const where = error.instancePath.split('/').filter(Boolean).join('.');
  if (error.keyword === 'additionalProperties') {
    const key = String((error.params as { additionalProperty: string }).additionalProperty);
    return `unknown key ${where ? `${where}.` : ''}${key}`;
  }
  if (error.keyword === 'enum') {
    const allowed = (error.params as { allowedValues: unknown[] }).allowedValues;
    return `${where}: must be one of ${allowed.join(', ')}`;
  }
  return `${where || '(root)'}: ${error.message ?? 'is invalid'}`;
}
