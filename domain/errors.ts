/**
 * The one catalogue of error codes Assetflow reports. Codes are stable strings that clients may
 * switch on; messages are for people and may change.
 */
export const ErrorCodes = {
  CONFIG_INVALID: 'CONFIG_INVALID',
  TOOLCHAIN_UNAVAILABLE: 'TOOLCHAIN_UNAVAILABLE',
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  FILE_MISSING: 'FILE_MISSING',
  FILE_EMPTY: 'FILE_EMPTY',
  FILE_TOO_LARGE: 'FILE_TOO_LARGE',
  TOO_MANY_FILES: 'TOO_MANY_FILES',
  MULTIPART_INVALID: 'MULTIPART_INVALID',
  METADATA_INVALID: 'METADATA_INVALID',
  RULE_SET_UNKNOWN: 'RULE_SET_UNKNOWN',
  RULE_SET_INVALID: 'RULE_SET_INVALID',
  RULE_SET_NOT_FOUND: 'RULE_SET_NOT_FOUND',
  DRY_RUN_INVALID: 'DRY_RUN_INVALID',
  ASSET_NOT_FOUND: 'ASSET_NOT_FOUND',
  ROUTE_NOT_FOUND: 'ROUTE_NOT_FOUND',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  INTERNAL: 'INTERNAL',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/**
 * Base class for every error Assetflow raises on purpose. `status` is the HTTP status the API
 * answers with; `details` is JSON that helps the caller fix the request (a key, a line and column).
 */
export class AssetflowError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly status = 400,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AssetflowError';
  }
}

export function isAssetflowError(value: unknown): value is AssetflowError {
  return value instanceof AssetflowError;
}
