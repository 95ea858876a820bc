import type { AssetRecord, AssetRepository } from '../catalogue/asset.repository';
import type {
  CollectionRecord,
  CollectionRepository,
  CollectionSummaryRecord,
} from '../catalogue/collection.repository';
import { AssetflowError, ErrorCodes } from '../domain/errors';
import { isUuid } from '../domain/ids';
import { isAdmin, type Principal } from '../policy/access';
import { type AccessService, collectionNotFound } from './access.service';
import { nameOf, refuseForeignTeam } from './team-sharing';

/** How many collections one person may own, how many a listing answers, how many assets one holds. */
export const COLLECTION_LIMITS = { perOwner: 200, listed: 500, assets: 500 } as const;

/** A collection with the items the caller may see, in its order. */
export interface CollectionView {
  collection: CollectionRecord;
  items: AssetRecord[];
}

/**
 * Collections (lightboxes): named, ordered sets of assets a person keeps, optionally shared with
 * one of their teams, whose members may change what it holds (the policy, `collection`, decides
 * who may before this runs). Each reader sees only the items they may see and none in the trash;
 * a change by someone who cannot see some items keeps those, after the ones they listed. At most
 * 500 assets, so a collection always fits one share link.
 */
export class CollectionService {
  constructor(
    private readonly deps: {
      collections: CollectionRepository;
      assets: Pick<AssetRepository, 'findMany'>;
      access: Pick<AccessService, 'requireOnAssets' | 'levelsOn'>;
    },
  ) {}

  /** The caller's own collections and those shared with one of their teams. */
  list(actor: Principal): Promise<CollectionSummaryRecord[]> {
    return this.deps.collections.visibleTo(actor.id, actor.teams, COLLECTION_LIMITS.listed);
  }

  async create(
    actor: Principal,
    input: { name: string; team?: string | null | undefined; assetIds?: string[] | undefined },
  ): Promise<CollectionView> {
    const team = input.team ?? null;
    refuseForeignTeam(actor, team);
    const assetIds = distinct(input.assetIds ?? []);
    if (assetIds.length > 0) await this.deps.access.requireOnAssets(actor, assetIds, 'view');
    // Counted before inserting: two at once may pass one over the limit, which is harmless.
    const owned = await this.deps.collections.countOwnedBy(actor.id);
    if (owned >= COLLECTION_LIMITS.perOwner)
      throw new AssetflowError(
        ErrorCodes.TOO_MANY_COLLECTIONS,
        `You have ${owned} collections, the most one person may keep; delete one first.`,
        409,
        { limit: COLLECTION_LIMITS.perOwner },
      );
    const created = await this.deps.collections.create(actor.id, {
      name: nameOf(input.name, 'collection'),
      team,
    });
    const collection =
      assetIds.length > 0 ? await this.deps.collections.setItems(created.id, assetIds, actor.id) : created;
    return this.view(actor, collection ?? created);
  }

  async get(actor: Principal, id: string): Promise<CollectionView> {
    return this.view(actor, await this.find(id));
  }

  async update(
    actor: Principal,
    id: string,
    change: { name?: string | undefined; team?: string | null | undefined },
  ): Promise<CollectionView> {
    const current = await this.find(id);
    if (change.team !== undefined && change.team !== current.team) refuseForeignTeam(actor, change.team);
    const updated = await this.deps.collections.update(id, {
      name: change.name === undefined ? current.name : nameOf(change.name, 'collection'),
      team: change.team === undefined ? current.team : change.team,
    });
    if (!updated) throw collectionNotFound(id);
    return this.view(actor, updated);
  }

  async delete(id: string): Promise<void> {
    if (!isUuid(id) || !(await this.deps.collections.delete(id))) throw collectionNotFound(id);
  }

  /**
   * Makes `assetIds` what the collection holds, in this order (an empty list empties it). Items
   * the caller does not see — assets of projects they have no grant on, assets in the trash — are
   * not theirs to remove: they stay, after the listed ones.
   */
  async setAssets(actor: Principal, id: string, listed: string[]): Promise<CollectionView> {
    const current = await this.find(id);
    const assetIds = distinct(listed);
    if (assetIds.length > 0) await this.deps.access.requireOnAssets(actor, assetIds, 'view');
    const named = new Set(assetIds);
    const shown = new Set((await this.visibleItems(actor, current.assetIds)).map((a) => a.id));
    const kept = current.assetIds.filter((a) => !shown.has(a) && !named.has(a));
    const next = [...assetIds, ...kept];
    if (next.length > COLLECTION_LIMITS.assets)
      throw new AssetflowError(
        ErrorCodes.VALIDATION_FAILED,
        `A collection holds at most ${COLLECTION_LIMITS.assets} assets; this would hold ${next.length}.`,
        400,
        { field: 'assetIds', limit: COLLECTION_LIMITS.assets, kept: kept.length },
      );
    const updated = await this.deps.collections.setItems(id, next, actor.id);
    if (!updated) throw collectionNotFound(id);
    return this.view(actor, updated);
  }

  private async find(id: string): Promise<CollectionRecord> {
    // Administrators pass the policy without a lookup: what is not a UUID is unknown here too.
    const found = isUuid(id) ? await this.deps.collections.byId(id) : undefined;
    if (!found) throw collectionNotFound(id);
    return found;
  }

  private async view(actor: Principal, collection: CollectionRecord): Promise<CollectionView> {
    return { collection, items: await this.visibleItems(actor, collection.assetIds) };
  }

  /** The items the caller may see, in the collection's order, without those in the trash or purged. */
  private async visibleItems(actor: Principal, assetIds: string[]): Promise<AssetRecord[]> {
    if (assetIds.length === 0) return [];
    const [records, levels] = await Promise.all([
      this.deps.assets.findMany(assetIds),
      this.deps.access.levelsOn(actor, assetIds),
    ]);
    const byId = new Map(records.map((r) => [r.id, r]));
    return assetIds.flatMap((id) => {
      const asset = byId.get(id);
      const visible = asset && (levels.has(id) || isAdmin(actor));
      return visible && asset.state !== 'trashed' && asset.state !== 'purged' ? [asset] : [];
    });
  }
}

/** Ids in lower case (a UUID may be written in either), each once, in their first order. */
function distinct(ids: string[]): string[] {
  return [...new Set(ids.map((id) => id.toLowerCase()))];
}
