import { createHash, randomUUID } from 'node:crypto';
import type { AssetRecord, AssetRepository } from '../catalogue/asset.repository';
import type { DuplicateMatch, DuplicateRepository } from '../catalogue/duplicate.repository';
import type { VisualFeatureRepository } from '../catalogue/visual-feature.repository';
import type { AssetLifecycleView } from '../domain/asset';
import { assetKindOf } from '../domain/asset-kind';
import { AssetflowError, ErrorCodes } from '../domain/errors';
import { isUuid } from '../domain/ids';
import { UNSTORABLE_TEXT, unstorableTextAt } from '../domain/unstorable-text';
import { analyseColours, checkBrandColours } from '../imaging/colours';
import type { RegionHash } from '../imaging/visual-features';
import { missingFieldsOf } from '../lifecycle/asset-rules';
import type { SearchIndexer } from '../operations/search-indexer';
import { type AccessLevel, atLeast } from '../policy/access';
import { checkClassification } from '../rules/classification';
import { metadataProblems, metadataSizeProblems } from '../rules/metadata';
import { checkName } from '../rules/naming';
import type { RuleSetPlan } from '../rules/plan';
import { type AssetWorkflows, assetWorkflowId } from '../temporal/asset-workflows.client';
import { addVersionUpdate } from '../workflows/messages';
import { findNearDuplicates } from './near-duplicates';
import type { RuleSetService } from './rule-set.service';
import { type InspectedFile, inspectUpload } from './upload-inspection';
import type { AssetUpload, UploadedFile } from './uploaded-file';

/** Who uploads, where to, and what they may see of the catalogue (duplicates elsewhere stay hidden). */
export interface Uploader {
  email: string;
  project: string;
  /** Their level on each of these assets they can see; absent ones are invisible to them. */
  levelsOn(assetIds: string[]): Promise<Map<string, AccessLevel>>;
  /** Makes a retried upload (one file) answer the asset the first attempt made. */
  idempotencyKey?: string | undefined;
}

export interface AssetServiceDeps {
  assets: AssetRepository;
  /** Makes a new asset findable at once (by name), before its workflow has ingested it. */
  indexer: Pick<SearchIndexer, 'reindex'>;
  duplicates: DuplicateRepository;
  visualFeatures: VisualFeatureRepository;
  workflows: AssetWorkflows;
  defaultRuleSet: string;
  /** Resolves a rule-set name to the version an upload runs under. */
  ruleSets: Pick<RuleSetService, 'resolveForUpload'>;
  maxImagePixels: number;
}

/** What happened to one file of an upload. */
export interface UploadOutcome {
  asset: AssetRecord;
  /** The upload repeated an earlier one with the same Idempotency-Key: this is that asset. */
  replayed?: boolean;
  /** Existing versions with the same bytes or a similar image, best first. */
  duplicates: DuplicateMatch[];
  /** Set when the rule set linked the file to an existing asset as a new version. */
  linkedAsVersion?: number;
  /** Set when the naming policy `rename` gave the file its conventional name. */
  renamedFrom?: string;
  /** Set when the name breaks the convention and the policy is `warn`. */
  namingWarning?: { expected: string; suggestion?: string };
}

interface PlannedFile {
  file: UploadedFile;
  inspected: InspectedFile;
  /** The region hashes, when the near-duplicate check computed them. */
  regions?: RegionHash[];
  displayName: string;
  duplicates: DuplicateMatch[];
  linkTo: DuplicateMatch | null;
  renamedFrom?: string;
  namingWarning?: UploadOutcome['namingWarning'];
}

/** Creating and reading assets: the logic between the HTTP routes and the catalogue/workflows. */
export class AssetService {
  constructor(private readonly deps: AssetServiceDeps) {}

  /**
   * Turns an upload into assets: validates the fields, makes the bytes visible in the blob store,
   * records each asset and starts its lifecycle workflow. Nothing is kept for a file whose
   * workflow could not be started.
   */
  async createFromUpload(upload: AssetUpload, uploader: Uploader): Promise<UploadOutcome[]> {
    const by = uploader.email;
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
      const replay = await this.replayOf(upload, uploader);
      if (replay) return [replay];
      const metadata = parseMetadataField(upload.fields.metadata);
      const ruleSet = await this.deps.ruleSets.resolveForUpload(
        upload.fields.ruleSet?.trim() || this.deps.defaultRuleSet,
      );
      const sizeProblems = metadataSizeProblems(metadata);
      const problems = Object.keys(sizeProblems).length
        ? sizeProblems
        : metadataProblems(ruleSet.plan.fields, metadata);
      if (Object.keys(problems).length > 0) {
        const list = Object.entries(problems).map(([field, problem]) => `metadata.${field} ${problem}`);
        throw new AssetflowError(
          ErrorCodes.METADATA_INVALID,
          `${list.join('; ')} (rule set ${ruleSet.name}).`,
          400,
          { fields: problems },
        );
      }
      const dimensions = parseDimensionsField(upload.fields.dimensions, ruleSet.plan);
      // Fail fast, before any bytes become visible, when Temporal cannot start workflows (asked
      // now, answered while the files are checked).
      const temporalReachable = this.deps.workflows.ping();
      temporalReachable.catch(() => {}); // awaited below unless a file is refused first
      // Every file is checked before any is kept: one bad file refuses the whole batch.
      const planned: PlannedFile[] = [];
      for (const file of upload.files)
        planned.push(await this.planFile(file, metadata, ruleSet.plan, uploader));

      await temporalReachable.catch((error: Error) => {
        throw new AssetflowError(
          ErrorCodes.SERVICE_UNAVAILABLE,
          `Temporal is not reachable: ${error.message}`,
          503,
          {
            dependency: 'temporal',
          },
        );
      });

      const outcomes: UploadOutcome[] = [];
      for (const plan of planned) {
        const extras = {
          duplicates: plan.duplicates,
          ...(plan.renamedFrom ? { renamedFrom: plan.renamedFrom } : {}),
          ...(plan.namingWarning ? { namingWarning: plan.namingWarning } : {}),
        };
        if (plan.linkTo) {
          // A retried upload with its key adds no second version (the key makes the update id).
          const { asset, version } = await this.addVersionFrom(
            plan.linkTo.assetId,
            plan.file,
            by,
            undefined,
            uploader.idempotencyKey,
          );
          outcomes.push({ asset, linkedAsVersion: version, ...extras });
        } else {
          outcomes.push({
            asset: await this.createOne(plan, metadata, dimensions, ruleSet, uploader),
            ...extras,
          });
        }
      }
      return outcomes;
    } finally {
      // The temporaries go either way: committed bytes live on under their hash.
      await Promise.all(upload.files.map((f) => f.blob.discard()));
    }
  }

  /**
   * The checks that decide whether and how a file is kept, made at the edge while its bytes are
   * still temporary: content type and decodability, the naming convention, the brand palette
   * (when its policy rejects), and duplicates (exact by sha256, near by perceptual hash).
   */
  private async planFile(
    file: UploadedFile,
    metadata: Record<string, unknown>,
    plan: RuleSetPlan,
    uploader: Uploader,
  ): Promise<PlannedFile> {
    // The exact-duplicate lookup needs only the hash: it runs while the bytes are inspected.
    const exactLookup = this.deps.duplicates.findExact(file.blob.sha256);
    exactLookup.catch(() => {}); // awaited below unless inspection refuses the file first
    const policy = plan.store.duplicates;
    const inspected = await inspectUpload(file, this.deps.maxImagePixels, { regions: Boolean(policy.near) });
    const planned: PlannedFile = {
      file,
      inspected,
      displayName: file.filename,
      duplicates: [],
      linkTo: null,
    };

    // Required fields whose rule says `whenMissing: refuse`; the others make the asset incomplete.
    const kind = assetKindOf(file.filename, Boolean(inspected.image));
    const missing = missingFieldsOf(plan, kind, metadata, 'refuse');
    if (missing.length > 0) {
      throw new AssetflowError(
        ErrorCodes.REQUIRED_FIELDS_MISSING,
        `"${file.filename}" (${kind}) needs ${missing.map((f) => `metadata.${f}`).join(', ')} (rule set ${plan.name}).`,
        422,
        { filename: file.filename, kind, missing },
      );
    }

    const naming = plan.create.naming;
    if (naming) {
      const ext = /\.([A-Za-z0-9]+)$/.exec(file.filename)?.[1] ?? '';
      const verdict = checkName(naming.tokens, file.filename, {
        metadata,
        version: 1,
        date: new Date().toISOString(),
        ext,
      });
      if (!verdict.ok) {
        const suggestion = 'suggestion' in verdict ? verdict.suggestion : undefined;
        if (naming.policy === 'reject') {
          throw new AssetflowError(
            ErrorCodes.NAME_NONCOMPLIANT,
            `"${file.filename}" does not follow the naming convention ${verdict.expected}${suggestion ? `; it would be "${suggestion}"` : `; missing ${verdict.missing.join(', ')}`}.`,
            422,
            { filename: file.filename, expected: verdict.expected, suggestion, missing: verdict.missing },
          );
        }
        if (naming.policy === 'rename' && suggestion) {
          planned.displayName = suggestion;
          planned.renamedFrom = file.filename;
        } else {
          planned.namingWarning = { expected: verdict.expected, ...(suggestion ? { suggestion } : {}) };
        }
      }
    }

    const palette = plan.create.brandPalette;
    if (palette?.policy === 'reject' && inspected.image) {
      const { palette: colours } = await analyseColours(file.blob.path, this.deps.maxImagePixels);
      const check = checkBrandColours(colours, palette);
      if (!check.ok) {
        const off = check.colours.filter((c) => !c.ok);
        throw new AssetflowError(
          ErrorCodes.BRAND_COLOURS_OFF,
          `"${file.filename}" uses colours outside the brand palette: ${off.map((c) => `${c.hex} (${Math.round(c.share * 100)} %) is ΔE ${c.deltaE} from ${c.nearest}`).join('; ')}; at most ΔE ${palette.maxDeltaE} is allowed.`,
          422,
          { filename: file.filename, ...check },
        );
      }
    }

    const exact = await exactLookup;
    planned.regions = inspected.image?.regions;
    const near =
      policy.near && inspected.image && planned.regions
        ? (
            await findNearDuplicates(
              this.deps,
              { perceptualHash: inspected.image.perceptualHash, regions: planned.regions },
              policy.near.threshold,
            )
          ).filter((n) => !exact.some((e) => e.assetId === n.assetId && e.version === n.version))
        : [];
    // Matches in projects the uploader cannot see are not theirs to know about (nor to block on).
    const found = [...exact, ...near];
    const levels =
      found.length > 0 ? await uploader.levelsOn([...new Set(found.map((d) => d.assetId))]) : new Map();
    planned.duplicates = found.filter((d) => levels.has(d.assetId));
    const visibleExact = planned.duplicates.filter((d) => d.kind === 'exact');
    const action =
      visibleExact.length > 0 ? policy.exact : planned.duplicates.length > 0 ? policy.near!.action : null;
    if (action === 'block') {
      const best = planned.duplicates[0]!;
      throw new AssetflowError(
        ErrorCodes.DUPLICATE_ASSET,
        `"${file.filename}" ${best.kind === 'exact' ? 'is the same file as' : `is ${Math.round(best.similarity * 100)} % similar to`} version ${best.version} of asset ${best.assetId}; the rule set blocks duplicates.`,
        409,
        { filename: file.filename, matches: planned.duplicates },
      );
    }
    // A file becomes a new version only of an asset governed by the same rule set; a match
    // elsewhere in the catalogue is reported, not linked.
    if (action === 'link-as-version') {
      planned.linkTo =
        planned.duplicates.find((d) => d.ruleSet === plan.name && atLeast(levels.get(d.assetId), 'edit')) ??
        null;
    }
    return planned;
  }

  /**
   * A new version of an asset's file. The asset's workflow numbers it (so concurrent uploads never
   * overwrite each other) and refuses it while the asset is frozen; a refused upload keeps nothing.
   */
  async addVersion(
    id: string,
    upload: AssetUpload,
    by: string,
    idempotencyKey?: string,
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
      await inspectUpload(file, this.deps.maxImagePixels);
      return await this.addVersionFrom(id, file, by, upload.fields.note, idempotencyKey);
    } finally {
      await Promise.all(upload.files.map((f) => f.blob.discard()));
    }
  }

  /** Hands a checked file to the asset's workflow as its next version. */
  private async addVersionFrom(
    id: string,
    file: UploadedFile,
    by: string,
    note: string | undefined,
    idempotencyKey?: string,
  ): Promise<{ asset: AssetRecord; version: number }> {
    {
      const lifecycle = await this.deps.workflows.lifecycle(id);
      if (lifecycle.frozen) {
        throw new AssetflowError(
          ErrorCodes.ASSET_FROZEN,
          `The asset is frozen (${lifecycle.frozen.reason}); a new version is refused until it is unfrozen.`,
          409,
        );
      }
      await file.blob.commit();
      const { version } = await this.deps.workflows.updateAsset(
        id,
        addVersionUpdate,
        {
          by,
          sha256: file.blob.sha256,
          sizeBytes: file.blob.sizeBytes,
          originalName: file.filename,
          declaredMediaType: file.declaredMediaType,
          ...(note ? { note } : {}),
        },
        // The same key and file from the same person are the same request: Temporal answers a
        // repeated update id with the first one's result instead of running it again.
        idempotencyKey ? { updateId: `add-version:${by}:${file.blob.sha256}:${idempotencyKey}` } : {},
      );
      await this.keepBytes(file);
      return { asset: await this.get(id), version };
    }
  }

  /**
   * Once the catalogue names the blob, its bytes are made sure of under the blob's lock: a purge
   * of another asset with the same bytes that counted users before the new row existed may have
   * deleted them since; they are put back from the temporary. (Purges take the same lock and
   * count again, so after this none deletes them.)
   */
  private async keepBytes(file: UploadedFile): Promise<void> {
    await this.deps.assets.underBlobLock(file.blob.sha256, () => file.blob.commit());
  }

  async get(id: string): Promise<AssetRecord> {
    const asset = isUuid(id) ? await this.deps.assets.find(id) : undefined;
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

  /**
   * With an Idempotency-Key: the asset an earlier request with the same key made (a retry after a
   * lost answer), or null when there is none yet. Its id is derived from the uploader and the key,
   * so the first request makes it and a retry finds it, with no table of keys.
   */
  private async replayOf(upload: AssetUpload, uploader: Uploader): Promise<UploadOutcome | null> {
    if (!uploader.idempotencyKey) return null;
    if (upload.files.length !== 1)
      throw new AssetflowError(
        ErrorCodes.VALIDATION_FAILED,
        'An Idempotency-Key stands for one file: send one file per request.',
        400,
        { files: upload.files.length },
      );
    const earlier = await this.deps.assets.find(idempotentAssetId(uploader.email, uploader.idempotencyKey));
    if (!earlier) return null;
    // Its row is written before its workflow starts (and removed if the start fails): until the
    // workflow runs, the first request has not answered yet.
    if (!(await this.deps.workflows.lifecycleExists(earlier.id)))
      throw new AssetflowError(
        ErrorCodes.IDEMPOTENCY_KEY_REUSED,
        `A request with Idempotency-Key "${uploader.idempotencyKey}" is still making this asset; ask again shortly.`,
        409,
        { assetId: earlier.id },
      );
    const [file] = upload.files as [UploadedFile];
    const first = await this.deps.assets.findVersionBlob(earlier.id, 1);
    if (first !== file.blob.sha256)
      throw new AssetflowError(
        ErrorCodes.IDEMPOTENCY_KEY_REUSED,
        `Idempotency-Key "${uploader.idempotencyKey}" already made asset ${earlier.id} of another file.`,
        409,
        { assetId: earlier.id },
      );
    return { asset: earlier, duplicates: [], replayed: true };
  }

  private async createOne(
    { file, displayName, inspected, regions }: PlannedFile,
    metadata: Record<string, unknown>,
    dimensions: Record<string, string[]>,
    ruleSet: { name: string; version: number; plan: RuleSetPlan },
    uploader: Uploader,
  ): Promise<AssetRecord> {
    const id = uploader.idempotencyKey
      ? idempotentAssetId(uploader.email, uploader.idempotencyKey)
      : randomUUID();
    await file.blob.commit();
    await this.deps.assets
      .create({
        id,
        workflowId: assetWorkflowId(id),
        displayName,
        ruleSet: ruleSet.name,
        ruleSetVersion: ruleSet.version,
        metadata,
        blob: { sha256: file.blob.sha256, sizeBytes: file.blob.sizeBytes },
        declaredMediaType: file.declaredMediaType,
        dimensions,
        project: uploader.project,
        createdBy: uploader.email,
      })
      .catch((error: unknown) => {
        // Two requests with one Idempotency-Key at once: the other one is making this asset.
        if (uploader.idempotencyKey && (error as { code?: string }).code === '23505')
          throw new AssetflowError(
            ErrorCodes.IDEMPOTENCY_KEY_REUSED,
            `A request with Idempotency-Key "${uploader.idempotencyKey}" is making this asset; ask again shortly.`,
            409,
            { assetId: id },
          );
        throw error;
      });
    await this.keepBytes(file);
    try {
      // What the checks above computed from the bytes is kept, so ingest does not decode and hash
      // the image again (deleteUnstarted removes it with the row if the workflow cannot start).
      // Search is indexed before the workflow starts, so its activities' later reindexing wins.
      // All three writes end before any failure is handled: deleteUnstarted must not race one
      // still running (its row would hold the version's foreign key), and the error reported is
      // always the first in this order, not whichever lost a race.
      const written = await Promise.allSettled([
        inspected.image && this.deps.duplicates.index(id, 1, inspected.image.perceptualHash),
        regions && this.deps.visualFeatures.index(id, 1, regions),
        this.deps.indexer.reindex(id),
      ]);
      const failed = written.find((w) => w.status === 'rejected');
      if (failed) throw failed.reason;
      await this.deps.workflows.startLifecycle({
        assetId: id,
        ruleSet: ruleSet.name,
        ruleSetVersion: ruleSet.version,
        plan: ruleSet.plan,
        name: displayName,
        metadata,
        version: 1,
        uploadedBy: uploader.email,
      });
    } catch (error) {
      await this.deps.assets.deleteUnstarted(id);
      throw error;
    }
    return (await this.deps.assets.find(id))!;
  }
}

/**
 * The asset id an upload with this uploader's Idempotency-Key gets: a UUID (version 8, custom)
 * from a SHA-256 of the two, the same for a retry and different for anyone else's key.
 */
export function idempotentAssetId(uploader: string, key: string): string {
  const hex = createHash('sha256').update(`assetflow-upload\n${uploader}\n${key}`).digest('hex');
  const variant = ((Number.parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The optional `metadata` field: a JSON object (its values are checked against the rule set's fields). */
function parseMetadataField(raw: string | undefined): Record<string, unknown> {
  return parseJsonObjectField('metadata', raw);
}

/** A multipart text field holding a JSON object; empty or absent is `{}`. */
function parseJsonObjectField(field: string, raw: string | undefined): Record<string, unknown> {
  if (raw === undefined || raw.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    throw new AssetflowError(
      ErrorCodes.METADATA_INVALID,
      `The ${field} field is not valid JSON: ${(error as Error).message}`,
      400,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AssetflowError(ErrorCodes.METADATA_INVALID, `The ${field} field must be a JSON object.`, 400);
  }
  const unstorable = unstorableTextAt(value);
  if (unstorable !== undefined)
    throw new AssetflowError(
      ErrorCodes.METADATA_INVALID,
      `The ${field} field's ${unstorable} holds ${UNSTORABLE_TEXT}.`,
      400,
      {
        field,
        at: unstorable,
      },
    );
  return value as Record<string, unknown>;
}

/**
 * The optional `dimensions` field: a JSON object of dimension → value or values, each checked
 * against the rule set's dimensions (known dimension, allowed value, one value unless `multiple`).
 */
function parseDimensionsField(raw: string | undefined, plan: RuleSetPlan): Record<string, string[]> {
  const { values: out, problems } = checkClassification(plan, parseJsonObjectField('dimensions', raw), {
    complete: true,
  });
  if (Object.keys(problems).length > 0) {
    const list = Object.entries(problems).map(([name, problem]) => `dimensions.${name} ${problem}`);
    throw new AssetflowError(ErrorCodes.METADATA_INVALID, `${list.join('; ')}.`, 400, {
      dimensions: problems,
    });
  }
  return out;
}
