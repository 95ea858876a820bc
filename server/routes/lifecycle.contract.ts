import { ASSET_KINDS } from '../../rules/plan';
import { operation } from '../contract/operation';
import {
  Closed,
  component,
  FreeObject,
  Nullable,
  StringEnum,
  Timestamp,
  Type,
  Uuid,
  versionNumber,
} from '../contract/schema';
import { ApprovalDecision } from './approvals.contract';
import {
  AssetState,
  assetParams,
  Compliance,
  FieldSource,
  Hold,
  TagSource,
  Transition,
  Trashed,
} from './assets.contract';
import { ruleSetParams } from './rule-sets.contract';

const BUSINESS_EVENTS = ['delisting', 'end-of-production'] as const;

/**
 * What the asset's workflow knows (lifecycle/engine.ts `viewOf`): its state and every timer it
 * waits on with its date. Fields added by later engine revisions are absent in older runs.
 */
export const LifecycleView = component(
  'LifecycleView',
  Closed({
    assetId: Uuid,
    ruleSet: Closed({ name: Type.String(), version: Type.Integer({ minimum: 0 }) }),
    state: AssetState,
    timeline: Type.Array(Transition, { description: 'The latest entries (all are in /timeline)' }),
    version: Type.Integer({ minimum: 1, description: 'The latest version of the file' }),
    metadata: FreeObject,
    asset: Closed({
      name: Type.String(),
      kind: StringEnum(ASSET_KINDS),
      format: Type.Optional(Type.String()),
      width: Type.Optional(Type.Integer()),
      height: Type.Optional(Type.Integer()),
      tags: Type.Array(Type.String()),
    }),
    frozen: Nullable(Hold),
    legalHold: Nullable(Hold),
    tier: StringEnum(['hot', 'cold']),
    lastUsedAt: Timestamp,
    anchors: Closed(
      {
        upload: Timestamp,
        archive: Type.Optional(Timestamp),
        delisting: Type.Optional(Timestamp),
        'end-of-production': Type.Optional(Timestamp),
      },
      { description: 'When each retention anchor happened' },
    ),
    compliance: Compliance,
    approvals: Type.Optional(
      Type.Array(
        Closed({
          id: Type.String(),
          flow: Type.String(),
          status: StringEnum(['pending', 'approved', 'rejected']),
          requestedBy: Type.String(),
          audience: Type.String(),
          rendition: Type.String(),
          requestedAt: Timestamp,
          finishedAt: Type.Optional(Timestamp),
          decisions: Type.Optional(Type.Array(ApprovalDecision)),
        }),
      ),
    ),
    grants: Type.Optional(
      Type.Array(
        Closed({
          approvalId: Type.String(),
          user: Type.String(),
          rendition: Type.String(),
          expiresAt: Timestamp,
          audience: Type.Optional(Type.String()),
        }),
        { description: 'Time-limited download grants that approvals produced' },
      ),
    ),
    derivedTags: Type.Optional(Type.Array(Type.String())),
    migrations: Type.Optional(
      Type.Array(
        Closed({
          from: Type.Integer(),
          to: Type.Integer(),
          by: Type.String(),
          at: Timestamp,
        }),
      ),
    ),
    fieldSources: Type.Optional(Type.Record(Type.String(), FieldSource)),
    trashed: Type.Optional(Trashed),
    tagSources: Type.Optional(Type.Record(Type.String(), TagSource)),
    removedTags: Type.Optional(Type.Array(Type.String())),
    dimensions: Type.Optional(Type.Record(Type.String(), Type.Array(Type.String()))),
    revision: Type.Optional(Type.Integer({ description: 'The engine behaviour the asset runs under' })),
    enriching: Type.Optional(
      Type.Integer({
        minimum: 1,
        description: 'The version whose models (object detection, OCR) are running after it was stored',
      }),
    ),
    rights: Type.Optional(
      Closed({ noticeFor: Type.Optional(Type.String()), expiredFor: Type.Optional(Type.String()) }),
    ),
    archivedByEvents: Type.Optional(Type.Array(StringEnum(BUSINESS_EVENTS))),
    eventConditions: Type.Optional(
      Closed({
        delisting: Type.Optional(Type.Boolean()),
        'end-of-production': Type.Optional(Type.Boolean()),
      }),
    ),
    timers: Type.Array(
      Closed({
        kind: StringEnum(['validity', 'cold-tier', 'retention', 'rights-notice', 'rights-expiry', 'trash']),
        at: Timestamp,
        reason: Type.String(),
      }),
      { description: 'Every pending timer with its date, soonest first' },
    ),
  }),
);

const refused =
  'Refused by the asset workflow: ASSET_FROZEN, ASSET_PURGED, ASSET_ARCHIVED, ASSET_TRASHED, ASSET_TAKEN_DOWN, ASSET_NOT_READY';
const notEligible = 'NOT_ELIGIBLE: the rule set restricts this to roles the caller lacks';

/** A lifecycle change sent to the asset's workflow as an update; it answers the new view. */
export function lifecycleAction<B extends { json: ReturnType<typeof Closed>; required?: boolean }>(spec: {
  /** `post` for an act (freeze, archive…); `patch` for a change to part of the asset (tags, dimensions). */
  method?: 'post' | 'patch';
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  body: B;
  errors: { 400?: string; 403?: string; 404?: string; 409: string };
}) {
  return operation({
    method: spec.method ?? 'post',
    path: spec.path,
    operationId: spec.operationId,
    tag: 'Lifecycle',
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    params: assetParams,
    body: spec.body,
    responses: { 200: { description: 'The lifecycle view after the change', json: LifecycleView } },
    errors: { 404: 'ASSET_NOT_FOUND', ...spec.errors },
  });
}

const Empty = Closed({});
const noBody = { json: Empty, required: false };
const Reason = Type.String({ minLength: 1, maxLength: 500 });

export const getAssetLifecycle = operation({
  method: 'get',
  path: '/api/assets/{id}/lifecycle',
  operationId: 'getAssetLifecycle',
  tag: 'Lifecycle',
  summary:
    "The asset workflow's view: state, freeze, legal hold, tier, compliance, approvals, grants and every pending timer with its date",
  params: assetParams,
  responses: { 200: { description: 'The lifecycle view', json: LifecycleView } },
  errors: { 404: 'ASSET_NOT_FOUND' },
});

export const freezeAsset = lifecycleAction({
  path: '/api/assets/{id}/freeze',
  operationId: 'freezeAsset',
  summary: 'Freeze the asset read-only',
  description: 'Everyone who worked on the asset is told who froze it and why.',
  body: { json: Closed({ reason: Reason }) },
  errors: {
    400: 'REASON_REQUIRED: a blank reason',
    403: notEligible,
    409: `ALREADY_FROZEN; ${refused}`,
  },
});

export const unfreezeAsset = lifecycleAction({
  path: '/api/assets/{id}/unfreeze',
  operationId: 'unfreezeAsset',
  summary: 'Lift a freeze',
  body: noBody,
  errors: { 403: notEligible, 409: `NOT_FROZEN; ${refused}` },
});

export const archiveAsset = lifecycleAction({
  path: '/api/assets/{id}/archive',
  operationId: 'archiveAsset',
  summary: 'Archive the asset (starts retention counted from archive)',
  body: noBody,
  errors: { 409: `ALREADY_ARCHIVED; ${refused}` },
});

export const restoreAsset = lifecycleAction({
  path: '/api/assets/{id}/restore',
  operationId: 'restoreAsset',
  summary: 'Bring an archived or expired asset back',
  body: noBody,
  errors: {
    409: `NOT_ARCHIVED; VALIDITY_PASSED: its validity date is past (set a later one first); ${refused}`,
  },
});

export const setLegalHold = lifecycleAction({
  path: '/api/assets/{id}/legal-hold',
  operationId: 'setLegalHold',
  summary: 'Place or lift a legal hold; a hold postpones purge',
  body: { json: Closed({ on: Type.Boolean(), reason: Type.Optional(Reason) }) },
  errors: {
    400: 'REASON_REQUIRED: placing a hold needs a reason',
    403: notEligible,
    409: `ALREADY_ON_HOLD, NOT_ON_HOLD; ${refused}`,
  },
});

export const recordBusinessEvent = lifecycleAction({
  path: '/api/assets/{id}/events',
  operationId: 'recordBusinessEvent',
  summary: 'Record a business event',
  description:
    'Delisting and end of production tag and archive the asset and anchor retention; relisting and production-resumed undo them.',
  body: {
    json: Closed({
      event: StringEnum(['delisting', 'end-of-production', 'relisting', 'production-resumed']),
    }),
  },
  errors: { 409: `ALREADY_RECORDED; NOT_RECORDED (nothing to undo); ${refused}` },
});

export const startFlow = operation({
  method: 'post',
  path: '/api/assets/{id}/flows/{flow}',
  operationId: 'startFlow',
  tag: 'Lifecycle',
  summary: "Start a flow of the asset's rule set whose trigger is manual",
  params: Closed({ id: Uuid, flow: Type.String({ description: 'The flow’s name in the rule set' }) }),
  body: noBody,
  responses: { 200: { description: 'The lifecycle view after the change', json: LifecycleView } },
  errors: {
    400: 'FLOW_UNKNOWN: no such flow, or one that does not start by hand',
    404: 'ASSET_NOT_FOUND',
    409: refused,
  },
});

export const setAssetMetadata = operation({
  method: 'patch',
  path: '/api/assets/{id}/metadata',
  operationId: 'setAssetMetadata',
  tag: 'Lifecycle',
  summary: 'Change metadata fields',
  description:
    'The fields are checked against the rule set; a value set (or confirmed) by a person is theirs, no longer AI-filled.',
  params: assetParams,
  body: {
    json: Closed({
      set: Type.Record(Type.String(), Type.Unknown(), {
        minProperties: 1,
        description: 'Field → new value',
      }),
    }),
  },
  responses: { 200: { description: 'The lifecycle view after the change', json: LifecycleView } },
  errors: {
    400: 'METADATA_INVALID (a value too large, or not of its field’s type), UNKNOWN_FIELD',
    404: 'ASSET_NOT_FOUND',
    409: `ASSET_FROZEN: unfreeze it first; ${refused}`,
  },
});

const Allowed = Closed({ status: StringEnum(['allowed', 'granted']), rendition: Type.String() });
const Pending = Closed({
  status: Type.Literal('pending'),
  approvalId: Type.String(),
  flow: Type.String(),
});
const Restoring = Closed({ status: Type.Literal('restoring'), rendition: Type.String() });

export const requestDownload = operation({
  method: 'post',
  path: '/api/assets/{id}/download-requests',
  operationId: 'requestDownload',
  tag: 'Lifecycle',
  summary: 'Ask to download a rendition as an audience',
  description:
    'Membership of the audience comes from the caller’s roles and teams; the rule set decides whether the rendition is allowed, needs an approval, or has to come back from cold storage first.',
  params: assetParams,
  body: {
    json: Closed({ audience: Type.String({ minLength: 1 }), rendition: Type.String({ minLength: 1 }) }),
  },
  responses: {
    200: {
      description: '`allowed`, or `granted` by an earlier approval: download it now',
      json: Allowed,
    },
    202: {
      description:
        '`pending`: an approval flow decides (`approvalId`); or `restoring`: the original is coming back from cold storage (the caller is notified)',
      json: Type.Union([Pending, Restoring]),
    },
  },
  errors: {
    400: 'AUDIENCE_UNKNOWN',
    403: 'AUDIENCE_REFUSED, RENDITION_REFUSED, REGION_REFUSED',
    404: 'ASSET_NOT_FOUND',
    409: `ASSET_INCOMPLETE, RIGHTS_EXPIRED; ${refused}`,
  },
});

export const migrateRuleSet = operation({
  method: 'post',
  path: '/api/rule-sets/{name}/migrations',
  operationId: 'migrateRuleSet',
  tag: 'Rule sets',
  summary: 'Preview (default) or apply moving running assets to another version of their rule set',
  description:
    'With `dryRun` absent or true nothing moves; each asset lists what would change (timers with dates, retention, required fields). Only assets the caller may edit are moved or described; moving assets back to an older version is for administrators.',
  params: ruleSetParams,
  body: {
    json: Closed({
      toVersion: versionNumber('The version to move to'),
      assetIds: Type.Optional(Type.Array(Uuid, { maxItems: 10000 })),
      dryRun: Type.Optional(Type.Boolean()),
    }),
  },
  responses: {
    200: {
      description: 'Each asset with what changes, and with `dryRun: false` the result',
      json: Closed({
        ruleSet: Type.String(),
        toVersion: Type.Integer({ minimum: 1 }),
        dryRun: Type.Boolean(),
        assets: Type.Array(
          Closed({
            assetId: Uuid,
            fromVersion: Nullable(Type.Integer()),
            changes: Type.Array(
              Closed({
                kind: StringEnum(['timer', 'retention', 'required-fields', 'freeze', 'refused']),
                description: Type.String(),
                before: Nullable(Type.String()),
                after: Nullable(Type.String()),
              }),
            ),
            result: Type.Optional(
              Type.Union([Type.Literal('migrated'), Closed({ error: Type.String(), code: Type.String() })]),
            ),
          }),
        ),
      }),
    },
  },
  errors: {
    403: 'FORBIDDEN: only an administrator moves assets back to an older version',
    404: 'RULE_SET_NOT_FOUND: no such rule set version',
  },
});

export const lifecycleOperations = [
  getAssetLifecycle,
  freezeAsset,
  unfreezeAsset,
  archiveAsset,
  restoreAsset,
  setLegalHold,
  recordBusinessEvent,
  startFlow,
  setAssetMetadata,
  requestDownload,
  migrateRuleSet,
];
