import { sql } from 'kysely';
import type { AssetKind, Transition, Trashed, VersionAnalysis } from '../domain/asset';
import type { CatalogueDb } from './database';
import { jsonb } from './json';

/** An asset as the catalogue knows it, with its current version. */
export interface AssetRecord {
  id: string;
  workflowId: string;
  displayName: string;
  ruleSet: string;
  ruleSetVersion: number | null;
  /** The project (collection) it lives in: who may see it follows from the project's grants. */
  project: string;
  state: string;
  kind: AssetKind;
  metadata: Record<string, unknown>;
  /** Tags from people, rules and ingest, as the workflow last mirrored them. */
  tags: string[];
  /** Who froze the asset and why, or null. */
  frozen: { by: string; reason: string; at: string } | null;
  legalHold: { by: string; reason: string; at: string } | null;
  /** In the trash: who moved it there, when, the state it left and when the trash purges it; else null. */
  trashed: Trashed | null;
  /** Dimension → values the asset is classified under. */
  dimensions: Record<string, string[]>;
  /** Tags a person added or confirmed: who and when. */
  tagSources: Record<string, { source: 'user'; by: string; at: string }>;
  tier: 'hot' | 'cold';
  compliance: unknown;
  /** Last use the workflow recorded (a view, download, link or export), ISO-8601. */
  lastUsedAt: string | null;
  currentVersion: VersionRecord;
  createdAt: string;
  updatedAt: string;
}

export interface VersionRecord {
  version: number;
  sha256: string;
  sizeBytes: number;
  originalName: string;
  declaredMediaType: string;
  analysis: VersionAnalysis | null;
  createdAt: string;
}

export interface NewAsset {
  id: string;
  workflowId: string;
  displayName: string;
  ruleSet: string;
  ruleSetVersion: number;
  metadata: Record<string, unknown>;
  blob: { sha256: string; sizeBytes: number };
  declaredMediaType: string;
  /** Dimension → values, checked against the rule set by the caller. */
  dimensions?: Record<string, string[]>;
  /** The project it goes into (default: the shared `default` project). */
  project?: string;
  /** Who uploaded it (the author of version 1). */
  createdBy?: string;
}

/** A version the asset's workflow numbered, as recorded in the catalogue. */
export interface NewVersion {
  version: number;
  sha256: string;
  sizeBytes: number;
  originalName: string;
  declaredMediaType: string;
  by: string;
  note: string | null;
}

/** Catalogue reads and writes for assets. Every write is idempotent so activities may retry. */
export class AssetRepository {
  constructor(private readonly db: CatalogueDb) {}

  /** Records a new asset, its first version and its blob in one transaction. */
  async create(asset: NewAsset): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('blobs')
        .values({ sha256: asset.blob.sha256, size_bytes: asset.blob.sizeBytes, tier: 'hot' })
        .onConflict((oc) => oc.column('sha256').doNothing())
        .execute();
      await tx
        .insertInto('assets')
        .values({
          id: asset.id,
          workflow_id: asset.workflowId,
          display_name: asset.displayName,
          rule_set: asset.ruleSet,
          rule_set_version: asset.ruleSetVersion,
          state: 'created',
          state_seq: 0,
          kind: 'unknown',
          metadata: jsonb(asset.metadata),
          dimensions: jsonb(asset.dimensions ?? {}),
          current_version: 1,
          project: asset.project ?? 'default',
        })
        .execute();
      await tx
        .insertInto('asset_versions')
        .values({
          asset_id: asset.id,
          version: 1,
          blob_sha256: asset.blob.sha256,
          original_name: asset.displayName,
          declared_media_type: asset.declaredMediaType,
          analysis: null,
          created_by: asset.createdBy ?? null,
        })
        .execute();
    });
  }

  /**
   * Records version `version` of an asset (its number was chosen by the asset's workflow, which
   * serialises uploads) and makes it current. Keyed by (asset, version): a retry adds nothing.
   */
  async addVersion(assetId: string, v: NewVersion): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('blobs')
        .values({ sha256: v.sha256, size_bytes: v.sizeBytes, tier: 'hot' })
        .onConflict((oc) => oc.column('sha256').doNothing())
        .execute();
      await tx
        .insertInto('asset_versions')
        .values({
          asset_id: assetId,
          version: v.version,
          blob_sha256: v.sha256,
          original_name: v.originalName,
          declared_media_type: v.declaredMediaType,
          analysis: null,
          created_by: v.by,
          note: v.note,
        })
        .onConflict((oc) => oc.columns(['asset_id', 'version']).doNothing())
        .execute();
      await tx
        .updateTable('assets')
        .set({ current_version: sql`greatest(current_version, ${v.version})`, updated_at: new Date() })
        .where('id', '=', assetId)
        .execute();
    });
  }

  async versionNumbers(assetId: string): Promise<number[]> {
    const rows = await this.db
      .selectFrom('asset_versions')
      .select('version')
      .where('asset_id', '=', assetId)
      .orderBy('version')
      .execute();
    return rows.map((r) => r.version);
  }

  /** Removes an asset that never got a workflow (its start failed), so no half-written asset stays. */
  /** Assets whose workflow never recorded a transition, created before `before`. */
  async unstartedBefore(before: Date): Promise<string[]> {
    const rows = await this.db
      .selectFrom('assets')
      .select('id')
      .where('state_seq', '=', 0)
      .where('created_at', '<', before)
      .execute();
    return rows.map((r) => r.id);
  }

  /** Removes an asset whose workflow never started, with the hashes the upload edge indexed for it. */
  async deleteUnstarted(id: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const unstarted = await tx
        .selectFrom('assets')
        .select('id')
        .where('id', '=', id)
        .where('state_seq', '=', 0)
        .forUpdate()
        .executeTakeFirst();
      if (!unstarted) return;
      await tx.deleteFrom('visual_features').where('asset_id', '=', id).execute();
      await tx.deleteFrom('perceptual_hashes').where('asset_id', '=', id).execute();
      await tx.deleteFrom('assets').where('id', '=', id).execute();
    });
  }

  async find(id: string): Promise<AssetRecord | undefined> {
    const row = await this.withCurrentVersion().where('a.id', '=', id).executeTakeFirst();
    return row ? toAssetRecord(row) : undefined;
  }

  /**
   * Assets in the trash, most recently trashed first, in these projects ('all': every project);
   * at most `limit`.
   */
  async listTrashed(projects: string[] | 'all', limit: number): Promise<AssetRecord[]> {
    let query = this.withCurrentVersion().where('a.state', '=', 'trashed');
    if (projects !== 'all') {
      if (projects.length === 0) return [];
      query = query.where('a.project', 'in', projects);
    }
    const rows = await query.orderBy(sql`a.trashed->>'at'`, 'desc').orderBy('a.id').limit(limit).execute();
    return rows.map(toAssetRecord);
  }

  /** Several assets in one query, in no particular order; unknown ids are left out. */
  async findMany(ids: readonly string[]): Promise<AssetRecord[]> {
    if (ids.length === 0) return [];
    // One statement text whatever the number of ids, so the driver's prepared statement is reused.
    return (
      await this.withCurrentVersion()
        .where(sql<boolean>`a.id = ANY(${[...ids]}::uuid[])`)
        .execute()
    ).map(toAssetRecord);
  }

  /** Assets joined to their current version and its blob: what an AssetRecord is made of. */
  private withCurrentVersion() {
    return this.db
      .selectFrom('assets as a')
      .innerJoin('asset_versions as v', (join) =>
        join.onRef('v.asset_id', '=', 'a.id').onRef('v.version', '=', 'a.current_version'),
      )
      .innerJoin('blobs as b', 'b.sha256', 'v.blob_sha256')
      .select([
        'a.id',
        'a.workflow_id',
        'a.display_name',
        'a.rule_set',
        'a.rule_set_version',
        'a.project',
        'a.state',
        'a.kind',
        'a.metadata',
        'a.tags',
        'a.frozen',
        'a.legal_hold',
        'a.trashed',
        'a.dimensions',
        'a.tag_sources',
        'a.tier',
        'a.compliance',
        'a.last_used_at',
        'a.created_at',
        'a.updated_at',
        'v.version',
        'v.blob_sha256',
        'v.original_name',
        'v.declared_media_type',
        'v.analysis',
        'v.created_at as version_created_at',
        'b.size_bytes',
      ]);
  }

  async findVersionBlob(assetId: string, version: number): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('asset_versions')
      .select('blob_sha256')
      .where('asset_id', '=', assetId)
      .where('version', '=', version)
      .executeTakeFirst();
    return row?.blob_sha256;
  }

  /** What analysis found for a version (null before its ingest saved anything). */
  async findVersionAnalysis(assetId: string, version: number): Promise<VersionAnalysis | null> {
    const row = await this.db
      .selectFrom('asset_versions')
      .select('analysis')
      .where('asset_id', '=', assetId)
      .where('version', '=', version)
      .executeTakeFirst();
    return (row?.analysis as VersionAnalysis | null | undefined) ?? null;
  }

  /** Stores what analysis found; running it twice writes the same values. */
  async saveAnalysis(assetId: string, version: number, analysis: VersionAnalysis): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx
        .updateTable('asset_versions')
        .set({ analysis: jsonb(analysis) })
        .where('asset_id', '=', assetId)
        .where('version', '=', version)
        .execute();
      await tx
        .updateTable('assets')
        .set({ kind: analysis.kind, updated_at: new Date() })
        .where('id', '=', assetId)
        .where('current_version', '=', version)
        .execute();
    });
  }

  /**
   * Mirrors one timeline entry. Keyed by (asset, seq): a retried activity inserts nothing new, and
   * the asset's state only ever moves to a later transition.
   */
  async recordTransition(assetId: string, transition: Transition): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('asset_transitions')
        .values({
          asset_id: assetId,
          seq: transition.seq,
          from_state: transition.from,
          to_state: transition.to,
          reason: transition.reason,
          at: transition.at,
          event: transition.event ?? null,
          actor: transition.by ?? null,
        })
        .onConflict((oc) => oc.columns(['asset_id', 'seq']).doNothing())
        .execute();
      await tx
        .updateTable('assets')
        .set({ state: transition.to, state_seq: transition.seq, updated_at: new Date() })
        .where('id', '=', assetId)
        .where('state_seq', '<', transition.seq)
        .execute();
    });
  }

  /** Overwrites the mirrored status; the workflow sends its whole current view, so repeats are harmless. */
  async saveStatus(assetId: string, status: AssetLifecycleStatus): Promise<void> {
    await this.db
      .updateTable('assets')
      .set({
        kind: status.kind,
        tags: status.tags,
        metadata: jsonb(status.metadata),
        frozen: jsonb(status.frozen),
        legal_hold: jsonb(status.legalHold),
        trashed: jsonb(status.trashed ?? null),
        tag_sources: jsonb(status.tagSources ?? null),
        // Kept as uploaded until a person reclassifies the asset through its workflow.
        ...(status.dimensions ? { dimensions: jsonb(status.dimensions) } : {}),
        tier: status.tier,
        compliance: jsonb(status.compliance),
        last_used_at: status.lastUsedAt,
        rule_set_version: status.ruleSetVersion,
        updated_at: new Date(),
      })
      .where('id', '=', assetId)
      .execute();
  }

  async setProject(assetId: string, project: string): Promise<void> {
    await this.db
      .updateTable('assets')
      .set({ project, updated_at: new Date() })
      .where('id', '=', assetId)
      .execute();
  }

  /** Blobs of an asset's versions with how many other live (not purged) assets still use each. */
  async blobUsage(
    assetId: string,
  ): Promise<{ sha256: string; tier: 'hot' | 'cold'; otherLiveUsers: number; otherHotUsers: number }[]> {
    const { rows } = await sql<{
      sha256: string;
      tier: 'hot' | 'cold';
      other_live: string | number;
      other_hot: string | number;
    }>`
      SELECT b.sha256, b.tier,
             count(oa.id) FILTER (WHERE oa.purged_at IS NULL)                    AS other_live,
             count(oa.id) FILTER (WHERE oa.purged_at IS NULL AND oa.tier = 'hot') AS other_hot
        FROM asset_versions v
        JOIN blobs b ON b.sha256 = v.blob_sha256
        LEFT JOIN asset_versions o ON o.blob_sha256 = b.sha256 AND o.asset_id <> v.asset_id
        LEFT JOIN assets oa ON oa.id = o.asset_id
       WHERE v.asset_id = ${assetId}
       GROUP BY b.sha256, b.tier`.execute(this.db);
    return rows.map((r) => ({
      sha256: r.sha256,
      tier: r.tier,
      otherLiveUsers: Number(r.other_live ?? 0),
      otherHotUsers: Number(r.other_hot ?? 0),
    }));
  }

  /**
   * Runs `fn` holding the blob's lock (a transaction-scoped advisory lock on its hash): "is this
   * the last reference? then delete the bytes" in a purge, and "the catalogue names it now; make
   * sure its bytes are there" in an upload, never interleave.
   */
  async underBlobLock<T>(sha256: string, fn: (locked: CatalogueDb) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(async (tx) => {
      await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`blob:${sha256}`}, 0))`.execute(tx);
      // Queries inside use `tx`: asking the pool for another connection while holding this one
      // could wait forever once every connection is held by a waiter for the same lock.
      return fn(tx);
    });
  }

  /** Live (not purged) assets other than `assetId` that have a version with these bytes. */
  async otherLiveUsers(sha256: string, assetId: string, db: CatalogueDb = this.db): Promise<number> {
    const row = await db
      .selectFrom('asset_versions as v')
      .innerJoin('assets as a', 'a.id', 'v.asset_id')
      .select((eb) => eb.fn.count<string>('a.id').distinct().as('n'))
      .where('v.blob_sha256', '=', sha256)
      .where('v.asset_id', '<>', assetId)
      .where('a.purged_at', 'is', null)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async setBlobTier(sha256: string, tier: 'hot' | 'cold'): Promise<void> {
    await this.db.updateTable('blobs').set({ tier }).where('sha256', '=', sha256).execute();
  }

  async setAssetTier(assetId: string, tier: 'hot' | 'cold'): Promise<void> {
    await this.db
      .updateTable('assets')
      .set({ tier, updated_at: new Date() })
      .where('id', '=', assetId)
      .execute();
  }

  /** Marks the asset purged; the row, its versions and its timeline stay as a tombstone. */
  async markPurged(assetId: string, at: Date): Promise<void> {
    await this.db
      .updateTable('assets')
      .set({ purged_at: at, updated_at: at })
      .where('id', '=', assetId)
      .where('purged_at', 'is', null)
      .execute();
  }

  /** Live assets of a rule set that run another version than `version`. */
  async onOtherVersions(
    ruleSet: string,
    version: number,
  ): Promise<{ id: string; ruleSetVersion: number | null; kind: string }[]> {
    const rows = await this.db
      .selectFrom('assets')
      .select(['id', 'rule_set_version', 'kind'])
      .where('rule_set', '=', ruleSet)
      .where('purged_at', 'is', null)
      .where((eb) => eb.or([eb('rule_set_version', 'is', null), eb('rule_set_version', '!=', version)]))
      .orderBy('created_at')
      .execute();
    return rows.map((r) => ({ id: r.id, ruleSetVersion: r.rule_set_version, kind: r.kind }));
  }

  /** Every version of an asset, oldest first, with who made it and their note. */
  async versions(
    assetId: string,
  ): Promise<Array<VersionRecord & { by: string | null; note: string | null }>> {
    const rows = await this.db
      .selectFrom('asset_versions as v')
      .innerJoin('blobs as b', 'b.sha256', 'v.blob_sha256')
      .select([
        'v.version',
        'v.blob_sha256',
        'v.original_name',
        'v.declared_media_type',
        'v.analysis',
        'v.created_at',
        'v.created_by',
        'v.note',
        'b.size_bytes',
      ])
      .where('v.asset_id', '=', assetId)
      .orderBy('v.version')
      .execute();
    return rows.map((row) => ({
      ...toVersionRecord({ ...row, version_created_at: row.created_at }),
      by: row.created_by,
      note: row.note,
    }));
  }

  async timeline(assetId: string): Promise<Transition[]> {
    const rows = await this.db
      .selectFrom('asset_transitions')
      .select(['seq', 'from_state', 'to_state', 'reason', 'at', 'event', 'actor'])
      .where('asset_id', '=', assetId)
      .orderBy('seq')
      .execute();
    return rows.map((r) => ({
      seq: r.seq,
      from: r.from_state as Transition['from'],
      to: r.to_state as Transition['to'],
      reason: r.reason,
      at: r.at.toISOString(),
      ...(r.event ? { event: r.event } : {}),
      ...(r.actor ? { by: r.actor } : {}),
    }));
  }
}

/** What the lifecycle workflow mirrors into the asset row (besides its state). */
export interface AssetLifecycleStatus {
  kind: string;
  tags: string[];
  metadata: Record<string, unknown>;
  frozen: unknown;
  legalHold: unknown;
  /** Absent in statuses saved by runs that never knew the trash: not in it. */
  trashed?: unknown;
  /** Tags a person added or confirmed (absent: none). */
  tagSources?: unknown;
  /** The classification once changed through the workflow (absent: the upload's stands). */
  dimensions?: Record<string, string[]>;
  tier: 'hot' | 'cold';
  compliance: unknown;
  lastUsedAt: string;
  ruleSetVersion: number;
}

/** A row of `withCurrentVersion()` as an AssetRecord. */
function toAssetRecord(row: AssetRow): AssetRecord {
  return {
    id: row.id,
    workflowId: row.workflow_id,
    displayName: row.display_name,
    ruleSet: row.rule_set,
    ruleSetVersion: row.rule_set_version,
    project: row.project,
    state: row.state,
    kind: row.kind as AssetKind,
    metadata: row.metadata as Record<string, unknown>,
    tags: row.tags ?? [],
    frozen: (row.frozen as AssetRecord['frozen']) ?? null,
    legalHold: (row.legal_hold as AssetRecord['legalHold']) ?? null,
    trashed: (row.trashed as Trashed | null) ?? null,
    dimensions: (row.dimensions as Record<string, string[]> | null) ?? {},
    tagSources: (row.tag_sources as AssetRecord['tagSources'] | null) ?? {},
    tier: row.tier,
    compliance: row.compliance ?? null,
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    currentVersion: toVersionRecord(row),
  };
}

type AssetRow = Awaited<
  ReturnType<ReturnType<AssetRepository['withCurrentVersion']>['executeTakeFirstOrThrow']>
>;

/** A version row joined to its blob as a VersionRecord. */
function toVersionRecord(row: {
  version: number;
  blob_sha256: string;
  size_bytes: number | string | bigint;
  original_name: string;
  declared_media_type: string;
  analysis: unknown;
  version_created_at: Date | string;
}): VersionRecord {
  return {
    version: row.version,
    sha256: row.blob_sha256,
    sizeBytes: Number(row.size_bytes),
    originalName: row.original_name,
    declaredMediaType: row.declared_media_type,
    analysis: (row.analysis as VersionAnalysis | null) ?? null,
    createdAt: new Date(row.version_created_at).toISOString(),
  };
}
