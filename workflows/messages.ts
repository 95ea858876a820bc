import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ApprovalOutcome, AssetLifecycleView } from '../domain/asset';
import type { BulkProgress } from '../domain/bulk-change';
import type { DownloadDecision, LifecycleView } from '../lifecycle/engine';
import type { FlowState } from '../rules/flow-machine';
import type { RuleSetPlan } from '../rules/plan';

/**
 * Message names shared by the workflow and its clients. They are recorded in workflow history,
 * so a name, once shipped, is never changed.
 */
export const getTimelineQuery = defineQuery<AssetLifecycleView>('getTimeline');
export const getLifecycleQuery = defineQuery<LifecycleView>('getLifecycle');

export interface Actor {
  /** Who asks (a user id; the API fills it from the session). */
  by: string;
  /** Their roles, for actions the rule set restricts (absent in histories recorded before). */
  roles?: string[];
}

export const setMetadataUpdate = defineUpdate<LifecycleView, [Actor & { set: Record<string, unknown> }]>(
  'setMetadata',
);
export const freezeUpdate = defineUpdate<LifecycleView, [Actor & { reason: string }]>('freeze');
export const unfreezeUpdate = defineUpdate<LifecycleView, [Actor]>('unfreeze');
export const archiveUpdate = defineUpdate<LifecycleView, [Actor]>('archive');
export const restoreUpdate = defineUpdate<LifecycleView, [Actor]>('restore');
export const legalHoldUpdate = defineUpdate<LifecycleView, [Actor & { on: boolean; reason?: string }]>(
  'legalHold',
);
/**
 * Into the trash (links and downloads stop), emptied of it `keepFor` later (an ISO-8601 duration
 * the API takes from the installation's configuration); refused under legal hold, while frozen
 * and while a retention rule keeps the asset.
 */
export const trashUpdate = defineUpdate<LifecycleView, [Actor & { keepFor: string; reason?: string }]>(
  'trash',
);
/** Out of the trash, back to the state it left. */
export const restoreFromTrashUpdate = defineUpdate<LifecycleView, [Actor]>('restoreFromTrash');
/** Tag corrections: add, remove (ingest will not add them back), confirm an AI tag as the person's. */
export const editTagsUpdate = defineUpdate<
  LifecycleView,
  [Actor & { add?: string[]; remove?: string[]; confirm?: string[] }]
>('editTags');
/**
 * Reclassification: `set` replaces the named dimensions (an empty list clears one); `before` is
 * the classification the catalogue holds (the workflow may never have seen it).
 */
export const setDimensionsUpdate = defineUpdate<
  LifecycleView,
  [Actor & { set: Record<string, string[]>; before: Record<string, string[]> }]
>('setDimensions');
/** Moves the asset to another project; the API has checked the person may add to it. */
export const moveProjectUpdate = defineUpdate<LifecycleView, [Actor & { from: string; to: string }]>(
  'moveProject',
);
/** A business event that retention rules count from: the product is delisted, production ends. */
export const markEventUpdate = defineUpdate<
  LifecycleView,
  [Actor & { event: 'delisting' | 'end-of-production'; undo?: boolean }]
>('markEvent');
/** The asset was viewed or downloaded: re-arms cold tiering, and brings a cold asset back. */
export const recordUseUpdate = defineUpdate<LifecycleView, [Actor & { use: 'view' | 'download' }]>(
  'recordUse',
);

export interface NewVersion extends Actor {
  sha256: string;
  sizeBytes: number;
  originalName: string;
  declaredMediaType: string;
  note?: string;
}
/** Starts a flow whose trigger is `manual` (a person asks for it). */
export const startFlowUpdate = defineUpdate<LifecycleView, [Actor & { flow: string }]>('startFlow');

/**
 * A new version of the asset's file; refused while the asset is frozen. Answers the new version
 * number once its catalogue row is written (ingest follows); clients pass an update id so a
 * retried request gets the same number instead of another version.
 */
export const addVersionUpdate = defineUpdate<{ version: number }, [NewVersion]>('addVersion');

/** Moves the asset to another version of its rule set (after a preview; see services/migration). */
export const migrateRuleSetUpdate = defineUpdate<
  LifecycleView,
  [Actor & { version: number; plan: RuleSetPlan }]
>('migrateRuleSet');

/** What queries and updates answer: the state plus the timers the workflow is waiting on. */
export type { DownloadDecision, LifecycleView } from '../lifecycle/engine';

export interface DownloadRequest extends Actor {
  roles: string[];
  /** The requester's teams (audiences may name teams); absent in requests recorded before. */
  teams?: string[];
  audience: string;
  rendition: string;
  external?: boolean;
  /** `link`: asked for a share link (a personal grant does not cover it). */
  via?: 'link';
}

export const requestDownloadUpdate = defineUpdate<DownloadDecision, [DownloadRequest]>('requestDownload');
/** Sent by an approval child workflow to its asset when it finishes. */
export const approvalFinishedSignal = defineSignal<[ApprovalOutcome]>('approvalFinished');

/** A reviewer's decision on an approval workflow (the roles come from the session). */
export interface ReviewerDecision {
  node: string;
  reviewer: string;
  roles: string[];
  decision: 'approve' | 'reject';
  reason?: string;
}
export const decideUpdate = defineUpdate<ApprovalView, [ReviewerDecision]>('decide');
export const getApprovalQuery = defineQuery<ApprovalView>('getApproval');

export interface ApprovalView {
  approvalId: string;
  assetId: string;
  flow: FlowState;
}

/** A bulk edit's progress: how many assets are done, and each one's outcome. */
export const bulkProgressQuery = defineQuery<BulkProgress>('bulkProgress');
