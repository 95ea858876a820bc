import type { CommentRegion as Region } from '../../catalogue/comment.repository';
import { operation } from '../contract/operation';
import {
  Closed,
  component,
  Nullable,
  Sha256,
  Timestamp,
  Type,
  Uuid,
  versionNumber,
} from '../contract/schema';
import { AssetId, assetParams } from './assets.contract';

/** A position as a fraction of the image's width or height. */
const Unit = Type.Number({ minimum: 0, maximum: 1 });
const Extent = Type.Number({ exclusiveMinimum: 0, maximum: 1 });

/** Where on the image a comment points: a point, or a rectangle, in fractions of the image. */
const CommentRegion = component(
  'CommentRegion',
  Type.Unsafe<Region>({
    oneOf: [
      Closed({ kind: Type.Literal('point'), x: Unit, y: Unit }),
      Closed({ kind: Type.Literal('rect'), x: Unit, y: Unit, width: Extent, height: Extent }),
    ],
  }),
);

const Comment = component(
  'Comment',
  Closed({
    id: Uuid,
    assetId: Uuid,
    version: Type.Integer({ minimum: 1 }),
    parentId: Nullable(Uuid),
    author: Type.String(),
    body: Type.String(),
    region: Nullable(CommentRegion),
    mentions: Type.Array(Type.String(), { description: 'E-mail addresses of the users it notified' }),
    resolvedAt: Nullable(Timestamp),
    resolvedBy: Nullable(Type.String()),
    createdAt: Timestamp,
  }),
);

const CommentThread = component(
  'CommentThread',
  Closed({ ...Comment.properties, replies: Type.Array(Comment, { description: 'Oldest first' }) }),
);

const versionPair = Type.Object({
  a: versionNumber('The version shown left'),
  b: versionNumber('The version shown right'),
});
const versionMissing = 'VERSION_NOT_FOUND (ASSET_NOT_FOUND for the asset)';

export const listAssetVersions = operation({
  method: 'get',
  path: '/api/assets/{id}/versions',
  operationId: 'listAssetVersions',
  tag: 'Versions',
  summary: 'Version history: who, when, note, size and picture size of each; `latest` marks the newest',
  params: assetParams,
  responses: {
    200: {
      description: 'Every version, oldest first',
      json: Closed({
        assetId: Uuid,
        latest: Type.Integer({ minimum: 1 }),
        versions: Type.Array(
          Closed({
            version: Type.Integer({ minimum: 1 }),
            latest: Type.Boolean(),
            sha256: Sha256,
            sizeBytes: Type.Integer({ minimum: 0 }),
            originalName: Type.String(),
            mediaType: Type.String({ description: 'Found from the content; as declared until ingested' }),
            width: Nullable(Type.Integer()),
            height: Nullable(Type.Integer()),
            by: Nullable(Type.String()),
            note: Nullable(Type.String()),
            createdAt: Timestamp,
          }),
        ),
      }),
    },
  },
  errors: { 404: 'ASSET_NOT_FOUND' },
});

const Side = Closed({
  version: Type.Integer({ minimum: 1 }),
  facts: Type.Record(Type.String(), Type.Unknown(), {
    description: 'File, author, note, size, colours, tags, text and `embedded.*` (EXIF/IPTC/XMP)',
  }),
});

export const compareVersions = operation({
  method: 'get',
  path: '/api/assets/{id}/compare',
  operationId: 'compareVersions',
  tag: 'Versions',
  summary: 'What differs between versions a and b: file, author, note, size, colours, tags, text, EXIF',
  params: assetParams,
  query: versionPair,
  responses: {
    200: {
      description: 'Both versions’ facts and every one that differs',
      json: Closed({
        assetId: Uuid,
        latest: Type.Integer({ minimum: 1 }),
        a: Side,
        b: Side,
        changes: Type.Array(Closed({ field: Type.String(), a: Type.Unknown(), b: Type.Unknown() })),
      }),
    },
  },
  errors: { 404: versionMissing },
});

export const compareVersionsImage = operation({
  method: 'get',
  path: '/api/assets/{id}/compare/image',
  operationId: 'compareVersionsImage',
  tag: 'Versions',
  summary: 'Versions a and b side by side as one PNG (each within 800×800)',
  params: assetParams,
  query: versionPair,
  responses: { 200: { description: 'Left a, right b', file: ['image/png'] } },
  errors: {
    404: versionMissing,
    409: 'RENDITION_UNKNOWN: a version has no picture (not an image, or not ingested yet)',
    503: 'SERVER_BUSY: too many large images are being prepared at once; retry',
  },
});

export const restoreVersion = operation({
  method: 'post',
  path: '/api/assets/{id}/versions/{version}/restore',
  operationId: 'restoreVersion',
  tag: 'Versions',
  summary: 'Make an old version the newest again, as a new version',
  description: 'History is never rewritten; the note defaults to "Restored version n".',
  params: Closed({ id: AssetId, version: versionNumber() }),
  body: {
    json: Closed({ note: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })) }),
    required: false,
  },
  responses: {
    201: {
      description: 'The new version',
      json: Closed({ version: Type.Integer({ minimum: 1 }), restoredFrom: Type.Integer({ minimum: 1 }) }),
    },
  },
  errors: {
    404: versionMissing,
    409: 'ASSET_FROZEN while frozen; ASSET_PURGED or another refusal of the asset workflow',
  },
});

export const listComments = operation({
  method: 'get',
  path: '/api/assets/{id}/comments',
  operationId: 'listComments',
  tag: 'Comments',
  summary: 'Comment threads, oldest first',
  params: assetParams,
  query: Type.Object({ version: Type.Optional(versionNumber('Only this version')) }),
  responses: {
    200: { description: 'The threads', json: Closed({ threads: Type.Array(CommentThread) }) },
  },
  errors: { 404: 'ASSET_NOT_FOUND' },
});

export const addComment = operation({
  method: 'post',
  path: '/api/assets/{id}/comments',
  operationId: 'addComment',
  tag: 'Comments',
  summary: 'Comment on a version, optionally on a region of the image',
  description:
    'On the latest version unless `version` says otherwise; a reply (`parentId`) is on its thread’s version. `@ann@example.com` and `@team:design` notify the people named who may see the asset.',
  params: assetParams,
  body: {
    json: Closed({
      body: Type.String({ minLength: 1, maxLength: 10000 }),
      version: Type.Optional(versionNumber('The version commented on (the latest by default)')),
      parentId: Type.Optional(Uuid),
      region: Type.Optional(CommentRegion),
    }),
  },
  responses: { 201: { description: 'The comment, with `mentions` notified', json: Comment } },
  errors: {
    400: 'VALIDATION_FAILED: no such version, a reply to a reply, a region outside the image',
    404: 'ASSET_NOT_FOUND; COMMENT_NOT_FOUND (the parent)',
  },
});

const commentParams = Closed({ id: AssetId, commentId: Type.String({ description: 'A comment’s id' }) });

export const resolveComment = operation({
  method: 'post',
  path: '/api/assets/{id}/comments/{commentId}/resolve',
  operationId: 'resolveComment',
  tag: 'Comments',
  summary: 'Resolve a comment',
  params: commentParams,
  responses: { 200: { description: 'The comment', json: Comment } },
  errors: { 404: 'COMMENT_NOT_FOUND' },
});

export const reopenComment = operation({
  method: 'post',
  path: '/api/assets/{id}/comments/{commentId}/reopen',
  operationId: 'reopenComment',
  tag: 'Comments',
  summary: 'Reopen a resolved comment',
  params: commentParams,
  responses: { 200: { description: 'The comment', json: Comment } },
  errors: { 404: 'COMMENT_NOT_FOUND' },
});

export const collaborationOperations = [
  listAssetVersions,
  compareVersions,
  compareVersionsImage,
  restoreVersion,
  listComments,
  addComment,
  resolveComment,
  reopenComment,
];
