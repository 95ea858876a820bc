/**
 * The one catalogue of error codes Assetflow reports. Codes are stable strings that clients may
 * switch on; messages are for people and may change.
 */
export const ErrorCodes = {
  CONFIG_INVALID: 'CONFIG_INVALID',
  TOOLCHAIN_UNAVAILABLE: 'TOOLCHAIN_UNAVAILABLE',
  ALREADY_RUNNING: 'ALREADY_RUNNING',
  EMBEDDED_SERVER_FAILED: 'EMBEDDED_SERVER_FAILED',
  BACKUP_INVALID: 'BACKUP_INVALID',
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  FILE_MISSING: 'FILE_MISSING',
  FILE_EMPTY: 'FILE_EMPTY',
  FILE_TOO_LARGE: 'FILE_TOO_LARGE',
  TOO_MANY_FILES: 'TOO_MANY_FILES',
  MULTIPART_INVALID: 'MULTIPART_INVALID',
  FILE_TYPE_MISMATCH: 'FILE_TYPE_MISMATCH',
  FILE_CORRUPT: 'FILE_CORRUPT',
  IMAGE_TOO_LARGE: 'IMAGE_TOO_LARGE',
  DUPLICATE_ASSET: 'DUPLICATE_ASSET',
  NAME_NONCOMPLIANT: 'NAME_NONCOMPLIANT',
  BRAND_COLOURS_OFF: 'BRAND_COLOURS_OFF',
  THUMBNAIL_NOT_READY: 'THUMBNAIL_NOT_READY',
  TREE_NOT_FOUND: 'TREE_NOT_FOUND',
  INVALID_CREDENTIALS: 'INVALID_CREDENTIALS',
  TOO_MANY_ATTEMPTS: 'TOO_MANY_ATTEMPTS',
  NOT_SIGNED_IN: 'NOT_SIGNED_IN',
  FORBIDDEN: 'FORBIDDEN',
  CROSS_SITE_REQUEST: 'CROSS_SITE_REQUEST',
  TOO_MANY_UPLOADS: 'TOO_MANY_UPLOADS',
  PROJECT_NOT_FOUND: 'PROJECT_NOT_FOUND',
  PROJECT_EXISTS: 'PROJECT_EXISTS',
  USER_EXISTS: 'USER_EXISTS',
  USER_NOT_FOUND: 'USER_NOT_FOUND',
  TOKEN_NOT_FOUND: 'TOKEN_NOT_FOUND',
  SESSION_NOT_FOUND: 'SESSION_NOT_FOUND',
  /** A password shorter than the minimum, or a new password equal to the current one. */
  PASSWORD_TOO_WEAK: 'PASSWORD_TOO_WEAK',
  /** An administrator may not disable themselves nor drop their own administrator role. */
  OWN_ACCOUNT: 'OWN_ACCOUNT',
  /** Too many event streams open (per user or in all). */
  TOO_MANY_STREAMS: 'TOO_MANY_STREAMS',
  /** A share link locked after too many wrong passwords from anywhere. */
  SHARE_LOCKED: 'SHARE_LOCKED',
  /** Password hashing is at capacity (a flood of sign-ins): retry shortly. */
  SERVER_BUSY: 'SERVER_BUSY',
  SHARE_NOT_FOUND: 'SHARE_NOT_FOUND',
  SHARE_INVALID: 'SHARE_INVALID',
  APPROVAL_REQUIRED: 'APPROVAL_REQUIRED',
  COMMENT_NOT_FOUND: 'COMMENT_NOT_FOUND',
  NOTIFICATION_NOT_FOUND: 'NOTIFICATION_NOT_FOUND',
  SAVED_SEARCH_NOT_FOUND: 'SAVED_SEARCH_NOT_FOUND',
  /** A person may keep only so many saved searches; delete one first. */
  TOO_MANY_SAVED_SEARCHES: 'TOO_MANY_SAVED_SEARCHES',
  COLLECTION_NOT_FOUND: 'COLLECTION_NOT_FOUND',
  /** A person may keep only so many collections; delete one first. */
  TOO_MANY_COLLECTIONS: 'TOO_MANY_COLLECTIONS',
  VERSION_NOT_FOUND: 'VERSION_NOT_FOUND',
  RENDITION_UNKNOWN: 'RENDITION_UNKNOWN',
  CHANNEL_UNKNOWN: 'CHANNEL_UNKNOWN',
  METADATA_INVALID: 'METADATA_INVALID',
  RULE_SET_UNKNOWN: 'RULE_SET_UNKNOWN',
  RULE_SET_INVALID: 'RULE_SET_INVALID',
  RULE_SET_NOT_FOUND: 'RULE_SET_NOT_FOUND',
  DRY_RUN_INVALID: 'DRY_RUN_INVALID',
  APPROVAL_NOT_FOUND: 'APPROVAL_NOT_FOUND',
  /** A bulk edit that does not exist, or that someone else started. */
  BATCH_NOT_FOUND: 'BATCH_NOT_FOUND',
  // Refusals by an asset's or an approval's workflow (update validators), passed through as they are.
  ASSET_FROZEN: 'ASSET_FROZEN',
  ASSET_PURGED: 'ASSET_PURGED',
  ASSET_TAKEN_DOWN: 'ASSET_TAKEN_DOWN',
  ALREADY_FROZEN: 'ALREADY_FROZEN',
  NOT_FROZEN: 'NOT_FROZEN',
  ALREADY_ARCHIVED: 'ALREADY_ARCHIVED',
  NOT_ARCHIVED: 'NOT_ARCHIVED',
  ALREADY_ON_HOLD: 'ALREADY_ON_HOLD',
  NOT_ON_HOLD: 'NOT_ON_HOLD',
  ALREADY_RECORDED: 'ALREADY_RECORDED',
  REASON_REQUIRED: 'REASON_REQUIRED',
  UNKNOWN_FIELD: 'UNKNOWN_FIELD',
  AUDIENCE_UNKNOWN: 'AUDIENCE_UNKNOWN',
  AUDIENCE_REFUSED: 'AUDIENCE_REFUSED',
  RENDITION_REFUSED: 'RENDITION_REFUSED',
  NOT_ELIGIBLE: 'NOT_ELIGIBLE',
  ALREADY_DECIDED: 'ALREADY_DECIDED',
  /** Separation of duties: the requester may not approve their own request. */
  OWN_REQUEST: 'OWN_REQUEST',
  /** A live asset that may not leave: required fields are missing (see compliance.missingFields). */
  ASSET_INCOMPLETE: 'ASSET_INCOMPLETE',
  /** The asset's rights (e.g. a model release) have ended: nothing of it may leave. */
  RIGHTS_EXPIRED: 'RIGHTS_EXPIRED',
  /** The asset may be used only in one region, which the audience does not serve. */
  REGION_REFUSED: 'REGION_REFUSED',
  /** Undoing a business event that was not recorded. */
  NOT_RECORDED: 'NOT_RECORDED',
  /** A rendition approved per person (a download grant) cannot be put in a share link. */
  GRANT_NOT_SHAREABLE: 'GRANT_NOT_SHAREABLE',
  /** An upload lacks required fields whose rule refuses the upload (`whenMissing: refuse`). */
  REQUIRED_FIELDS_MISSING: 'REQUIRED_FIELDS_MISSING',
  /** Separation of duties: one person may not approve two steps of one flow. */
  APPROVED_ANOTHER_STEP: 'APPROVED_ANOTHER_STEP',
  NOT_WAITING: 'NOT_WAITING',
  FLOW_FINISHED: 'FLOW_FINISHED',
  RULE_SET_MISMATCH: 'RULE_SET_MISMATCH',
  ALREADY_ON_VERSION: 'ALREADY_ON_VERSION',
  VALIDITY_PASSED: 'VALIDITY_PASSED',
  ASSET_ARCHIVED: 'ASSET_ARCHIVED',
  /** The asset is in the trash: restore it from the trash first. */
  ASSET_TRASHED: 'ASSET_TRASHED',
  /** Restoring from the trash an asset that is not in it. */
  NOT_IN_TRASH: 'NOT_IN_TRASH',
  /** Removing a tag a rule gives (a compliance tag): change what the rule reads instead. */
  TAG_FROM_RULE: 'TAG_FROM_RULE',
  /** Removing or confirming a tag the asset does not have. */
  TAG_UNKNOWN: 'TAG_UNKNOWN',
  /** A tag that is empty, too long, or too many tags at once. */
  TAG_INVALID: 'TAG_INVALID',
  /** An upload's Idempotency-Key already made an asset of another file (or that request still runs). */
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
  /** Moving an asset to the project it is in. */
  ALREADY_IN_PROJECT: 'ALREADY_IN_PROJECT',
  /** The asset may not be deleted: it is on legal hold. */
  ON_LEGAL_HOLD: 'ON_LEGAL_HOLD',
  /** The asset may not be deleted: a retention rule keeps it (forever, or until a date). */
  RETENTION_KEEPS: 'RETENTION_KEEPS',
  ASSET_NOT_READY: 'ASSET_NOT_READY',
  FLOW_UNKNOWN: 'FLOW_UNKNOWN',
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

/** HTTP status of a workflow's refusal: 403 when the person may not, 400 for bad input, else 409 (state conflict). */
export function statusOfRefusal(code: string): number {
  if (
    code === 'NOT_ELIGIBLE' ||
    code === 'AUDIENCE_REFUSED' ||
    code === 'RENDITION_REFUSED' ||
    code === 'OWN_REQUEST' ||
    code === 'REGION_REFUSED' ||
    code === 'GRANT_NOT_SHAREABLE' ||
    code === 'APPROVED_ANOTHER_STEP'
  )
    return 403;
  if (
    code === 'REASON_REQUIRED' ||
    code === 'UNKNOWN_FIELD' ||
    code === 'AUDIENCE_UNKNOWN' ||
    code === 'METADATA_INVALID' ||
    code === 'TAG_INVALID' ||
    code === 'FLOW_UNKNOWN'
  )
    return 400;
  return 409;
}

export function isErrorCode(value: string): value is ErrorCode {
  return (Object.values(ErrorCodes) as string[]).includes(value);
}

/** 413 for an image above the pixel limit, told from its header before anything decodes it. */
export function imageTooLarge(
  subject: string,
  size: { width: number; height: number },
  maxPixels: number,
  details: Record<string, unknown> = {},
): AssetflowError {
  const { width, height } = size;
  return new AssetflowError(
    ErrorCodes.IMAGE_TOO_LARGE,
    `${subject} is ${width}×${height} (${width * height} pixels), above the limit of ${maxPixels} pixels.`,
    413,
    { ...details, width, height, maxPixels },
  );
}

/** 429 for a rate limit, with how long to wait (also in `details.retryAfterSeconds`). */
export function tooManyAttempts(what: string, msBeforeNext: number): AssetflowError {
  const seconds = Math.ceil(msBeforeNext / 1000);
  return new AssetflowError(
    ErrorCodes.TOO_MANY_ATTEMPTS,
    `Too many ${what}; try again in ${seconds} s.`,
    429,
    {
      retryAfterSeconds: seconds,
    },
  );
}
