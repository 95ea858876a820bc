import { PROJECT_ID_PATTERN } from '../../policy/access';
import { operation } from '../contract/operation';
import { Closed, component, Nullable, StringEnum, Timestamp, Type, Uuid } from '../contract/schema';
import { Trail, TrailPaging } from './distribution.contract';

const Tag = 'Share links';

const ShareParams = Closed({ id: Uuid });
/** The link's token: 256 random bits in base64url. Anything else shows the page of a dead link. */
const TokenParams = Closed({ token: Type.String({ description: 'The token from the link\u2019s URL' }) });

export const ShareRequest = component(
  'ShareRequest',
  Closed(
    {
      assetIds: Type.Optional(Type.Array(Uuid, { minItems: 1, maxItems: 500 })),
      project: Type.Optional(
        Type.String({ pattern: PROJECT_ID_PATTERN, description: 'Every asset of the project (500 at most)' }),
      ),
      permission: StringEnum(['view', 'download']),
      rendition: Type.String({ minLength: 1, maxLength: 100 }),
      audience: Type.Optional(
        Type.String({
          minLength: 1,
          maxLength: 100,
          description: 'The audience the link is for; by default an external one that may have the rendition',
        }),
      ),
      password: Type.Optional(Type.String({ minLength: 8, maxLength: 1024 })),
      expiresInDays: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 3650 })),
      expiresAt: Type.Optional(Timestamp),
      allowedEmails: Type.Optional(
        Type.Array(
          // Dot-separated parts that cannot overlap: matched in linear time (no backtracking blow-up).
          Type.String({ maxLength: 320, pattern: '^([^@\\s.]+(\\.[^@\\s.]+)*@|@)[^@\\s.]+(\\.[^@\\s.]+)+$' }),
          {
            maxItems: 200,
            description: 'Addresses (ann@example.com) or domains (@example.com) who may open it',
          },
        ),
      ),
      maxDownloads: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
    },
    {
      description: 'Either `assetIds` or `project`; at most one of `expiresInDays` and `expiresAt`.',
      oneOf: [{ required: ['assetIds'] }, { required: ['project'] }],
      not: { required: ['expiresInDays', 'expiresAt'] },
    },
  ),
);

/** A link as its maker sees it: never the token (it is not stored) nor the password hash. */
export const ShareLink = component(
  'ShareLink',
  Closed({
    id: Uuid,
    createdBy: Uuid,
    assetIds: Type.Array(Uuid),
    project: Nullable(Type.String()),
    permission: StringEnum(['view', 'download']),
    audience: Type.String({ description: 'The audiences the link was made for, comma-separated' }),
    rendition: Type.String(),
    password: Type.Boolean({ description: 'Whether the link asks for a password' }),
    allowedEmails: Type.Array(Type.String()),
    maxDownloads: Nullable(Type.Integer({ minimum: 1 })),
    downloads: Type.Integer({ minimum: 0 }),
    expiresAt: Timestamp,
    revokedAt: Nullable(Timestamp),
    createdAt: Timestamp,
    passwordFailures: Type.Integer({ minimum: 0, description: 'Wrong passwords given, from every address' }),
  }),
);

/** Refusals of a link's rendition by each asset's workflow, as for a download by its audience. */
const REFUSED_403 =
  'FORBIDDEN (edit is needed on every asset, or on the project), AUDIENCE_REFUSED, RENDITION_REFUSED, ' +
  'REGION_REFUSED, GRANT_NOT_SHAREABLE';

export const createShare = operation({
  method: 'post',
  path: '/api/shares',
  operationId: 'createShare',
  tag: Tag,
  summary: 'Make a share link',
  description:
    'For a rendition the rule set lets leave (checked by each asset\u2019s workflow, as a download ' +
    'request of an external audience would be), within the rule set\u2019s expiry, password and ' +
    'recipient policy. The token is 256 random bits, returned once in `url` and stored as sha256.',
  body: { json: ShareRequest },
  responses: {
    201: {
      description: '`url` is the landing page, which offers the download',
      json: Closed({
        id: Uuid,
        url: Type.String({ description: 'The landing page: the only time the token is shown' }),
        expiresAt: Timestamp,
        assetIds: Type.Array(Uuid),
      }),
    },
  },
  errors: {
    400:
      'SHARE_INVALID: expiry past or beyond the rule set, password required, recipients outside the ' +
      'allowed domains, too many downloads, an empty project; AUDIENCE_UNKNOWN',
    403: REFUSED_403,
    404: 'ASSET_NOT_FOUND, PROJECT_NOT_FOUND (also when hidden); RENDITION_UNKNOWN',
    409:
      'APPROVAL_REQUIRED (details.approvalId), ASSET_INCOMPLETE, RIGHTS_EXPIRED, ASSET_ARCHIVED, ' +
      'ASSET_TAKEN_DOWN, ASSET_PURGED, ASSET_NOT_READY, RULE_SET_NOT_FOUND',
  },
});

export const listShares = operation({
  method: 'get',
  path: '/api/shares',
  operationId: 'listShares',
  tag: Tag,
  summary: 'The caller\u2019s share links, newest first (500 at most)',
  query: Type.Object({
    all: Type.Optional(Type.Boolean({ description: 'Every link (administrators; ignored for others)' })),
  }),
  responses: { 200: { description: 'The links', json: Closed({ shares: Type.Array(ShareLink) }) } },
});

export const revokeShare = operation({
  method: 'delete',
  path: '/api/shares/{id}',
  operationId: 'revokeShare',
  tag: Tag,
  summary: 'Revoke a link at once (its maker, managers of its assets, administrators)',
  params: ShareParams,
  responses: { 204: { description: 'Revoked (or already revoked)', empty: true } },
  errors: { 404: 'SHARE_NOT_FOUND' },
});

export const getShareTrail = operation({
  method: 'get',
  path: '/api/shares/{id}/trail',
  operationId: 'getShareTrail',
  tag: Tag,
  summary: 'A link\u2019s trail: who opened and downloaded what, from where',
  params: ShareParams,
  query: Type.Object(TrailPaging),
  responses: { 200: { description: 'Its events, oldest first', json: Trail } },
  errors: { 404: 'SHARE_NOT_FOUND' },
});

// ---- the public side: no sign-in needed, the token is the credential ----

const Page = 'Public share pages';
/** Pages of a dead link (unknown, expired, revoked, taken down) all look alike. */
const DEAD = 'The page of a link that is not available: unknown, expired, revoked or taken down (HTML)';
const GATE = 'The page asking for the password, or to sign in as a named recipient (HTML)';
const SCANNING = 'TOO_MANY_ATTEMPTS: too many unknown tokens from this address';
/** Public, but the authentication before every route refuses an API token that is not valid. */
const BAD_TOKEN = 'NOT_SIGNED_IN: an API token (Authorization: Bearer) that is not valid';

export const getShareStyle = operation({
  method: 'get',
  path: '/s/share.css',
  operationId: 'getShareStyle',
  tag: Page,
  summary: 'Style of the share landing pages',
  responses: { 200: { description: 'The style sheet', file: ['text/css'] } },
  errors: { 401: BAD_TOKEN },
});

export const openShare = operation({
  method: 'get',
  path: '/s/{token}',
  htmlErrors: true,
  operationId: 'openShare',
  tag: Page,
  summary: 'Share landing page: password form, sign-in request or the shared files',
  description:
    'Rendered on the server (works without JavaScript) in the visitor\u2019s language: Chinese when ' +
    'Accept-Language prefers it to English, else English (so are the link\u2019s other pages). Never ' +
    'cached. Records the view.',
  params: TokenParams,
  responses: { 200: { description: 'The shared files, with a download button each (HTML)', html: true } },
  errors: { 401: `${GATE}; ${BAD_TOKEN}`, 404: DEAD, 429: SCANNING },
});

export const unlockShare = operation({
  method: 'post',
  path: '/s/{token}',
  htmlErrors: true,
  operationId: 'unlockShare',
  tag: Page,
  summary: 'Unlock a password-protected link (the landing page\u2019s form)',
  description:
    'Right: 303 back to the page with a cookie that unlocks it. Wrong: the form again, saying so. A ' +
    'link without a password shows its page.',
  params: TokenParams,
  body: { form: Closed({ password: Type.Optional(Type.String({ maxLength: 1024 })) }) },
  responses: {
    200: { description: 'A link without a password: its page (HTML)', html: true },
    303: { description: 'Unlocked: back to the page, with the unlock cookie', redirect: true },
  },
  errors: {
    401: `Wrong password: the form again. ${GATE}; ${BAD_TOKEN}`,
    404: DEAD,
    413: 'The form is over 4 KB',
    423: 'SHARE_LOCKED: 50 wrong passwords over the link\u2019s life',
    429: `TOO_MANY_ATTEMPTS: 5 wrong per address, 10 from all addresses, in 15 minutes; ${SCANNING}`,
    503: 'SERVER_BUSY: password checking is at capacity; retry',
  },
});

export const shareDownloadPage = operation({
  method: 'get',
  path: '/s/{token}/download',
  htmlErrors: true,
  operationId: 'shareDownloadPage',
  tag: Page,
  summary: 'Redirects to the landing page: a GET (a mail scanner, a link preview) never downloads',
  params: TokenParams,
  responses: { 303: { description: 'To /s/{token}', redirect: true } },
  errors: { 401: BAD_TOKEN },
});

export const downloadShare = operation({
  method: 'post',
  path: '/s/{token}/download',
  htmlErrors: true,
  operationId: 'downloadShare',
  tag: Page,
  summary: 'The link\u2019s file, or a zip of its files; counted against its downloads',
  description:
    'A POST (the landing page\u2019s buttons), so that scanners fetching every URL they see use up ' +
    'nothing. `?asset=` for one asset of a link of several.',
  params: TokenParams,
  query: Type.Object({
    asset: Type.Optional(Type.String({ description: 'One asset of the link, by id' })),
  }),
  responses: {
    200: {
      description: 'The rendition (the original\u2019s own type for an original), or a zip of several',
      file: ['application/zip', 'image/jpeg', 'image/png', 'image/webp', 'image/avif', '*/*'],
    },
  },
  errors: {
    401: `${GATE}; ${BAD_TOKEN}`,
    404: `${DEAD}; also a view-only link or an asset not in it. RENDITION_UNKNOWN`,
    409: 'RULE_SET_NOT_FOUND; RENDITION_UNKNOWN when an asset has no still to render from',
    429: `TOO_MANY_ATTEMPTS: no downloads left; ${SCANNING}`,
  },
});

export const previewShare = operation({
  method: 'get',
  path: '/s/{token}/preview/{assetId}',
  htmlErrors: true,
  operationId: 'previewShare',
  tag: Page,
  summary: 'A small preview for the landing page: the rule set\u2019s thumbnail',
  params: Closed({ token: Type.String(), assetId: Type.String() }),
  responses: {
    200: { description: 'The thumbnail', file: ['image/jpeg', 'image/png', 'image/webp', 'image/avif'] },
  },
  errors: {
    401: BAD_TOKEN,
    404: 'Not available (the dead-link page): a dead or locked link, an asset not in it, or no thumbnail preset',
    409: 'RULE_SET_NOT_FOUND; RENDITION_UNKNOWN when the asset has no still to render from',
  },
});

export const sharesOperations = [
  createShare,
  listShares,
  revokeShare,
  getShareTrail,
  getShareStyle,
  openShare,
  unlockShare,
  shareDownloadPage,
  downloadShare,
  previewShare,
];
