import type { AssetRecord } from '../catalogue/asset.repository';
import type { UploadOutcome } from '../services/asset.service';

/** The API's view of an asset; catalogue rows never reach the wire directly. */
export function toAssetResponse(asset: AssetRecord) {
  const v = asset.currentVersion;
  return {
    id: asset.id,
    name: asset.displayName,
    state: asset.state,
    kind: asset.kind,
    ruleSet: asset.ruleSet,
    project: asset.project,
    ruleSetVersion: asset.ruleSetVersion,
    workflowId: asset.workflowId,
    metadata: asset.metadata,
    tags: asset.tags,
    frozen: asset.frozen,
    legalHold: asset.legalHold,
    trashed: asset.trashed,
    dimensions: asset.dimensions,
    tagSources: asset.tagSources,
    tier: asset.tier,
    compliance: asset.compliance,
    latestVersion: {
      version: v.version,
      sha256: v.sha256,
      sizeBytes: v.sizeBytes,
      originalName: v.originalName,
      declaredMediaType: v.declaredMediaType,
      analysis: v.analysis,
      createdAt: v.createdAt,
    },
    createdAt: asset.createdAt,
    updatedAt: asset.updatedAt,
  };
}

export type AssetResponse = ReturnType<typeof toAssetResponse>;

/** One file of an upload: the asset, plus what the edge checks found (duplicates, naming). */
export function toUploadResponse(outcome: UploadOutcome) {
  return {
    ...toAssetResponse(outcome.asset),
    duplicates: outcome.duplicates,
    ...(outcome.linkedAsVersion !== undefined ? { linkedAsVersion: outcome.linkedAsVersion } : {}),
    ...(outcome.renamedFrom ? { renamedFrom: outcome.renamedFrom } : {}),
    ...(outcome.namingWarning ? { namingWarning: outcome.namingWarning } : {}),
  };
}
