import { identityPaths } from './openapi-identity';
import { errorResponse, jsonBody } from './openapi-parts';

/**
 * The OpenAPI 3.1 description of the HTTP API, served at /api/openapi.json. A test checks that
 * every route the app registers is described here, so the document stays true as the API grows.
 */

const ruleSetBody = {
  required: true,
  content: {
    'application/yaml': { schema: { type: 'string' } },
    'application/json': {
      schema: { type: 'object', required: ['source'], properties: { source: { type: 'string' } } },
    },
  },
};
const ruleSetName = { name: 'name', in: 'path', required: true, schema: { type: 'string' } };

const projectParam = { name: 'project', in: 'path', required: true, schema: { type: 'string' } };
const shareParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const commentParam = {
  name: 'commentId',
  in: 'path',
  required: true,
  schema: { type: 'string', format: 'uuid' },
};
const versionQuery = (name: string) => ({
  name,
  in: 'query',
  required: true,
  schema: { type: 'integer', minimum: 1 },
});
const tokenParam = { name: 'token', in: 'path', required: true, schema: { type: 'string' } };
const lifecycleResponses = {
  '200': { description: 'The lifecycle view after the change' },
  '400': errorResponse('Invalid body'),
  '401': errorResponse('NOT_SIGNED_IN'),
  '403': errorResponse('FORBIDDEN (project level) or NOT_ELIGIBLE (rule-set role)'),
  '404': errorResponse('No such asset'),
  '409': errorResponse('Refused by the asset workflow: ASSET_FROZEN, ALREADY_ARCHIVED, NOT_ON_HOLD…'),
};
function lifecycleAction(summary: string, extraParameters: Record<string, unknown>[] = []) {
  return {
    post: {
      summary,
      parameters: [{ $ref: '#/components/parameters/AssetId' }, ...extraParameters],
      responses: lifecycleResponses,
    },
  };
}

export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Assetflow API',
    version: '0.1.0',
    description:
      'Digital asset management: every asset is a durable Temporal workflow driven by YAML rule sets.',
  },
  paths: {
    ...identityPaths,
    '/api/assets': {
      post: {
        summary: 'Upload one or more files as new assets',
        description:
          'Streams each `file` part into the content-addressed blob store, checks it at the edge (type from content, decodability, pixel limit, naming convention, brand palette when its policy rejects, exact and near duplicates), records the asset and starts its lifecycle workflow `asset-<id>`. One bad file refuses the whole batch and keeps nothing. One file answers with the asset, several with `{assets: [...]}`; each carries `duplicates` and, when the rule set said so, `linkedAsVersion` (the file became a new version of a matching asset), `renamedFrom` or `namingWarning`.',
        requestBody: {
          required: true,
          content: {
            'multipart/form-data': {
              schema: {
                type: 'object',
                required: ['file'],
                properties: {
                  file: {
                    type: 'array',
                    items: { type: 'string', format: 'binary' },
                    description: 'One or more files.',
                  },
                  metadata: {
                    type: 'string',
                    description: 'A JSON object; `validUntil` (ISO-8601) sets a validity period.',
                  },
                  ruleSet: {
                    type: 'string',
                    description: 'Name of the rule set to apply; the configured default otherwise.',
                  },
                },
              },
            },
          },
        },
        responses: {
          '201': {
            description: 'Created',
            content: {
              'application/json': {
                schema: {
                  oneOf: [
                    { $ref: '#/components/schemas/UploadedAsset' },
                    {
                      type: 'object',
                      properties: {
                        assets: { type: 'array', items: { $ref: '#/components/schemas/UploadedAsset' } },
                      },
                    },
                  ],
                },
              },
            },
          },
          '400': errorResponse('No file, an empty file, invalid metadata or an unknown rule set'),
          '409': errorResponse(
            'DUPLICATE_ASSET: the rule set blocks duplicates; `details.matches` lists them',
          ),
          '413': errorResponse(
            'A file over the size limit, too many files, or IMAGE_TOO_LARGE (pixel limit)',
          ),
          '415': errorResponse(
            'Not multipart/form-data, or FILE_TYPE_MISMATCH (the name promises another type)',
          ),
          '422': errorResponse(
            'FILE_CORRUPT (cannot be decoded), NAME_NONCOMPLIANT (naming policy reject; `details.expected`, `suggestion`), BRAND_COLOURS_OFF (ΔE per colour) or REQUIRED_FIELDS_MISSING (`details.missing`)',
          ),
          '503': errorResponse('Temporal or the database is not reachable; nothing was stored'),
        },
      },
    },
    '/api/assets/{id}': {
      get: {
        summary: 'An asset with its lifecycle state and latest version',
        parameters: [{ $ref: '#/components/parameters/AssetId' }],
        responses: {
          '200': {
            description: 'The asset',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Asset' } } },
          },
          '404': errorResponse('No such asset'),
        },
      },
    },
    '/api/assets/{id}/thumbnail': {
      get: {
        summary: 'The thumbnail ingest made (WebP by default; the rule set may define its own preset)',
        parameters: [{ $ref: '#/components/parameters/AssetId' }],
        responses: {
          '200': {
            description: 'The image',
            content: { 'image/*': { schema: { type: 'string', format: 'binary' } } },
          },
          '404': errorResponse(
            'No such asset, or THUMBNAIL_NOT_READY (ingest still running, or no preview for its type)',
          ),
        },
      },
    },
    '/api/assets/{id}/timeline': {
      get: {
        summary: "The asset's lifecycle transitions, oldest first",
        parameters: [{ $ref: '#/components/parameters/AssetId' }],
        responses: {
          '200': {
            description: 'The timeline',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Timeline' } } },
          },
          '404': errorResponse('No such asset'),
        },
      },
    },
    '/api/rule-sets': {
      get: {
        summary: 'Published rule sets with their latest version',
        responses: { '200': { description: '{ruleSets: [{name, latestVersion, title, updatedAt}]}' } },
      },
      post: {
        summary: 'Validate and publish a new version of a rule set',
        description:
          'Body: the YAML (Content-Type application/yaml) or JSON {source}. Publishing an unchanged rule set returns the latest version with 200.',
        requestBody: ruleSetBody,
        responses: {
          '201': { description: 'Published as a new version: {name, version, created, problems, plan}' },
          '200': { description: 'Unchanged: the latest version' },
          '422': errorResponse(
            'Invalid rule set; details.problems lists every problem with line, column and path',
          ),
        },
      },
    },
    '/api/rule-sets/validate': {
      post: {
        summary: 'Validate a rule set without publishing it',
        requestBody: ruleSetBody,
        responses: {
          '200': { description: '{valid: true, name, problems (warnings), plan}' },
          '422': errorResponse(
            'Invalid rule set; details.problems lists every problem with line, column and path',
          ),
        },
      },
    },
    '/api/rule-sets/{name}': {
      get: {
        summary: 'All versions of a rule set and the latest one with its YAML and plan',
        parameters: [ruleSetName],
        responses: {
          '200': { description: '{name, versions, latest}' },
          '404': errorResponse('No such rule set'),
        },
      },
    },
    '/api/rule-sets/{name}/versions/{version}': {
      get: {
        summary: 'One version of a rule set: YAML source and compiled plan',
        parameters: [
          ruleSetName,
          { name: 'version', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } },
        ],
        responses: {
          '200': { description: '{name, version, source, plan, planSha256, createdAt}' },
          '404': errorResponse('No such rule set or version'),
        },
      },
    },
    '/api/rule-sets/{name}/dry-run': {
      post: {
        summary:
          'Play a sample asset and events through a rule set: the path through every flow and every timer with its date',
        parameters: [ruleSetName],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['sample'],
                properties: {
                  version: { type: 'integer' },
                  sample: { type: 'object' },
                  events: { type: 'array', items: { type: 'object' } },
                },
              },
            },
          },
        },
        responses: {
          '200': { description: '{ruleSet, create, log, flows, timers, final}' },
          '400': errorResponse('Invalid sample or events'),
          '404': errorResponse('No such rule set'),
        },
      },
    },
    '/api/assets/{id}/versions': {
      get: {
        summary: 'Version history: who, when, note, size and picture size of each; `latest` marks the newest',
        parameters: [{ $ref: '#/components/parameters/AssetId' }],
        responses: {
          '200': { description: '{assetId, latest, versions}' },
          '404': errorResponse('ASSET_NOT_FOUND'),
        },
      },
      post: {
        summary: 'Upload a new version of the asset (multipart: file, note?)',
        description:
          "The asset's workflow numbers the version, so concurrent uploads are serialised and none is lost.",
        parameters: [{ $ref: '#/components/parameters/AssetId' }],
        responses: {
          '201': { description: '{version, asset}' },
          '400': errorResponse('No file or an empty file'),
          '409': errorResponse('ASSET_FROZEN: the freeze reason is in the message'),
        },
      },
    },
    '/api/assets/{id}/lifecycle': {
      get: {
        summary:
          "The asset workflow's view: state, freeze, legal hold, tier, compliance, approvals, grants and every pending timer with its date",
        parameters: [{ $ref: '#/components/parameters/AssetId' }],
        responses: { '200': { description: 'Lifecycle view' }, '404': errorResponse('No such asset') },
      },
    },
    '/api/assets/{id}/freeze': lifecycleAction('Freeze the asset read-only (body: {reason})'),
    '/api/assets/{id}/unfreeze': lifecycleAction('Lift a freeze'),
    '/api/assets/{id}/archive': lifecycleAction('Archive the asset (starts retention counted from archive)'),
    '/api/assets/{id}/restore': lifecycleAction(
      'Bring an archived or expired asset back (409 VALIDITY_PASSED while its validity date is past)',
    ),
    '/api/assets/{id}/flows/{flow}': lifecycleAction(
      "Start a flow of the asset's rule set whose trigger is manual (400 FLOW_UNKNOWN otherwise)",
      [{ name: 'flow', in: 'path', required: true, schema: { type: 'string' } }],
    ),
    '/api/assets/{id}/legal-hold': lifecycleAction(
      'Place or lift a legal hold (body: {on, reason}); a hold postpones purge',
    ),
    '/api/assets/{id}/events': lifecycleAction(
      'Record a business event (body: {event: delisting | end-of-production | relisting | production-resumed}); delisting and end of production tag and archive the asset and anchor retention, the others undo them (409 NOT_RECORDED)',
    ),
    '/api/assets/{id}/metadata': {
      patch: {
        summary: 'Change metadata fields (body: {set}); refused with 409 ASSET_FROZEN when frozen',
        parameters: [{ $ref: '#/components/parameters/AssetId' }],
        responses: lifecycleResponses,
      },
    },
    '/api/assets/{id}/download-requests': {
      post: {
        summary:
          'Ask to download a rendition as an audience (body: {audience, rendition}); membership comes from your roles',
        parameters: [{ $ref: '#/components/parameters/AssetId' }],
        responses: {
          '200': { description: '{status: allowed | granted, rendition}' },
          '202': {
            description:
              '{status: pending, approvalId, flow}: an approval flow decides; or {status: restoring, rendition}: the original is coming back from cold storage (you are notified)',
          },
          '403': errorResponse('AUDIENCE_REFUSED, RENDITION_REFUSED or REGION_REFUSED'),
          '409': errorResponse(
            'ASSET_INCOMPLETE, RIGHTS_EXPIRED, ASSET_ARCHIVED, ASSET_TAKEN_DOWN, ASSET_PURGED',
          ),
        },
      },
    },
    '/api/approvals': {
      get: {
        summary: "The caller's inbox: pending approval steps they may decide, by name or role",
        responses: { '200': { description: '{approvals: [...]}' }, '401': errorResponse('No actor') },
      },
    },
    '/api/approvals/{approvalId}': {
      get: {
        summary: 'An approval: its steps (inbox rows) and the flow state',
        parameters: [{ name: 'approvalId', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': { description: '{approvalId, tasks, state}' },
          '404': errorResponse('No such approval'),
        },
      },
    },
    '/api/approvals/{approvalId}/decision': {
      post: {
        summary:
          'Approve or reject a step (body: {node, decision, reason?}); only an eligible reviewer, once',
        parameters: [{ name: 'approvalId', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': { description: '{approvalId, status, waiting, path, decisions}' },
          '403': errorResponse('NOT_ELIGIBLE, OWN_REQUEST, APPROVED_ANOTHER_STEP (separation of duties)'),
          '409': errorResponse('ALREADY_DECIDED, NOT_WAITING, FLOW_FINISHED'),
        },
      },
    },
    '/api/rule-sets/{name}/migrations': {
      post: {
        summary: 'Preview (default) or apply moving running assets to another version of their rule set',
        description:
          'Body: {toVersion, assetIds?, dryRun?}. With dryRun absent or true nothing moves; each asset lists what would change (timers with dates, retention, required fields).',
        parameters: [ruleSetName],
        responses: {
          '200': {
            description: '{ruleSet, toVersion, dryRun, assets: [{assetId, fromVersion, changes, result?}]}',
          },
          '404': errorResponse('No such rule set version'),
        },
      },
    },
    '/api/search': {
      get: {
        summary: 'Natural-language search (Chinese and English) with facets and keyset pages',
        description:
          'The query is read for time (去年春节, last month, since June, lunar holidays per year), colours, asset types and dimension values, which become filters; the rest is full text over names, tags, classification, metadata, EXIF and OCR text, with synonyms, prefixes and a typo-tolerant trigram match on names. `interpreted` says how it was understood. Filters: `type`, `colour`, `state`, `ruleSet`, `month`, `dim.<dimension>` (repeat for OR), `from`/`to` (YYYY-MM-DD). `facets` counts every value over all matches.',
        parameters: [
          { name: 'q', in: 'query', schema: { type: 'string' } },
          { name: 'sort', in: 'query', schema: { enum: ['relevance', 'newest', 'oldest'] } },
          {
            name: 'cursor',
            in: 'query',
            schema: { type: 'string' },
            description: '`nextCursor` of the previous page',
          },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
          {
            name: 'swatch',
            in: 'query',
            schema: { type: 'string', pattern: '^#?[0-9a-fA-F]{6}$' },
            description: 'colour search by swatch: assets whose dominant colours share its family',
          },
          { name: 'from', in: 'query', schema: { type: 'string', format: 'date' } },
          { name: 'to', in: 'query', schema: { type: 'string', format: 'date' } },
          {
            name: 'today',
            in: 'query',
            schema: { type: 'string', format: 'date' },
            description: 'what relative dates count from',
          },
        ],
        responses: {
          '200': {
            description: '{interpreted, items, facets, nextCursor}',
            content: { 'application/json': { schema: { type: 'object' } } },
          },
          '400': errorResponse('A bad parameter, an unknown filter or a cursor this API did not return'),
        },
      },
    },
    '/api/trees/{ruleSet}/{tree}': {
      get: {
        summary: "A node of a rule set's browsing tree: the next level's values with asset counts",
        parameters: [
          { name: 'ruleSet', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'tree', in: 'path', required: true, schema: { type: 'string' } },
          {
            name: 'path',
            in: 'query',
            schema: { type: 'string' },
            description: 'values of the levels above, joined by /',
          },
        ],
        responses: {
          '200': {
            description: '{tree, levels, path, level, assets, children: [{value, label, count}]}',
            content: { 'application/json': { schema: { type: 'object' } } },
          },
          '400': errorResponse('A path deeper than the tree'),
          '404': errorResponse('TREE_NOT_FOUND'),
        },
      },
    },
    '/api/health': {
      get: {
        security: [],
        summary: 'Whether the database and Temporal answer',
        responses: {
          '200': {
            description: 'All dependencies up',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Health' } } },
          },
          '503': {
            description: 'At least one dependency down (named in the body)',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Health' } } },
          },
        },
      },
    },
    '/api/openapi.json': {
      get: {
        summary: 'This document',
        security: [],
        responses: { '200': { description: 'OpenAPI 3.1 document' } },
      },
    },
    '/api/projects': {
      get: {
        summary: 'Projects the caller holds a grant on, with their level',
        responses: { '200': { description: '{projects}' } },
      },
      post: {
        summary: 'Make a project ({id, name, grants?}); the maker manages it',
        requestBody: jsonBody,
        responses: {
          '201': { description: 'The project with its grants' },
          '409': errorResponse('PROJECT_EXISTS'),
        },
      },
    },
    '/api/projects/{project}': {
      get: {
        summary: 'A project and its grants',
        parameters: [projectParam],
        responses: {
          '200': { description: 'The project' },
          '404': errorResponse('PROJECT_NOT_FOUND (also when not visible)'),
        },
      },
    },
    '/api/projects/{project}/grants': {
      put: {
        summary:
          "Replace a project's grants ({grants: [{principal: everyone | user:<id> | team:<name>, level: view | edit | manage}]})",
        parameters: [projectParam],
        requestBody: jsonBody,
        responses: {
          '200': { description: 'The project' },
          '403': errorResponse('FORBIDDEN: manage needed'),
        },
      },
    },
    '/api/assets/{id}/renditions/{rendition}': {
      get: {
        summary:
          'Download a rendition as an audience (?audience=…, ?inline=true to view); the rule set decides',
        parameters: [
          { $ref: '#/components/parameters/AssetId' },
          { name: 'rendition', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'audience', in: 'query', required: true, schema: { type: 'string' } },
        ],
        responses: {
          '200': { description: 'The file' },
          '202': { description: '{status: restoring}: the original is coming back from cold storage' },
          '403': errorResponse('AUDIENCE_REFUSED, RENDITION_REFUSED, REGION_REFUSED'),
          '404': errorResponse('ASSET_NOT_FOUND, RENDITION_UNKNOWN'),
          '409': errorResponse(
            'APPROVAL_REQUIRED (an approval was started), ASSET_INCOMPLETE, RIGHTS_EXPIRED, ASSET_ARCHIVED, ASSET_TAKEN_DOWN',
          ),
        },
      },
    },
    '/api/assets/{id}/trail': {
      get: {
        summary: "The asset's distribution trail (?after=seq&limit=n); managers of its project",
        parameters: [{ $ref: '#/components/parameters/AssetId' }],
        responses: { '200': { description: '{events}' }, '403': errorResponse('FORBIDDEN') },
      },
    },
    '/api/shares': {
      get: {
        summary: "The caller's share links (?all=true: every link, administrators)",
        responses: { '200': { description: '{shares}' } },
      },
      post: {
        summary:
          'Make a share link ({assetIds | project, permission view|download, rendition, audience?, password?, expiresInDays | expiresAt, allowedEmails?, maxDownloads?})',
        requestBody: jsonBody,
        responses: {
          '201': {
            description: '{id, url, expiresAt, assetIds}: url is the landing page, url/download the file',
          },
          '400': errorResponse(
            'SHARE_INVALID: expiry beyond the rule set, password required, recipients outside allowed domains',
          ),
          '403': errorResponse(
            'FORBIDDEN, RENDITION_REFUSED, AUDIENCE_REFUSED, REGION_REFUSED, GRANT_NOT_SHAREABLE',
          ),
          '404': errorResponse('ASSET_NOT_FOUND'),
          '409': errorResponse('APPROVAL_REQUIRED, ASSET_INCOMPLETE, RIGHTS_EXPIRED, ASSET_ARCHIVED'),
        },
      },
    },
    '/api/shares/{id}': {
      delete: {
        summary: 'Revoke a link at once (its maker, managers of its assets, administrators)',
        parameters: [shareParam],
        responses: { '204': { description: 'Revoked' }, '404': errorResponse('SHARE_NOT_FOUND') },
      },
    },
    '/api/shares/{id}/trail': {
      get: {
        summary: "A link's trail: who opened and downloaded what, from where",
        parameters: [shareParam],
        responses: { '200': { description: '{events}' }, '404': errorResponse('SHARE_NOT_FOUND') },
      },
    },
    '/api/exports': {
      post: {
        summary: "Zip of a channel's renditions for a selection ({assetIds, channel}), with manifest.json",
        requestBody: jsonBody,
        responses: { '200': { description: 'application/zip' }, '400': errorResponse('CHANNEL_UNKNOWN') },
      },
    },
    '/api/audit': {
      get: {
        summary: 'The distribution trail (?actor=email, ?share=id, ?after, ?limit); administrators only',
        responses: { '200': { description: '{events}' }, '403': errorResponse('FORBIDDEN') },
      },
    },
    '/api/assets/{id}/compare': {
      get: {
        summary:
          'What differs between versions a and b (?a=1&b=2): file, author, note, size, colours, tags, text, EXIF',
        parameters: [{ $ref: '#/components/parameters/AssetId' }, versionQuery('a'), versionQuery('b')],
        responses: {
          '200': { description: '{a, b, changes: [{field, a, b}]}' },
          '404': errorResponse('VERSION_NOT_FOUND'),
        },
      },
    },
    '/api/assets/{id}/compare/image': {
      get: {
        summary: 'Versions a and b side by side as one PNG (each within 800×800)',
        parameters: [{ $ref: '#/components/parameters/AssetId' }, versionQuery('a'), versionQuery('b')],
        responses: { '200': { description: 'image/png' }, '404': errorResponse('VERSION_NOT_FOUND') },
      },
    },
    '/api/assets/{id}/versions/{version}/restore': {
      post: {
        summary:
          'Make an old version the newest again, as a new version ({note?}); 409 ASSET_FROZEN while frozen',
        parameters: [
          { $ref: '#/components/parameters/AssetId' },
          { name: 'version', in: 'path', required: true, schema: { type: 'integer' } },
        ],
        responses: {
          '201': { description: '{version, restoredFrom}' },
          '409': errorResponse('ASSET_FROZEN'),
        },
      },
    },
    '/api/assets/{id}/comments': {
      get: {
        summary: 'Comment threads, oldest first (?version=n for one version)',
        parameters: [{ $ref: '#/components/parameters/AssetId' }],
        responses: { '200': { description: '{threads: [{…comment, replies}]}' } },
      },
      post: {
        summary:
          'Comment on a version ({body, version?, parentId?, region?: {kind: point, x, y} | {kind: rect, x, y, width, height}} in fractions of the image); @ann@example.com and @team:design notify',
        parameters: [{ $ref: '#/components/parameters/AssetId' }],
        requestBody: jsonBody,
        responses: {
          '201': { description: 'The comment, with `mentions` notified' },
          '400': errorResponse('VALIDATION_FAILED'),
        },
      },
    },
    '/api/assets/{id}/comments/{commentId}/resolve': {
      post: {
        summary: 'Resolve a comment',
        parameters: [{ $ref: '#/components/parameters/AssetId' }, commentParam],
        responses: { '200': { description: 'The comment' }, '404': errorResponse('COMMENT_NOT_FOUND') },
      },
    },
    '/api/assets/{id}/comments/{commentId}/reopen': {
      post: {
        summary: 'Reopen a resolved comment',
        parameters: [{ $ref: '#/components/parameters/AssetId' }, commentParam],
        responses: { '200': { description: 'The comment' }, '404': errorResponse('COMMENT_NOT_FOUND') },
      },
    },
    '/api/notifications': {
      get: {
        summary: "The caller's notifications, newest first (?unread=true), with the unread count",
        responses: { '200': { description: '{unread, notifications}' } },
      },
    },
    '/api/notifications/stream': {
      get: {
        summary:
          'Server-Sent Events: `hello` with the unread count, then each new `notification` as it is raised. At most 5 streams per user (1000 in all); a stream ends when its session or token does (checked on each heartbeat and at sign-out or disablement)',
        responses: {
          '200': { description: 'text/event-stream' },
          '429': errorResponse('TOO_MANY_STREAMS'),
        },
      },
    },
    '/api/notifications/read-all': {
      post: { summary: 'Mark all read', responses: { '200': { description: '{marked}' } } },
    },
    '/api/notifications/{notificationId}/read': {
      post: {
        summary: 'Mark one read',
        parameters: [{ name: 'notificationId', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': { description: 'The notification' },
          '404': errorResponse('NOTIFICATION_NOT_FOUND'),
        },
      },
    },
    '/api/assets/{id}/analytics': {
      get: {
        summary: "An asset's views, downloads, shares, exports and last use (?from, ?to)",
        parameters: [{ $ref: '#/components/parameters/AssetId' }],
        responses: { '200': { description: '{views, downloads, shares, exports, lastUsedAt}' } },
      },
    },
    '/api/analytics/summary': {
      get: {
        summary:
          'Totals, per period (?period=day|week|month), per channel, the 10 most used assets and the reuse rate (?from, ?to); analysts',
        responses: {
          '200': { description: '{totals, byPeriod, byChannel, mostUsed, reuse}' },
          '403': errorResponse('FORBIDDEN'),
        },
      },
    },
    '/api/analytics/assets': {
      get: {
        summary: 'Usage per asset, most used first (?from, ?to, ?limit, ?format=csv); analysts',
        responses: { '200': { description: '{items} or text/csv' }, '403': errorResponse('FORBIDDEN') },
      },
    },
    '/api/analytics/unused': {
      get: {
        summary:
          'Assets not used for ?days=N (default 90): candidates for cold storage (?format=csv); analysts',
        responses: { '200': { description: '{items} or text/csv' }, '403': errorResponse('FORBIDDEN') },
      },
    },
    '/api/trace': {
      post: {
        summary:
          'Trace a leaked image (the image as the body): the distribution events whose invisible watermark it carries, or found: false; investigators. A crop is located in the marked renditions (nearest perceptual hash first, limits.traceCandidates of them) and read there',
        parameters: [
          {
            name: 'asset',
            in: 'query',
            required: false,
            description: 'Compare a cropped image with this asset only',
            schema: { type: 'string', format: 'uuid' },
          },
        ],
        requestBody: {
          required: true,
          content: { 'image/*': { schema: { type: 'string', format: 'binary' } } },
        },
        responses: {
          '200': {
            description:
              '{found, payload, confidence, events, method: blind|registered, match?} or {found: false, confidence, message, payload?, match?, candidatesTried, skipped?}; match = {assetId, version, rendition, scale, left, top, score, coverage}; skipped = [{assetId, version, rendition, reason}]',
          },
          '400': errorResponse('VALIDATION_FAILED'),
          '403': errorResponse('FORBIDDEN'),
          '413': errorResponse('IMAGE_TOO_LARGE (pixel limit) or a body over limits.maxUploadBytes'),
          '422': errorResponse('FILE_CORRUPT'),
        },
      },
    },
    '/s/share.css': {
      get: {
        summary: 'Style of the share landing pages',
        security: [],
        responses: { '200': { description: 'text/css' } },
      },
    },
    '/s/{token}': {
      get: {
        summary: 'Share landing page (HTML): password form, sign-in request or the shared files',
        security: [],
        parameters: [tokenParam],
        responses: {
          '200': { description: 'text/html' },
          '401': { description: 'Password or sign-in needed' },
          '404': { description: 'Unknown, expired, revoked or taken down: one page for all' },
        },
      },
      post: {
        summary: 'Unlock a password-protected link (form field password)',
        security: [],
        parameters: [tokenParam],
        responses: {
          '303': { description: 'Unlocked: back to the page' },
          '401': { description: 'Wrong password' },
          '423': errorResponse('SHARE_LOCKED: 50 wrong passwords over the link’s life'),
          '429': errorResponse(
            'TOO_MANY_ATTEMPTS: 5 wrong per address, 10 from all addresses, in 15 minutes',
          ),
          '503': errorResponse('SERVER_BUSY: password checking is at capacity; retry'),
        },
      },
    },
    '/s/{token}/download': {
      get: {
        summary: 'Redirects to the landing page: a GET (a mail scanner) never downloads',
        security: [],
        parameters: [tokenParam],
        responses: { '303': { description: 'To /s/{token}' } },
      },
      post: {
        summary: "The link's file, or a zip of its files (?asset=id for one); counted against its downloads",
        security: [],
        parameters: [tokenParam],
        responses: {
          '200': { description: 'The file' },
          '404': { description: 'Not available' },
          '429': errorResponse('No downloads left'),
        },
      },
    },
    '/s/{token}/preview/{assetId}': {
      get: {
        summary: 'A small preview for the landing page',
        security: [],
        parameters: [tokenParam, { name: 'assetId', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '200': { description: 'image' }, '404': { description: 'Not available' } },
      },
    },
  },
  security: [{ session: [] }, { bearer: [] }],
  components: {
    securitySchemes: {
      session: {
        type: 'apiKey',
        in: 'cookie',
        name: 'assetflow_session',
        description: 'Set by POST /api/auth/login',
      },
      bearer: { type: 'http', scheme: 'bearer', description: 'An API token from POST /api/tokens' },
    },
    parameters: {
      AssetId: { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
    },
    schemas: {
      Error: {
        type: 'object',
        required: ['error'],
        properties: {
          error: {
            type: 'object',
            required: ['code', 'message', 'details'],
            properties: {
              code: { type: 'string', examples: ['FILE_EMPTY', 'ASSET_NOT_FOUND'] },
              message: { type: 'string' },
              details: { type: 'object' },
            },
          },
        },
      },
      UploadedAsset: {
        allOf: [
          { $ref: '#/components/schemas/Asset' },
          {
            type: 'object',
            required: ['duplicates'],
            properties: {
              duplicates: {
                type: 'array',
                description:
                  'Live versions with the same bytes (`exact`) or a similar image (`near`), best first.',
                items: {
                  type: 'object',
                  properties: {
                    assetId: { type: 'string', format: 'uuid' },
                    version: { type: 'integer' },
                    ruleSet: { type: 'string' },
                    kind: { enum: ['exact', 'near'] },
                    similarity: { type: 'number', description: '1 − d/64 for pHash Hamming distance d' },
                    distance: { type: 'integer' },
                  },
                },
              },
              linkedAsVersion: { type: 'integer' },
              renamedFrom: { type: 'string' },
              namingWarning: {
                type: 'object',
                properties: { expected: { type: 'string' }, suggestion: { type: 'string' } },
              },
            },
          },
        ],
      },
      Asset: {
        type: 'object',
        required: [
          'id',
          'name',
          'state',
          'kind',
          'ruleSet',
          'workflowId',
          'metadata',
          'latestVersion',
          'createdAt',
          'updatedAt',
        ],
        properties: {
          id: { type: 'string', format: 'uuid' },
          name: { type: 'string', description: 'The uploaded file name, for display (Unicode kept).' },
          state: { type: 'string', enum: ['created', 'stored', 'expired'] },
          kind: { type: 'string', enum: ['unknown', 'image', 'generic'] },
          ruleSet: { type: 'string' },
          workflowId: { type: 'string', examples: ['asset-0b6f…'] },
          metadata: { type: 'object' },
          tags: { type: 'array', items: { type: 'string' }, description: 'From people, rules and ingest.' },
          frozen: { type: ['object', 'null'], description: 'Who froze the asset, when and why.' },
          legalHold: { type: ['object', 'null'] },
          tier: { enum: ['hot', 'cold'] },
          compliance: { type: ['object', 'null'], description: 'Naming, required fields, brand colours.' },
          latestVersion: {
            type: 'object',
            properties: {
              version: { type: 'integer' },
              sha256: { type: 'string' },
              sizeBytes: { type: 'integer' },
              originalName: { type: 'string' },
              declaredMediaType: { type: 'string' },
              analysis: {
                type: ['object', 'null'],
                description:
                  'What ingest found: media type from content, image format and size, EXIF/IPTC/XMP (`embedded`), `colours` (palette with English and Chinese names, tone), `brandColours` (ΔE00), `perceptualHash`, `tags` (name, source ai/rule/user, confidence), OCR `text`, `preview` (video/PDF facts or why none) and `thumbnail`; null until ingested.',
              },
              createdAt: { type: 'string', format: 'date-time' },
            },
          },
          createdAt: { type: 'string', format: 'date-time' },
          updatedAt: { type: 'string', format: 'date-time' },
        },
      },
      Timeline: {
        type: 'object',
        properties: {
          assetId: { type: 'string' },
          state: { type: 'string' },
          timeline: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                seq: { type: 'integer' },
                from: { type: ['string', 'null'] },
                to: { type: 'string' },
                at: { type: 'string', format: 'date-time' },
                reason: { type: 'string' },
              },
            },
          },
        },
      },
      Health: {
        type: 'object',
        properties: {
          status: { type: 'string', enum: ['ok', 'degraded'] },
          dependencies: {
            type: 'object',
            properties: { database: { type: 'object' }, temporal: { type: 'object' } },
          },
        },
      },
    },
  },
} as const;
