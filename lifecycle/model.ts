import type { ApprovalOutcome, AssetState, LifecycleState, Transition } from '../domain/asset';
import type { RuleSetPlan } from '../rules/plan';

/**
 * The vocabulary of the lifecycle engine: its state, the events it accepts and the effects it
 * asks for. All plain JSON, because the state is carried across continue-as-new and the effects
 * wait in the state until the workflow (or the dry-run's simulator) has carried them out.
 */

/** Input of the `assetLifecycle` workflow. Later fields are optional: older histories lack them. */
export interface AssetLifecycleInput {
  assetId: string;
  ruleSet: string;
  /** The rule-set version the asset runs under (absent in histories recorded before versioning). */
  ruleSetVersion?: number;
  version: number;
  /**
   * ISO-8601 end of the asset's validity period, if it has one; when it passes the asset is taken
   * down (state `expired`).
   */
  validUntil?: string;
  /** The compiled rule set the asset runs under (from the catalogue at upload). */
  plan?: RuleSetPlan;
  /** Display name of the uploaded file (for the naming convention). */
  name?: string;
  /** Metadata given at upload. */
  metadata?: Record<string, unknown>;
  /** Who uploaded the asset (absent in histories recorded before the lifecycle engine). */
  uploadedBy?: string;
  /** State carried across continue-as-new; present only in continued runs. */
  carried?: LifecycleState;
}

/** Input of the `approvalFlow` child workflow. */
export interface ApprovalFlowInput {
  approvalId: string;
  assetId: string;
  /** The plan, in inputs recorded before approvals loaded it by `ruleSet` (an activity). */
  plan?: RuleSetPlan;
  /** The rule-set version whose flow this is. */
  ruleSet?: { name: string; version: number };
  flow: string;
  request: { user: string; roles: string[]; audience: string; rendition: string; external: boolean };
  metadata: Record<string, unknown>;
  asset: { name: string; kind: string; tags: string[] };
}

/**
 * The engine's behaviour revision. 1: as recorded before rules were enforced (a run replaying
 * such a history keeps it); 2: mandatory fields, rights dates, regions, business events and
 * notices act; 3: a download grant counts only before it expires and for the audience it was
 * approved for, and metadata changes name declared fields only (never `constructor`) with values
 * within METADATA_LIMITS; 4: an asset is `stored` once the cheap analysis is done and the models
 * (object detection, OCR) run afterwards (`enrich` effect, `enriched` event), after which tags,
 * AI-filled fields and compliance are recomputed and the upload's flows start. The workflow raises
 * a state to each revision behind its own `patched()` marker.
 */
export const ENGINE_REVISION = 4;

/** The engine's state: what the workflow carries, plus the work it still owes the world. */
export interface EngineState extends LifecycleState {
  /** Behaviour revision (absent: 1). */
  revision?: number;
  /** The rights-expiry date whose notice was sent and whose expiry was applied (timers fire once per date). */
  rights?: { noticeFor?: string; expiredFor?: string };
  /** Business events that hold the asset archived (a manual restore or archive clears them). */
  archivedByEvents?: BusinessEvent[];
  /** Whether each metadata-driven business event's condition held at the last check. */
  eventConditions?: Partial<Record<BusinessEvent, boolean>>;
  /** Sequence number of the last timeline entry (the timeline itself keeps only the latest). */
  seq: number;
  /** Approvals ever started, for deterministic approval ids (the list keeps only recent ones). */
  approvalCount: number;
  /** The highest version whose catalogue row is written (`addVersion` answers once it is). */
  recordedVersion: number;
  /** The latest version whose ingest findings the state holds (0 until the first ingest ends). */
  ingestedVersion: number;
  /** The version whose models are running (revision 4); absent when none are. */
  enriching?: number;
  /** The upload's flows start when the first version's models finish (revision 4). */
  uploadFlowsDue?: boolean;
  /** Who uploaded the asset: the requester of flows the upload starts. */
  uploadedBy: string;
  /** Effects ever queued, for their ids. */
  effectCount: number;
  /** Effects not yet carried out, in order. Part of the state, so continue-as-new drops nothing. */
  outbox: Effect[];
}

/** What a finished ingest reports back to the engine. */
export type IngestFindings =
  | {
      kind: 'image';
      format: string;
      width: number;
      height: number;
      tags?: FoundTag[];
      brandColours?: { ok: boolean; colours: { deltaE: number }[] };
      /** `pending`: the models have work on this version, which the `enrich` effect does. */
      enrichment?: { state: string };
    }
  | { kind: 'generic'; reason: string; tags?: FoundTag[]; enrichment?: { state: string } };

/** A tag ingest found; models give a source `ai` and a confidence (0–1). */
export interface FoundTag {
  name: string;
  source?: string;
  confidence?: number;
}

export interface Actor {
  by: string;
  roles?: string[];
}

export type BusinessEvent = 'delisting' | 'end-of-production';

/**
 * Whom a notice goes to: people by e-mail, everyone holding a role or in a team (who may see the
 * asset), and with `owners` the uploader and the asset's collaborators.
 */
export interface NoticeRecipients {
  users?: string[];
  roles?: string[];
  teams?: string[];
  owners?: boolean;
}

export interface Notice {
  kind: 'asset.frozen' | 'asset.rights-expiring' | 'asset.rights-expired' | 'flow.notify' | 'asset.restored';
  to: NoticeRecipients;
  message: string;
}

export interface NewVersionFile {
  sha256: string;
  sizeBytes: number;
  originalName: string;
  declaredMediaType: string;
  note?: string;
}

export type LifecycleEvent =
  | { type: 'ingested'; version: number; findings: IngestFindings }
  /** The models finished on `version`: their tags (none when they failed, with the reason). */
  | { type: 'enriched'; version: number; tags: FoundTag[]; failed?: string }
  | ({ type: 'set-metadata'; set: Record<string, unknown> } & Actor)
  | ({ type: 'freeze'; reason: string } & Actor)
  | ({ type: 'unfreeze' } & Actor)
  | ({ type: 'archive' } & Actor)
  | ({ type: 'restore' } & Actor)
  | ({ type: 'legal-hold'; on: boolean; reason?: string } & Actor)
  /** Into the trash; emptied of it `keepFor` (ISO-8601 duration, the installation's setting) later. */
  | ({ type: 'trash'; keepFor: string; reason?: string } & Actor)
  | ({ type: 'untrash' } & Actor)
  /** A person corrects the tags: adds, removes (ingest will not add them back), confirms an AI tag. */
  | ({ type: 'edit-tags'; add?: string[]; remove?: string[]; confirm?: string[] } & Actor)
  /**
   * A person reclassifies the asset: `set` replaces the named dimensions (an empty list clears one);
   * `before` is the classification the catalogue holds, for states that never had it.
   */
  | ({ type: 'set-dimensions'; set: Record<string, string[]>; before: Record<string, string[]> } & Actor)
  /** The asset moves to another project (the API checked the person may add to it). */
  | ({ type: 'move-project'; from: string; to: string } & Actor)
  | ({ type: 'mark-event'; event: BusinessEvent; undo?: boolean } & Actor)
  | ({ type: 'use'; use: 'view' | 'download' } & Actor)
  | ({
      type: 'request-download';
      roles: string[];
      teams?: string[];
      audience: string;
      rendition: string;
      external?: boolean;
      /** `link`: for a share link, which a personal download grant does not cover. */
      via?: 'link';
    } & Actor)
  | ({ type: 'add-version' } & NewVersionFile & Actor)
  | ({ type: 'migrate'; version: number; plan: RuleSetPlan } & Actor)
  | ({ type: 'start-flow'; flow: string } & Actor)
  | { type: 'approval-finished'; outcome: ApprovalOutcome }
  /** The clock reached `now`: timers that are due fire. */
  | { type: 'time' };

export type EventType = LifecycleEvent['type'];

/** The approval a `start-approval` effect asks for; the workflow adds the plan it runs under. */
export type ApprovalRequest = Omit<ApprovalFlowInput, 'plan'>;

/** Effects are carried out in order, each by one activity (or, in the dry-run, by the simulator). */
export type Effect = { id: number } & (
  | { type: 'record-transition'; transition: Transition }
  | { type: 'save-status' }
  | ({ type: 'record-version'; version: number; by: string } & NewVersionFile)
  | { type: 'ingest'; version: number }
  | { type: 'enrich'; version: number }
  | { type: 'start-approval'; approval: ApprovalRequest }
  | { type: 'move-tier'; tier: 'hot' | 'cold' }
  | { type: 'purge' }
  | { type: 'set-project'; project: string }
  | { type: 'notify'; notice: Notice }
);

export type EffectType = Effect['type'];

/** Why the engine refuses an event: a stable code (see domain/errors.ts) and words for people. */
export interface Refusal {
  code: string;
  message: string;
}

/** What the engine answers besides the new state (for updates that return more than the view). */
export type Reply =
  | { kind: 'download'; decision: DownloadDecision }
  | { kind: 'version'; version: number }
  | { kind: 'none' };

/**
 * `allowed`: download now; `granted`: an earlier approval covers it; `pending`: an approval flow
 * decides; `restoring`: allowed, but the original is on its way back from cold storage (the
 * requester is notified when it is there).
 */
export type DownloadDecision =
  | { status: 'allowed' | 'granted' | 'restoring'; rendition: string }
  | { status: 'pending'; approvalId: string; flow: string };

export type Outcome = { ok: true; state: EngineState; reply: Reply } | { ok: false; refusal: Refusal };

export type { AssetState };
