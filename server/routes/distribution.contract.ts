import { AuditActions } from '../../catalogue/audit-event';
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
  uuid,
} from '../contract/schema';
import { assetParams } from './assets.contract';

const Tag = 'Distribution';

/** `{id}` of the asset endpoints: assets are named by UUIDs (anything else is 404 by the policy). */

/** One event of the hash-chained distribution trail (catalogue/audit-event.ts). */
export const AuditEvent = component(
  'AuditEvent',
  Closed({
    seq: Type.Integer({ minimum: 1, description: 'Position in the chain, without gaps' }),
    at: Timestamp,
    actor: Type.String({
      description: 'The user\u2019s e-mail, or `link:<share id>` for an anonymous visitor',
    }),
    action: StringEnum(AuditActions),
    assetId: Nullable(Uuid),
    version: Nullable(Type.Integer({ minimum: 1 })),
    rendition: Nullable(Type.String()),
    shareId: Nullable(Uuid),
    address: Nullable(Type.String({ description: 'The client\u2019s address as the server saw it' })),
    details: FreeObject,
    prevHash: Sha256,
    hash: { ...Sha256, description: 'sha256 of prevHash and the content' },
  }),
);

export const Trail = component('Trail', Closed({ events: Type.Array(AuditEvent) }));

/** `?after=<seq>&limit=<n>`: keyset paging of the trail endpoints. */
export const TrailPaging = {
  after: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: Number.MAX_SAFE_INTEGER,
      description: 'Events after this sequence number',
    }),
  ),
  limit: Type.Optional(
    Type.Integer({ minimum: 1, description: 'At most this many events (500 by default, 5000 at most)' }),
  ),
};

/** The types a rendition leaves as: its preset's format, or the original's detected type. */
const RENDITION_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/avif', '*/*'] as const;

/** Refusals of a download by the asset's workflow and the rule set (lifecycle/transition-table.ts). */
const DOWNLOAD_REFUSED_403 = 'AUDIENCE_REFUSED, RENDITION_REFUSED, REGION_REFUSED';
const DOWNLOAD_REFUSED_409 =
  'ASSET_INCOMPLETE, RIGHTS_EXPIRED, ASSET_ARCHIVED, ASSET_TAKEN_DOWN, ASSET_PURGED, ASSET_NOT_READY, ' +
  'RULE_SET_NOT_FOUND; RENDITION_UNKNOWN when the asset has no still to render from';

export const getRendition = operation({
  method: 'get',
  path: '/api/assets/{id}/renditions/{rendition}',
  operationId: 'getRendition',
  tag: Tag,
  summary: 'Download a rendition as an audience; the rule set decides',
  description:
    'The rendition for an audience (`?audience=`), if the asset\u2019s workflow says the caller may have it ' +
    'now (allowed, or granted by an approval); 409 APPROVAL_REQUIRED with the approval it started ' +
    'otherwise. `?inline=true` shows it instead of downloading (raster images only). A preset with ' +
    'an invisible watermark marks a copy for this download, recorded in the trail.',
  params: Closed({ id: Uuid, rendition: Type.String({ description: 'A rendition preset of the rule set' }) }),
  query: Type.Object({
    audience: Type.String({ minLength: 1, description: 'The audience you download as' }),
    inline: Type.Optional(Type.Boolean({ description: 'Show it in the browser instead of downloading' })),
  }),
  responses: {
    200: { description: 'The file', file: RENDITION_TYPES },
    303: {
      description:
        'When downloads are handed to the object store (`blobs.s3.downloads: presigned`; not for `inline` nor a watermarked copy): to a short-lived URL of the store',
      redirect: true,
    },
    202: {
      description: 'The original is coming back from cold storage; you are notified when it is ready',
      json: Closed({ status: Type.Literal('restoring'), rendition: Type.String(), message: Type.String() }),
    },
  },
  errors: {
    400: 'AUDIENCE_UNKNOWN: the rule set has no such audience',
    403: DOWNLOAD_REFUSED_403,
    404: 'ASSET_NOT_FOUND, RENDITION_UNKNOWN',
    409: `APPROVAL_REQUIRED (details.approvalId: the approval it started), ${DOWNLOAD_REFUSED_409}`,
  },
});

export const ExportRequest = component(
  'ExportRequest',
  Closed({
    assetIds: Type.Array(Uuid, { minItems: 1, maxItems: 500 }),
    channel: Type.String({ minLength: 1, maxLength: 100, description: 'e.g. amazon, tiktok' }),
  }),
);

export const exportChannel = operation({
  method: 'post',
  path: '/api/exports',
  operationId: 'exportChannel',
  tag: Tag,
  summary: 'A zip of a channel\u2019s renditions for a selection, with manifest.json',
  description:
    'Each asset\u2019s rule set names the channel\u2019s renditions and when an asset qualifies; assets ' +
    'that do not are listed in the manifest with the reason instead of failing the batch. Needs edit ' +
    'on every asset.',
  body: { json: ExportRequest },
  responses: { 200: { description: 'The zip', file: ['application/zip'] } },
  errors: {
    400: 'CHANNEL_UNKNOWN: no rule set of these assets has the channel',
    403: 'FORBIDDEN: edit is needed on every asset',
    404: 'ASSET_NOT_FOUND: an asset of the body does not exist or is hidden; RENDITION_UNKNOWN',
    409: 'RULE_SET_NOT_FOUND; RENDITION_UNKNOWN when an asset has no still to render from',
  },
});

export const getAssetTrail = operation({
  method: 'get',
  path: '/api/assets/{id}/trail',
  operationId: 'getAssetTrail',
  tag: Tag,
  summary: 'The asset\u2019s distribution trail; managers of its project',
  params: assetParams,
  query: Type.Object(TrailPaging),
  responses: { 200: { description: 'Its events, oldest first', json: Trail } },
  errors: { 404: 'ASSET_NOT_FOUND' },
});

export const listAudit = operation({
  method: 'get',
  path: '/api/audit',
  operationId: 'listAudit',
  tag: Tag,
  summary: 'The distribution trail, or one person\u2019s or one link\u2019s; administrators only',
  description:
    'For investigations: the whole trail, or `?actor=` one person\u2019s, or `?share=` one link\u2019s.',
  query: Type.Object({
    actor: Type.Optional(Type.String({ description: 'An e-mail, or `link:<share id>`' })),
    share: Type.Optional(uuid({ description: 'A share link\u2019s id' })),
    ...TrailPaging,
  }),
  responses: { 200: { description: 'The events, oldest first', json: Trail } },
});

export const distributionOperations = [getRendition, exportChannel, getAssetTrail, listAudit];
