import { randomUUID } from 'node:crypto';
import type { AssetRecord, AssetRepository } from '../catalogue/asset.repository';
import type { AssetLifecycleView } from '../domain/asset';
import { AssetflowError, ErrorCodes } from '../domain/errors';
import { metadataProblems } from '../rules/metadata';
import type { RuleSetPlan } from '../rules/plan';
import { type AssetWorkflows, assetWorkflowId } from '../temporal/asset-workflows.client';
import { addVersionUpdate } from '../workflows/messages';
import type { RuleSetService } from './rule-set.service';
import type { AssetUpload, UploadedFile } from './uploaded-file';

export interface AssetServiceDeps {
  assets: AssetRepository;
  workflows: AssetWorkflows;
  defaultRuleSet: string;
  /** Resolves a rule-set name to the version an upload runs under. */
  ruleSets: Pick<RuleSetService, 'resolveForUpload'>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Creating and reading assets: the logic between the HTTP routes and the catalogue/workflows. */
export class AssetService {
  constructor(private readonly deps: AssetServiceDeps) {}

  /**
   * Turns an upload into assets: validates the fields, makes the bytes visible in the blob store,
   * records each asset and starts its lifecycle workflow. Nothing is kept for a file whose
   * workflow could not be started.
   */
  async createFromUpload(upload: AssetUpload): Promise<AssetRecord[]> {
    try {
      if (upload.files.length === 0) {
        throw new AssetflowError(
          ErrorCodes.FILE_MISSING,
          'No file received: send the bytes in a multipart field named "file".',
          400,
        );
      }
      const empty = upload.files.find((f) => f.blob.sizeBytes === 0);
      if (empty) {
        throw new AssetflowError(ErrorCodes.FILE_EMPTY, `"${empty.filename}" is empty (0 bytes).`, 400, {
          filename: empty.filename,
        });
      }
      const metadata = parseMetadataField(upload.fields.metadata);
      const ruleSet = await this.deps.ruleSets.resolveForUpload(
        upload.fields.ruleSet?.trim() || this.deps.defaultRuleSet,
      );
      const problems = metadataProblems(ruleSet.plan.fields, metadata);
      if (Object.keys(problems).length > 0) {
        const list = Object.entries(problems).map(([field, problem]) => `metadata.${field} ${problem}`);
        throw new AssetflowError(
          ErrorCodes.METADATA_INVALID,
          `${list.join('; ')} (rule set ${ruleSet.name}).`,
          400,
          { fields: problems },
        );
      }
      // Fail fast, before any bytes become visible, when Temporal cannot start workflows.
      await this.deps.workflows.ping().catch((error: Error) => {
        throw new AssetflowError(
          ErrorCodes.SERVICE_UNAVAILABLE,
          `Temporal is not reachable: ${error.message}`,
          503,
          {
            dependency: 'temporal',
          },
        );
      });

      const created: AssetRecord[] = [];
      for (const file of upload.files) {
        created.push(await this.createOne(file, metadata, ruleSet));
      }
      return created;
    } catch (error) {
      await Promise.all(upload.files.map((f) => f.blob.discard()));
      throw error;
    }
  }

  /**
   * A new version of an asset's file. The asset's workflow numbers it (so concurrent uploads never
   * overwrite each other) and refuses it while the asset is frozen; a refused upload keeps nothing.
   */
  async addVersion(
    id: string,
    upload: AssetUpload,
    by: string,
  ): Promise<{ asset: AssetRecord; version: number }> {
    try {
      await this.get(id);
      const file = upload.files[0];
      if (!file || upload.files.length > 1) {
        throw new AssetflowError(
          ErrorCodes.FILE_MISSING,
          'Send exactly one file, in a multipart field named "file".',
          400,
        );
      }
      if (file.blob.sizeBytes === 0)
        throw new AssetflowError(ErrorCodes.FILE_EMPTY, `"${file.filename}" is empty (0 bytes).`, 400);
      const lifecycle = await this.deps.workflows.lifecycle(id);
      if (lifecycle.frozen) {
        throw new AssetflowError(
          ErrorCodes.ASSET_FROZEN,
          `The asset is frozen (${lifecycle.frozen.reason}); a new version is refused until it is unfrozen.`,
          409,
        );
      }
      await file.blob.commit();
      const { version } = await this.deps.workflows.updateAsset(id, addVersionUpdate, {
        by,
        sha256: file.blob.sha256,
        sizeBytes: file.blob.sizeBytes,
        originalName: file.filename,
        declaredMediaType: file.declaredMediaType,
        ...(upload.fields.note ? { note: upload.fields.note } : {}),
      });
      return { asset: await this.get(id), version };
    } catch (error) {
      await Promise.all(upload.files.map((f) => f.blob.discard()));
      throw error;
    }
  }

  async get(id: string): Promise<AssetRecord> {
    const asset = UUID.test(id) ? await this.deps.assets.find(id) : undefined;
    if (!asset) throw new AssetflowError(ErrorCodes.ASSET_NOT_FOUND, `No asset with id ${id}.`, 404, { id });
    return asset;
  }

  /** The asset's timeline as the catalogue mirrors it (no Temporal round trip). */
  async timeline(id: string): Promise<AssetLifecycleView> {
    const asset = await this.get(id);
    return {
      assetId: asset.id,
      state: asset.state as AssetLifecycleView['state'],
      timeline: await this.deps.assets.timeline(id),
    };
  }

  private async createOne(
    file: UploadedFile,
    metadata: Record<string, unknown>,
    ruleSet: { name: string; version: number; plan: RuleSetPlan },
  ): Promise<AssetRecord> {
    const id = randomUUID();
    await file.blob.commit();
    await this.deps.assets.create({
      id,
      workflowId: assetWorkflowId(id),
      displayName: file.filename,
      ruleSet: ruleSet.name,
      ruleSetVersion: ruleSet.version,
      metadata,
      blob: { sha256: file.blob.sha256, sizeBytes: file.blob.sizeBytes },
      declaredMediaType: file.declaredMediaType,
    });
    try {
      await this.deps.workflows.startLifecycle({
        assetId: id,
        ruleSet: ruleSet.name,
        ruleSetVersion: ruleSet.version,
        plan: ruleSet.plan,
        name: file.filename,
        metadata,
        version: 1,
      });
    } catch (error) {
      await this.deps.assets.deleteUnstarted(id);
      throw error;
    }
    return (await this.deps.assets.find(id))!;
  }
}

/** The optional `metadata` field: a JSON object (its values are checked against the rule set's fields). */
function parseMetadataField(raw: string | undefined): Record<string, unknown> {
  if (raw === undefined || raw.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    throw new AssetflowError(
      ErrorCodes.METADATA_INVALID,
      `The metadata field is not valid JSON: ${(error as Error).message}`,
      400,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AssetflowError(ErrorCodes.METADATA_INVALID, 'The metadata field must be a JSON object.', 400);
  }
  return value as Record<string, unknown>;
}
