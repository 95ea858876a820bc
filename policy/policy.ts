import { type AccessLevel, atLeast, isAdmin, type Principal } from './access';

/**
 * What an endpoint requires of its caller. Resources are named by the path: `asset` is the asset
 * in `{id}`, `approval` the approval in `{approvalId}`, `project` the project in `{project}`,
 * `share` the share link in `{id}`, `saved-search` the saved search in `{savedSearchId}`,
 * `collection` the collection in `{collectionId}`.
 */
export type Requirement =
  | { kind: 'public' }
  | { kind: 'signed-in' }
  | { kind: 'role'; anyOf: string[] }
  | { kind: 'asset'; level: AccessLevel }
  | { kind: 'approval'; level: AccessLevel }
  | { kind: 'project'; level: AccessLevel }
  | { kind: 'share' }
  /** Its owner holds `manage`; members of the team it is shared with, `view`. */
  | { kind: 'saved-search'; level: AccessLevel }
  /** Its owner holds `manage`; members of the team it is shared with, `edit` (they change its items). */
  | { kind: 'collection'; level: AccessLevel };

export type ResourceKind = 'asset' | 'approval' | 'project' | 'share' | 'saved-search' | 'collection';

/** Whether deciding needs the caller's access to the resource the path names. */
export function namesResource(
  requirement: Requirement,
): requirement is Extract<Requirement, { kind: ResourceKind }> {
  return ['asset', 'approval', 'project', 'share', 'saved-search', 'collection'].includes(requirement.kind);
}

/**
 * What the caller holds on the resource the path names: their level on its project (absent when
 * they have none, or when the resource does not exist: the two must look the same), and for a
 * share link whether they made it. For a saved search the level is `levelOnSavedSearch`'s.
 */
export interface ResourceAccess {
  level?: AccessLevel;
  creator?: boolean;
}

export type Decision =
  | { allow: true }
  | { allow: false; status: 401; reason: 'not-signed-in' }
  | { allow: false; status: 403; reason: 'forbidden' }
  /** The resource is hidden: the answer is the resource's own "not found". */
  | { allow: false; status: 404; reason: 'not-found'; resource: ResourceKind };

const ALLOW: Decision = { allow: true };

/**
 * A saved search is its owner's (manage: edit, share, delete); members of the team it is shared
 * with may view and run it; nobody else knows it exists.
 */
export function levelOnSavedSearch(
  principal: Principal,
  search: { owner: string; team: string | null },
): AccessLevel | undefined {
  if (search.owner === principal.id) return 'manage';
  if (search.team !== null && principal.teams.includes(search.team)) return 'view';
  return undefined;
}

/** A collection's owner manages it; members of the team it is shared with change its items. */
export function levelOnCollection(
  principal: Principal,
  collection: { owner: string; team: string | null },
): AccessLevel | undefined {
  if (collection.owner === principal.id) return 'manage';
  if (collection.team !== null && principal.teams.includes(collection.team)) return 'edit';
  return undefined;
}

/**
 * The one place that decides whether a caller may do what an endpoint does. Pure: the server
 * looks up the caller's access to the resource and asks here; the authorisation matrix test
 * asks here too, to know what each endpoint must answer.
 *
 * Rules: anonymous callers get 401 for everything but public endpoints. Without at least `view`
 * on a resource's project the resource does not exist for the caller (404, the same answer as
 * for an id that was never used), so probing reveals nothing. With `view` but not the level
 * required, 403. Administrators may do everything.
 */
export function decide(
  principal: Principal | undefined,
  requirement: Requirement,
  access: ResourceAccess = {},
): Decision {
  if (requirement.kind === 'public') return ALLOW;
  if (!principal) return { allow: false, status: 401, reason: 'not-signed-in' };
  if (isAdmin(principal)) return ALLOW;
  switch (requirement.kind) {
    case 'signed-in':
      return ALLOW;
    case 'role':
      return requirement.anyOf.some((role) => principal.roles.includes(role))
        ? ALLOW
        : { allow: false, status: 403, reason: 'forbidden' };
    case 'share':
      // A link is visible to whoever made it and to managers of its assets' project.
      if (access.creator || atLeast(access.level, 'manage')) return ALLOW;
      return { allow: false, status: 404, reason: 'not-found', resource: 'share' };
    default:
      if (!atLeast(access.level, 'view'))
        return { allow: false, status: 404, reason: 'not-found', resource: requirement.kind };
      return atLeast(access.level, requirement.level)
        ? ALLOW
        : { allow: false, status: 403, reason: 'forbidden' };
  }
}
