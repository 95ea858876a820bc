import { escapeRegExp } from '../domain/regexp';
import type { Requirement } from './policy';

const PUBLIC: Requirement = { kind: 'public' };
const SIGNED_IN: Requirement = { kind: 'signed-in' };
const RULE_AUTHORS: Requirement = { kind: 'role', anyOf: ['rule-author'] };
const ADMINS: Requirement = { kind: 'role', anyOf: [] };
/** Catalogue-wide figures name assets from every project: analysts and administrators only. */
const ANALYSTS: Requirement = { kind: 'role', anyOf: ['analyst'] };
const asset = (level: 'view' | 'edit' | 'manage'): Requirement => ({ kind: 'asset', level });
/** Owners manage their saved searches; members of the team one is shared with view it. */
const savedSearch = (level: 'view' | 'manage'): Requirement => ({ kind: 'saved-search', level });
/** Owners manage their collections; members of the team one is shared with change its items. */
const collection = (level: 'view' | 'edit' | 'manage'): Requirement => ({ kind: 'collection', level });

/**
 * What every endpoint requires, keyed `METHOD /path` as in the OpenAPI document. The server
 * enforces this table before any route runs and refuses (404) a request no entry matches, so a
 * route added without an entry here cannot be reached. The authorisation matrix test is
 * generated from it.
 *
 * Some requests name resources in their body (the project of an upload, the assets of a share
 * link or an export); their handlers check those with the same `decide`, marked "+ body" below.
 * Rule-set roles (who may freeze, who reviews) are decided by the asset's workflow, after this.
 */
export const endpointPolicy: Record<string, Requirement> = {
  'GET /api/health': PUBLIC,
  'GET /api/openapi.json': PUBLIC,
  'GET /api/docs': PUBLIC,
  'GET /api/docs.css': PUBLIC,
  'POST /api/auth/login': PUBLIC,
  'POST /api/auth/logout': PUBLIC,
  'GET /api/auth/me': SIGNED_IN,
  'POST /api/auth/password': SIGNED_IN, // the caller's own, with the current one
  'GET /api/auth/sessions': SIGNED_IN, // the caller's own
  'DELETE /api/auth/sessions': SIGNED_IN,
  'DELETE /api/auth/sessions/{sessionId}': SIGNED_IN,
  'GET /api/tokens': SIGNED_IN, // the caller's own
  'POST /api/tokens': SIGNED_IN,
  'DELETE /api/tokens/{tokenId}': SIGNED_IN, // the owner's or, for administrators, anyone's

  'GET /api/users': ADMINS,
  'POST /api/users': ADMINS,
  'PUT /api/users/{userId}/roles': ADMINS,
  'POST /api/users/{userId}/disable': ADMINS,
  'POST /api/users/{userId}/enable': ADMINS,
  'POST /api/users/{userId}/password-reset': ADMINS,
  'GET /api/users/{userId}/sessions': ADMINS,
  'DELETE /api/users/{userId}/sessions': ADMINS,
  'GET /api/users/{userId}/tokens': ADMINS,
  'GET /api/projects': SIGNED_IN,
  'POST /api/projects': SIGNED_IN,
  'GET /api/projects/{project}': { kind: 'project', level: 'view' },
  'PUT /api/projects/{project}/grants': { kind: 'project', level: 'manage' },

  'POST /api/assets': SIGNED_IN, // + body: edit on the target project
  'POST /api/assets/lookup': SIGNED_IN, // names only the assets the caller may see
  'GET /api/assets/{id}': asset('view'),
  'GET /api/assets/{id}/thumbnail': asset('view'),
  'GET /api/assets/{id}/timeline': asset('view'),
  'GET /api/assets/{id}/similar': asset('view'), // lists only the similar assets the caller may see
  'GET /api/assets/{id}/lifecycle': asset('view'),
  'GET /api/assets/{id}/renditions/{rendition}': asset('view'), // + the audience rules of the rule set
  'POST /api/assets/{id}/download-requests': asset('view'),
  'POST /api/assets/{id}/versions': asset('edit'),
  'PATCH /api/assets/{id}/metadata': asset('edit'),
  'POST /api/assets/{id}/events': asset('edit'),
  'POST /api/assets/{id}/freeze': asset('edit'),
  'POST /api/assets/{id}/unfreeze': asset('edit'),
  'POST /api/assets/{id}/legal-hold': asset('edit'),
  'POST /api/assets/{id}/archive': asset('edit'),
  'POST /api/assets/{id}/flows/{flow}': asset('edit'),
  'POST /api/assets/{id}/restore': asset('manage'),
  'PATCH /api/assets/{id}/tags': asset('edit'),
  'PATCH /api/assets/{id}/dimensions': asset('edit'),
  'POST /api/assets/{id}/move': asset('edit'), // + body: edit on the target project
  'DELETE /api/assets/{id}': asset('edit'), // into the trash; restorable until it empties
  'POST /api/trash/{id}/restore': asset('edit'),
  'POST /api/bulk': SIGNED_IN, // + body: edit on each asset, refused per asset
  'GET /api/bulk/{batchId}': SIGNED_IN, // its starter's only (and administrators')
  'GET /api/trash': SIGNED_IN, // lists only what the caller can see
  'POST /api/trash': SIGNED_IN, // + body: edit on each asset, decided per asset
  'POST /api/trash/restore': SIGNED_IN, // + body: edit on each asset, decided per asset
  'GET /api/assets/{id}/trail': asset('manage'),

  'GET /api/assets/{id}/versions': asset('view'),
  'GET /api/assets/{id}/compare': asset('view'),
  'GET /api/assets/{id}/compare/image': asset('view'),
  'POST /api/assets/{id}/versions/{version}/restore': asset('edit'),
  'GET /api/assets/{id}/comments': asset('view'),
  'POST /api/assets/{id}/comments': asset('view'), // reviewers who only view may comment
  'POST /api/assets/{id}/comments/{commentId}/resolve': asset('view'),
  'POST /api/assets/{id}/comments/{commentId}/reopen': asset('view'),

  'GET /api/notifications': SIGNED_IN, // always the caller's own
  'GET /api/notifications/stream': SIGNED_IN,
  'POST /api/notifications/read-all': SIGNED_IN,
  'POST /api/notifications/{notificationId}/read': SIGNED_IN,

  'GET /api/assets/{id}/analytics': asset('view'),
  'GET /api/analytics/summary': ANALYSTS,
  'GET /api/analytics/assets': ANALYSTS,
  'GET /api/analytics/unused': ANALYSTS,

  'GET /api/approvals': SIGNED_IN, // lists only approvals on assets the caller can see
  'GET /api/approvals/{approvalId}': { kind: 'approval', level: 'view' },
  'POST /api/approvals/{approvalId}/decision': { kind: 'approval', level: 'view' },

  'GET /api/search': SIGNED_IN, // finds only assets the caller can see
  'GET /api/trees/{ruleSet}/{tree}': SIGNED_IN,
  'GET /api/saved-searches': SIGNED_IN, // the caller's own and those shared with their teams
  'POST /api/saved-searches': SIGNED_IN, // + body: a team the caller is in
  'GET /api/saved-searches/{savedSearchId}': savedSearch('view'),
  'PATCH /api/saved-searches/{savedSearchId}': savedSearch('manage'),
  'DELETE /api/saved-searches/{savedSearchId}': savedSearch('manage'),
  'GET /api/saved-searches/{savedSearchId}/results': savedSearch('view'), // finds what the caller can see
  'GET /api/collections': SIGNED_IN, // the caller's own and those shared with their teams
  'POST /api/collections': SIGNED_IN, // + body: a team the caller is in, view on every asset
  'GET /api/collections/{collectionId}': collection('view'), // lists the items the caller can see
  'PATCH /api/collections/{collectionId}': collection('manage'),
  'DELETE /api/collections/{collectionId}': collection('manage'),
  'PUT /api/collections/{collectionId}/assets': collection('edit'), // + body: view on every asset

  'GET /api/rule-sets': SIGNED_IN,
  'GET /api/rule-sets/{name}': SIGNED_IN,
  'GET /api/rule-sets/{name}/versions/{version}': SIGNED_IN,
  'POST /api/rule-sets/validate': SIGNED_IN,
  'POST /api/rule-sets/{name}/dry-run': SIGNED_IN,
  'POST /api/rule-sets': RULE_AUTHORS,
  'POST /api/rule-sets/{name}/migrations': RULE_AUTHORS,

  'POST /api/shares': SIGNED_IN, // + body: edit on every asset
  'GET /api/shares': SIGNED_IN, // the caller's own links (all links for administrators)
  'DELETE /api/shares/{id}': { kind: 'share' },
  'GET /api/shares/{id}/trail': { kind: 'share' },
  'POST /api/exports': SIGNED_IN, // + body: edit on every asset
  'GET /api/audit': ADMINS,
  'POST /api/trace': { kind: 'role', anyOf: ['investigator'] }, // leak investigations (and administrators)

  // The public side of share links: the token is the credential, checked by the share service.
  'GET /s/{token}': PUBLIC,
  'POST /s/{token}': PUBLIC,
  'GET /s/{token}/download': PUBLIC,
  'POST /s/{token}/download': PUBLIC,
  'GET /s/{token}/preview/{assetId}': PUBLIC,
  'GET /s/share.css': PUBLIC,
};

export interface EndpointMatch {
  key: string;
  requirement: Requirement;
  params: Record<string, string>;
}

interface CompiledEndpoint {
  key: string;
  method: string;
  pattern: RegExp;
  requirement: Requirement;
}

const compiled: CompiledEndpoint[] = Object.entries(endpointPolicy)
  .map(([key, requirement]) => {
    const [method, path] = key.split(' ') as [string, string];
    const source = path
      .split('/')
      .map((part) => (/^\{\w+\}$/.test(part) ? `(?<${part.slice(1, -1)}>[^/]+)` : escapeRegExp(part)))
      .join('/');
    // `i`: Express matches routes case-insensitively; `/API/users` must meet the same rule.
    return { key, method, pattern: new RegExp(`^${source}/?$`, 'i'), requirement };
  })
  // Literal segments win over parameters (`/s/share.css` before `/s/{token}`).
  .sort((a, b) => paramCount(a.key) - paramCount(b.key));

/** The table entry for a request, with the path's parameters decoded; undefined when none. */
export function matchEndpoint(method: string, path: string): EndpointMatch | undefined {
  const verb = method === 'HEAD' ? 'GET' : method;
  for (const endpoint of compiled) {
    if (endpoint.method !== verb) continue;
    const found = endpoint.pattern.exec(path);
    if (!found) continue;
    const params: Record<string, string> = {};
    for (const [name, value] of Object.entries(found.groups ?? {})) {
      try {
        params[name] = decodeURIComponent(value);
      } catch {
        return undefined;
      }
    }
    return { key: endpoint.key, requirement: endpoint.requirement, params };
  }
  return undefined;
}

function paramCount(key: string): number {
  return (key.match(/\{/g) ?? []).length;
}
