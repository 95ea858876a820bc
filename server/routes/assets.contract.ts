import { type AssetKind, AssetStates } from '../../domain/asset';
import { ASSET_KINDS } from '../../rules/plan';
import { operation } from '../contract/operation';
import {
  Closed,
  component,
  FreeObject,
  Nullable,
  Sha256,
  StringEnum,
  Timestamp,
  Type,
  Uuid,
} from '../contract/schema';

/** The asset a path names (policy/endpoints.ts answers 404 for anything but a visible asset's UUID). */
export const AssetId = Uuid;
export const assetParams = Closed({ id: AssetId });

/** Lifecycle states (domain/asset.ts); `created` until ingest has stored the file. */
export const AssetState = component('AssetState', StringEnum(AssetStates));

/** What an asset is; `unknown` until ingest has looked at its bytes (domain/asset.ts). */
const KINDS = ['unknown', ...ASSET_KINDS] as const satisfies readonly AssetKind[];
export const AssetKindSchema = component('AssetKind', StringEnum(KINDS));

/** Who froze an asset or put it on legal hold, why and when. */
export const Hold = component('Hold', Closed({ by: Type.String(), reason: Type.String(), at: Timestamp }));

export const FieldSource = component(
  'FieldSource',
  Type.Union([
    Closed({
      source: Type.Literal('ai'),
      confidence: Type.Number({ minimum: 0, maximum: 1 }),
      tag: Type.String(),
      at: Timestamp,
    }),
    Closed({ source: Type.Literal('user'), by: Type.String(), at: Timestamp }),
  ]),
);

/** What the rule set's checks found (lifecycle/asset-rules.ts `complianceOf`). */
export const Compliance = component(
  'Compliance',
  Closed({
    naming: Nullable(
      Closed({
        ok: Type.Boolean(),
        policy: StringEnum(['reject', 'rename', 'warn']),
        expected: Type.Optional(Type.String()),
        suggestion: Type.Optional(Type.String()),
      }),
    ),
    missingFields: Type.Array(Type.String()),
    complianceTags: Type.Array(Type.String()),
    brandColours: Type.Optional(
      Closed({
        ok: Type.Boolean(),
        policy: StringEnum(['reject', 'warn']),
        worstDeltaE: Nullable(Type.Number()),
      }),
    ),
    withheld: Type.Optional(
      Nullable(
        Closed({
          code: Type.String({ description: 'ASSET_INCOMPLETE or RIGHTS_EXPIRED' }),
          message: Type.String(),
        }),
      ),
    ),
    fieldSources: Type.Optional(
      Type.Record(Type.String(), FieldSource, {
        description: 'Where metadata values came from when not from the uploader',
      }),
    ),
  }),
);

const Thumbnail = Closed({
  preset: Type.String(),
  key: Type.Optional(Type.String()),
  mediaType: Type.String(),
  width: Type.Integer(),
  height: Type.Integer(),
});

/**
 * What ingest found in a version (domain/asset.ts `VersionAnalysis`). The fields clients use are
 * described; analyses recorded by older versions of ingest may lack some or carry others.
 */
export const VersionAnalysis = component(
  'VersionAnalysis',
  Type.Object(
    {
      kind: StringEnum(['image', 'generic']),
      mediaType: Type.Optional(Type.String({ description: 'The type found from the content' })),
      format: Type.Optional(Type.String()),
      width: Type.Optional(Type.Integer()),
      height: Type.Optional(Type.Integer()),
      reason: Type.Optional(Type.String({ description: 'generic: why it is not an image' })),
      embedded: Type.Optional(FreeObject),
      colours: Type.Optional(FreeObject),
      brandColours: Type.Optional(FreeObject),
      perceptualHash: Type.Optional(Type.String()),
      tags: Type.Optional(
        Type.Array(
          Closed({
            name: Type.String(),
            source: StringEnum(['ai', 'rule', 'user']),
            confidence: Type.Number(),
          }),
        ),
      ),
      text: Type.Optional(Type.Array(Closed({ text: Type.String(), confidence: Type.Number() }))),
      preview: Type.Optional(FreeObject),
      thumbnail: Type.Optional(Thumbnail),
      enrichment: Type.Optional(
        Closed(
          {
            state: StringEnum(['pending', 'done', 'failed']),
            reason: Type.Optional(Type.String({ description: 'failed: why the models failed' })),
          },
          {
            description:
              'The models (object detection, OCR), which run after the asset is stored: `pending` while they run (the web app shows "tagging…"), then `done` or `failed`. Absent when no model had work.',
          },
        ),
      ),
    },
    {
      description:
        'What ingest found: media type from content, image format and size, EXIF/IPTC/XMP (`embedded`), `colours` (palette with English and Chinese names, tone), `brandColours` (ΔE00), `perceptualHash`, `tags` (name, source ai/rule/user, confidence), OCR `text`, `preview` (video/PDF facts or why none), `thumbnail`, and whether the models are still running (`enrichment`).',
    },
  ),
);

export const TagSource = component(
  'TagSource',
  Closed({ source: Type.Literal('user'), by: Type.String(), at: Timestamp }),
);

/** An asset in the trash: who, when, the state it left (restoring returns to it), when it is purged. */
export const Trashed = component(
  'Trashed',
  Closed({
    by: Type.String(),
    at: Timestamp,
    from: AssetState,
    purgeAt: Timestamp,
    reason: Type.Optional(Type.String()),
  }),
);

/** The API's view of an asset (server/asset.mapper.ts `toAssetResponse`). */
export const Asset = component(
  'Asset',
  Closed({
    id: Uuid,
    name: Type.String({ description: 'The uploaded file name, for display (Unicode kept)' }),
    state: AssetState,
    kind: AssetKindSchema,
    ruleSet: Type.String(),
    project: Type.String(),
    ruleSetVersion: Nullable(Type.Integer({ minimum: 1 })),
    workflowId: Type.String({ examples: ['asset-0b6f…'] }),
    metadata: FreeObject,
    tags: Type.Array(Type.String(), { description: 'From people, rules and ingest' }),
    frozen: Nullable(Hold),
    legalHold: Nullable(Hold),
    trashed: Nullable(Trashed),
    dimensions: Type.Record(Type.String(), Type.Array(Type.String()), {
      description: 'Dimension → values the asset is classified under',
    }),
    tagSources: Type.Record(Type.String(), TagSource, {
      description: 'Tags a person added or confirmed: who and when (the others come from ingest and rules)',
    }),
    tier: StringEnum(['hot', 'cold']),
    compliance: Nullable(Compliance),
    latestVersion: Closed({
      version: Type.Integer({ minimum: 1 }),
      sha256: Sha256,
      sizeBytes: Type.Integer({ minimum: 0 }),
      originalName: Type.String(),
      declaredMediaType: Type.String(),
      analysis: Nullable(VersionAnalysis),
      createdAt: Timestamp,
    }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  }),
);

const DuplicateMatch = component(
  'DuplicateMatch',
  Closed({
    assetId: Uuid,
    version: Type.Integer({ minimum: 1 }),
    ruleSet: Type.String(),
    kind: StringEnum(['exact', 'near']),
    similarity: Type.Number({ description: '1 for exact; 1 − d/64 for pHash Hamming distance d' }),
    distance: Type.Integer(),
  }),
);

/** One file of an upload: the asset, plus what the edge checks found (server/asset.mapper.ts). */
export const UploadedAsset = component(
  'UploadedAsset',
  Closed({
    ...Asset.properties,
    duplicates: Type.Array(DuplicateMatch, {
      description: 'Live versions with the same bytes (`exact`) or a similar image (`near`), best first',
    }),
    linkedAsVersion: Type.Optional(
      Type.Integer({ description: 'The file became this version of a matching asset' }),
    ),
    renamedFrom: Type.Optional(Type.String({ description: 'The naming policy renamed the file' })),
    namingWarning: Type.Optional(
      Closed({ expected: Type.String(), suggestion: Type.Optional(Type.String()) }),
    ),
  }),
);

export const Transition = component(
  'Transition',
  Closed({
    seq: Type.Integer({ minimum: 1 }),
    from: Nullable(AssetState),
    to: AssetState,
    at: Timestamp,
    reason: Type.String(),
    event: Type.Optional(Type.String({ description: 'frozen, metadata-changed…' })),
    by: Type.Optional(Type.String({ description: 'A user, or the rule or timer that acted' })),
  }),
);

const Timeline = component(
  'Timeline',
  Closed({ assetId: Uuid, state: AssetState, timeline: Type.Array(Transition) }),
);

const Binary = Type.String({ format: 'binary' });
const IDEMPOTENCY_KEY = '^[A-Za-z0-9._:-]{1,128}$';

const uploadErrors = {
  400:
    'MULTIPART_INVALID (malformed or interrupted), FILE_MISSING, FILE_EMPTY, METADATA_INVALID, ' +
    'RULE_SET_UNKNOWN, VALIDATION_FAILED (a file name over 255 bytes, a file field not named file, ' +
    'a field over 1 MiB, the query and the form naming different projects)',
  413: 'FILE_TOO_LARGE, TOO_MANY_FILES, IMAGE_TOO_LARGE (pixel limit)',
  415: 'MULTIPART_INVALID (not multipart/form-data), FILE_TYPE_MISMATCH (the name promises another type)',
  422: 'FILE_CORRUPT (cannot be decoded)',
} as const;

export const uploadAssets = operation({
  method: 'post',
  path: '/api/assets',
  operationId: 'uploadAssets',
  tag: 'Assets',
  summary: 'Upload one or more files as new assets',
  description:
    'Streams each `file` part into the content-addressed blob store, checks it at the edge (type from content, decodability, pixel limit, naming convention, brand palette when its policy rejects, exact and near duplicates), records the asset and starts its lifecycle workflow `asset-<id>`. One bad file refuses the whole batch and keeps nothing. One file answers with the asset, several with `{assets: [...]}`; each carries `duplicates` and, when the rule set said so, `linkedAsVersion` (the file became a new version of a matching asset), `renamedFrom` or `namingWarning`. The project may be named in the query (checked before a byte is read) or as a form field; the `default` project otherwise. With an `Idempotency-Key` header (one file per request) a retried request answers the asset the first one made (header `Idempotent-Replayed: true`) instead of making a second; the key is the uploader’s own, and reusing it for another file is refused.',
  headers: Type.Object({
    'Idempotency-Key': Type.Optional(
      Type.String({
        pattern: IDEMPOTENCY_KEY,
        description: 'Up to 128 letters, digits and ._:-; one key, one asset (per uploader)',
      }),
    ),
  }),
  query: Type.Object({
    project: Type.Optional(
      Type.String({ description: 'The project to upload into (edit needed), checked before the upload' }),
    ),
  }),
  body: {
    multipart: Type.Object({
      file: Type.Array(Binary, { description: 'One or more files' }),
      metadata: Type.Optional(
        Type.String({
          description: 'A JSON object; its fields are checked against the rule set (`validUntil`: ISO-8601)',
        }),
      ),
      dimensions: Type.Optional(
        Type.String({ description: 'A JSON object: dimension → value or values, from the rule set' }),
      ),
      ruleSet: Type.Optional(
        Type.String({ description: 'Name of the rule set to apply; the configured default otherwise' }),
      ),
      project: Type.Optional(Type.String({ description: 'The project, when the query does not name it' })),
    }),
  },
  responses: {
    201: {
      description: 'Created: one file answers the asset, several `{assets}`',
      json: Type.Union([UploadedAsset, Closed({ assets: Type.Array(UploadedAsset) })]),
    },
  },
  errors: {
    ...uploadErrors,
    403: 'FORBIDDEN: no edit level on the project',
    404: 'PROJECT_NOT_FOUND (also when not visible)',
    409: 'DUPLICATE_ASSET: the rule set blocks duplicates (`details.matches`); ASSET_FROZEN or another refusal of the asset a file was linked to as a version; IDEMPOTENCY_KEY_REUSED: the key made an asset of another file, or the same request is still running',
    422:
      `${uploadErrors[422]}, NAME_NONCOMPLIANT (naming policy reject; \`details.expected\`, \`suggestion\`), ` +
      'BRAND_COLOURS_OFF (ΔE per colour), REQUIRED_FIELDS_MISSING (`details.missing`)',
    429: 'TOO_MANY_UPLOADS: four uploads of the same person are already streaming',
  },
});

export const addAssetVersion = operation({
  method: 'post',
  path: '/api/assets/{id}/versions',
  operationId: 'addAssetVersion',
  tag: 'Assets',
  summary: 'Upload a new version of the asset',
  description:
    "The asset's workflow numbers the version, so concurrent uploads are serialised and none is lost; refused with 409 ASSET_FROZEN while the asset is frozen. With an `Idempotency-Key` header a retried request answers the version the first one made.",
  params: assetParams,
  headers: Type.Object({
    'Idempotency-Key': Type.Optional(
      Type.String({
        pattern: IDEMPOTENCY_KEY,
        description: 'Up to 128 letters, digits and ._:-; the same key and file make one version',
      }),
    ),
  }),
  body: {
    multipart: Type.Object({
      file: Type.Array(Binary, { minItems: 1, maxItems: 1, description: 'Exactly one file' }),
      note: Type.Optional(Type.String({ description: 'Why this version, for the history' })),
    }),
  },
  responses: {
    201: {
      description: 'The new version number and the asset',
      json: Closed({ version: Type.Integer({ minimum: 1 }), asset: Asset }),
    },
  },
  errors: {
    ...uploadErrors,
    400: `${uploadErrors[400]}; VALIDATION_FAILED for a malformed Idempotency-Key`,
    409: 'ASSET_FROZEN (the freeze reason is in the message), ASSET_PURGED, or another refusal of the workflow',
  },
});

export const getAsset = operation({
  method: 'get',
  path: '/api/assets/{id}',
  operationId: 'getAsset',
  tag: 'Assets',
  summary: 'An asset with its lifecycle state and latest version',
  params: assetParams,
  responses: { 200: { description: 'The asset', json: Asset } },
  errors: { 404: 'ASSET_NOT_FOUND' },
});

export const getAssetThumbnail = operation({
  method: 'get',
  path: '/api/assets/{id}/thumbnail',
  operationId: 'getAssetThumbnail',
  tag: 'Assets',
  summary: 'The thumbnail ingest made (WebP by default; the rule set may define its own preset)',
  params: assetParams,
  responses: {
    200: { description: 'The image', file: ['image/webp', 'image/jpeg', 'image/png', 'image/avif'] },
  },
  errors: {
    404: 'ASSET_NOT_FOUND, or THUMBNAIL_NOT_READY (ingest still running, or no preview for its type)',
  },
});

export const getAssetTimeline = operation({
  method: 'get',
  path: '/api/assets/{id}/timeline',
  operationId: 'getAssetTimeline',
  tag: 'Assets',
  summary: "The asset's lifecycle transitions, oldest first",
  description:
    'As the catalogue mirrors them: state changes, and events that left the state as it was (`from` = `to`: a freeze, a legal hold, a metadata change…).',
  params: assetParams,
  responses: { 200: { description: 'The timeline', json: Timeline } },
  errors: { 404: 'ASSET_NOT_FOUND' },
});

export const assetsOperations = [
  uploadAssets,
  addAssetVersion,
  getAsset,
  getAssetThumbnail,
  getAssetTimeline,
];
