import type { AccessRepository, ProjectRecord } from '../catalogue/access.repository';
import type { ApprovalRepository } from '../catalogue/approval.repository';
import type { CollectionRepository } from '../catalogue/collection.repository';
import type { SavedSearchRepository } from '../catalogue/saved-search.repository';
import type { ShareRepository } from '../catalogue/share.repository';
import { AssetflowError, ErrorCodes } from '../domain/errors';
import { isUuid } from '../domain/ids';
import {
  type AccessLevel,
  atLeast,
  type Grant,
  isAdmin,
  levelOf,
  type Principal,
  principalKeys,
} from '../policy/access';
import {
  decide,
  levelOnCollection,
  levelOnSavedSearch,
  type Requirement,
  type ResourceAccess,
  type ResourceKind,
} from '../policy/policy';

/**
 * Looks up what a caller holds on the resources a request names, and enforces `decide` on them.
 * The decisions themselves are in policy/policy.ts; this is their I/O.
 */
export class AccessService {
  constructor(
    private readonly deps: {
      access: AccessRepository;
      approvals: ApprovalRepository;
      shares: ShareRepository;
      savedSearches: Pick<SavedSearchRepository, 'byId'>;
      collections: Pick<CollectionRepository, 'byId'>;
    },
  ) {}

  /** The caller's access to the resource a path names (nothing when it does not exist). */
  async accessTo(
    principal: Principal,
    requirement: Requirement,
    params: Record<string, string>,
  ): Promise<ResourceAccess> {
    switch (requirement.kind) {
      case 'asset':
        return { level: await this.levelOnAsset(principal, params.id ?? '') };
      case 'approval': {
        const tasks = await this.deps.approvals.forApproval(params.approvalId ?? '');
        return tasks[0] ? { level: await this.levelOnAsset(principal, tasks[0].assetId) } : {};
      }
      case 'project': {
        const grants = await this.deps.access.grantsOf(params.project ?? '');
        const exists =
          grants.length > 0 || (await this.deps.access.project(params.project ?? '')) !== undefined;
        return exists ? { level: levelOf(principal, grants) } : {};
      }
      case 'share': {
        const share = isUuid(params.id) ? await this.deps.shares.byId(params.id) : undefined;
        if (!share) return {};
        return {
          creator: share.createdBy === principal.id,
          level: await this.lowestLevel(principal, share.assetIds),
        };
      }
      case 'collection': {
        const id = params.collectionId;
        const collection = isUuid(id) ? await this.deps.collections.byId(id) : undefined;
        if (!collection) return {};
        const level = levelOnCollection(principal, { owner: collection.owner.id, team: collection.team });
        return level ? { level } : {};
      }
      case 'saved-search': {
        const id = params.savedSearchId;
        const search = isUuid(id) ? await this.deps.savedSearches.byId(id) : undefined;
        if (!search) return {};
        const level = levelOnSavedSearch(principal, { owner: search.owner.id, team: search.team });
        return level ? { level } : {};
      }
      default:
        return {};
    }
  }

  /**
   * Enforces `level` on every asset a request body names: 404 for any the caller cannot see
   * (as if it did not exist), 403 when they can see it but not at that level.
   */
  async requireOnAssets(principal: Principal, assetIds: string[], level: AccessLevel): Promise<void> {
    const known = await this.deps.access.grantsOfAssets(assetIds.filter(isUuid));
    for (const id of assetIds) {
      // The catalogue answers ids in lower case; a UUID may be written in either.
      const entry = known.get(id.toLowerCase());
      // An id naming no asset is unknown to everyone, administrators included (they pass `decide`
      // without a level, and the handler would then meet nothing).
      if (!entry) throw notFound('asset', { id });
      const access = { level: levelOf(principal, entry.grants) };
      enforce(decide(principal, { kind: 'asset', level }, access), { id });
    }
  }

  async requireOnProject(principal: Principal, project: string, level: AccessLevel): Promise<void> {
    const access = await this.accessTo(principal, { kind: 'project', level }, { project });
    enforce(decide(principal, { kind: 'project', level }, access), { id: project });
  }

  /** The caller's level on each of the assets they can see (others are absent). */
  async levelsOn(principal: Principal, assetIds: string[]): Promise<Map<string, AccessLevel>> {
    const known = await this.deps.access.grantsOfAssets(assetIds.filter(isUuid));
    const levels = new Map<string, AccessLevel>();
    for (const [id, entry] of known) {
      const level = levelOf(principal, entry.grants);
      if (level) levels.set(id, level);
    }
    return levels;
  }

  /** The projects whose assets the caller may see ('all' for administrators). */
  async visibleProjects(principal: Principal): Promise<string[] | 'all'> {
    if (isAdmin(principal)) return 'all';
    return this.deps.access.visibleProjects(principalKeys(principal));
  }

  async createProject(
    principal: Principal,
    input: { id: string; name: string; grants?: Grant[] },
  ): Promise<ProjectRecord> {
    refuseRepeatedPrincipals(input.grants ?? []);
    // The creator manages the project they make, whatever else the request grants.
    const grants = [
      ...(input.grants ?? []).filter((g) => g.principal !== `user:${principal.id}`),
      { principal: `user:${principal.id}`, level: 'manage' as const },
    ];
    const created = await this.deps.access.createProject({ ...input, createdBy: principal.email, grants });
    if (!created)
      throw new AssetflowError(
        ErrorCodes.PROJECT_EXISTS,
        `The project id "${input.id}" is taken; choose another.`,
        409,
        {
          id: input.id,
        },
      );
    return (await this.deps.access.project(input.id))!;
  }

  async project(id: string): Promise<ProjectRecord> {
    const project = await this.deps.access.project(id);
    if (!project) throw notFound('project', { id });
    return project;
  }

  /** Projects the caller holds any grant on, with their level on each. */
  async projects(principal: Principal): Promise<Array<ProjectRecord & { level: AccessLevel }>> {
    const projects = await this.deps.access.projectsFor(
      isAdmin(principal) ? 'all' : principalKeys(principal),
    );
    return projects.map((p) => ({ ...p, level: levelOf(principal, p.grants) ?? 'view' }));
  }

  async replaceGrants(id: string, grants: Grant[]): Promise<ProjectRecord> {
    refuseRepeatedPrincipals(grants);
    // A project nobody manages could only be repaired by an administrator.
    if (!grants.some((g) => g.level === 'manage')) {
      throw new AssetflowError(
        ErrorCodes.VALIDATION_FAILED,
        'Keep at least one grant with level "manage".',
        400,
      );
    }
    await this.deps.access.replaceGrants(id, grants);
    return this.project(id);
  }

  private async levelOnAsset(principal: Principal, assetId: string): Promise<AccessLevel | undefined> {
    if (!isUuid(assetId)) return undefined;
    const entry = (await this.deps.access.grantsOfAssets([assetId])).get(assetId);
    return entry ? levelOf(principal, entry.grants) : undefined;
  }

  /** The caller's lowest level across several assets (undefined if any is invisible). */
  private async lowestLevel(principal: Principal, assetIds: string[]): Promise<AccessLevel | undefined> {
    const known = await this.deps.access.grantsOfAssets(assetIds);
    let lowest: AccessLevel | undefined = 'manage';
    for (const id of assetIds) {
      const entry = known.get(id);
      const level = entry ? levelOf(principal, entry.grants) : undefined;
      if (!level) return undefined;
      if (!atLeast(level, lowest)) lowest = level;
    }
    return lowest;
  }
}

/** Throws the error a refused decision stands for. */
export function enforce(decision: ReturnType<typeof decide>, details: { id?: string } = {}): void {
  if (decision.allow) return;
  if (decision.status === 401)
    throw new AssetflowError(ErrorCodes.NOT_SIGNED_IN, 'Sign in first (session cookie or API token).', 401);
  if (decision.status === 403)
    throw new AssetflowError(ErrorCodes.FORBIDDEN, 'Your access does not allow this.', 403);
  throw notFound(decision.resource, details);
}

/** One level per principal: a principal granted twice is a 400 (it was a database error, a 500). */
function refuseRepeatedPrincipals(grants: Grant[]): void {
  const seen = new Set<string>();
  for (const { principal } of grants) {
    if (seen.has(principal))
      throw new AssetflowError(
        ErrorCodes.VALIDATION_FAILED,
        `"${principal}" is granted more than once.`,
        400,
        {
          principal,
        },
      );
    seen.add(principal);
  }
}

/** The same answer as for an id that was never used, so a refusal reveals nothing. */
function notFound(resource: ResourceKind, details: { id?: string }): AssetflowError {
  const id = details.id ?? '';
  switch (resource) {
    case 'asset':
      return new AssetflowError(ErrorCodes.ASSET_NOT_FOUND, `No asset with id ${id}.`, 404, { id });
    case 'approval':
      return new AssetflowError(ErrorCodes.APPROVAL_NOT_FOUND, `No approval ${id}.`, 404);
    case 'project':
      return new AssetflowError(ErrorCodes.PROJECT_NOT_FOUND, `No project ${id}.`, 404, { id });
    case 'share':
      return new AssetflowError(ErrorCodes.SHARE_NOT_FOUND, `No share link ${id}.`, 404, { id });
    case 'saved-search':
      return savedSearchNotFound(id);
    case 'collection':
      return collectionNotFound(id);
  }
}

/** The answer for a collection the caller may not see, and for an id never used. */
export function collectionNotFound(id: string): AssetflowError {
  return new AssetflowError(ErrorCodes.COLLECTION_NOT_FOUND, `No collection ${id}.`, 404, { id });
}

/** The answer for a saved search the caller may not see, and for an id never used. */
export function savedSearchNotFound(id: string): AssetflowError {
  return new AssetflowError(ErrorCodes.SAVED_SEARCH_NOT_FOUND, `No saved search ${id}.`, 404, { id });
}
