import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { installTemporalRuntimeOnce } from '../../runtime/worker';
import { SEPARATION_OF_DUTIES_PATCH } from '../../workflows/approval-flow.workflow';
import { LIFECYCLE_ENGINE_PATCH, PLAN_EXECUTION_PATCH } from '../../workflows/asset-lifecycle.workflow';
import { INGEST_ACTIVITY_PATCH } from '../../workflows/asset-lifecycle-v2';
import {
  INPUT_BOUNDED_PATCH,
  MODELS_AFTER_STORED_PATCH,
  RULES_ENFORCED_PATCH,
} from '../../workflows/lifecycle-interpreter';
import {
  addVersionUpdate,
  approvalFinishedSignal,
  archiveUpdate,
  decideUpdate,
  editTagsUpdate,
  freezeUpdate,
  legalHoldUpdate,
  markEventUpdate,
  migrateRuleSetUpdate,
  moveProjectUpdate,
  recordUseUpdate,
  requestDownloadUpdate,
  restoreFromTrashUpdate,
  restoreUpdate,
  setDimensionsUpdate,
  setMetadataUpdate,
  startFlowUpdate,
  trashUpdate,
  unfreezeUpdate,
} from '../../workflows/messages';
import { HISTORIES_DIR } from '../support/record-history';
import { testWorkflowBundle } from '../support/test-env';

/**
 * Replays every recorded history against today's workflow code. A change that would break
 * workflows already running in production (different commands in a different order) fails here;
 * such a change must go behind `patched()`.
 */
const histories = readdirSync(HISTORIES_DIR)
  .filter((f) => f.endsWith('.json'))
  .map((file) => ({ file, history: JSON.parse(readFileSync(path.join(HISTORIES_DIR, file), 'utf8')) }));

/** Every update the asset workflow registers: the histories must exercise each of them. */
const ASSET_UPDATES = [
  setMetadataUpdate,
  freezeUpdate,
  unfreezeUpdate,
  archiveUpdate,
  restoreUpdate,
  legalHoldUpdate,
  markEventUpdate,
  recordUseUpdate,
  requestDownloadUpdate,
  addVersionUpdate,
  migrateRuleSetUpdate,
  startFlowUpdate,
  trashUpdate,
  restoreFromTrashUpdate,
  editTagsUpdate,
  setDimensionsUpdate,
  moveProjectUpdate,
].map((u) => u.name);

interface HistoryEvent {
  eventType: string;
  workflowExecutionUpdateAcceptedEventAttributes?: { acceptedRequest?: { input?: { name?: string } } };
  workflowExecutionSignaledEventAttributes?: { signalName?: string };
  markerRecordedEventAttributes?: {
    markerName?: string;
    details?: Record<string, { payloads?: { data?: string }[] }>;
  };
}
const eventsOf = (history: unknown) => (history as { events: HistoryEvent[] }).events;

beforeAll(() => installTemporalRuntimeOnce());

describe('replay of recorded workflow histories', () => {
  // A history whose first workflow task never completed has no commands to compare: it cannot fail.
  it.each(histories.map((h) => [h.file, h.history]))(
    '%s records at least one completed workflow task',
    (_file, history) => {
      expect(eventsOf(history).some((e) => e.eventType === 'EVENT_TYPE_WORKFLOW_TASK_COMPLETED')).toBe(true);
    },
  );

  it('cover every update and signal of the asset workflow, continue-as-new, and every patch', () => {
    const events = histories.flatMap((h) => eventsOf(h.history));
    const updates = new Set(
      events.flatMap((e) => {
        const name = e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name;
        return name ? [name] : [];
      }),
    );
    const signals = new Set(
      events.flatMap((e) => e.workflowExecutionSignaledEventAttributes?.signalName ?? []),
    );
    const patches = new Set(
      events.flatMap((e) => {
        const data = e.markerRecordedEventAttributes?.details?.['patch-data']?.payloads?.[0]?.data;
        return data ? [JSON.parse(Buffer.from(data, 'base64').toString('utf8')).id as string] : [];
      }),
    );
    for (const update of ASSET_UPDATES) expect([update, updates.has(update)]).toEqual([update, true]);
    expect(updates.has(decideUpdate.name)).toBe(true);
    expect(signals.has(approvalFinishedSignal.name)).toBe(true);
    expect(events.some((e) => e.eventType === 'EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW')).toBe(true);
    for (const patch of [
      PLAN_EXECUTION_PATCH,
      LIFECYCLE_ENGINE_PATCH,
      INGEST_ACTIVITY_PATCH,
      RULES_ENFORCED_PATCH,
      INPUT_BOUNDED_PATCH,
      MODELS_AFTER_STORED_PATCH,
      SEPARATION_OF_DUTIES_PATCH,
    ])
      expect([patch, patches.has(patch)]).toEqual([patch, true]);
    // And runs from before each patch: no marker at all (v1), the plan marker without the engine's (v2).
    const patchMarkers = (h: unknown) =>
      eventsOf(h).filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch').length;
    expect(
      histories.some((h) => h.file.startsWith('asset-lifecycle-') && patchMarkers(h.history) === 0),
    ).toBe(true);
    const patchesIn = (h: unknown) =>
      new Set(
        eventsOf(h).flatMap((e) => {
          const data = e.markerRecordedEventAttributes?.details?.['patch-data']?.payloads?.[0]?.data;
          return data ? [JSON.parse(Buffer.from(data, 'base64').toString('utf8')).id as string] : [];
        }),
      );
    const beforeEngine = histories.filter((h) => {
      const ids = patchesIn(h.history);
      return ids.has(PLAN_EXECUTION_PATCH) && !ids.has(LIFECYCLE_ENGINE_PATCH);
    });
    expect(beforeEngine.length).toBeGreaterThan(0);
    // Runs of the engine before rules were enforced (revision 1), and approvals before four eyes.
    const beforeRules = histories.filter((h) => {
      const ids = patchesIn(h.history);
      return ids.has(LIFECYCLE_ENGINE_PATCH) && !ids.has(RULES_ENFORCED_PATCH);
    });
    expect(beforeRules.length).toBeGreaterThan(0);
    // And revision 2 runs, from before grants and metadata were bounded (revision 3).
    const beforeBounded = histories.filter((h) => {
      const ids = patchesIn(h.history);
      return ids.has(RULES_ENFORCED_PATCH) && !ids.has(INPUT_BOUNDED_PATCH);
    });
    expect(beforeBounded.length).toBeGreaterThan(0);
    // And revision 3 runs, from before the models ran after `stored` (revision 4).
    const beforeModelsAfterStored = histories.filter((h) => {
      const ids = patchesIn(h.history);
      return ids.has(INPUT_BOUNDED_PATCH) && !ids.has(MODELS_AFTER_STORED_PATCH);
    });
    expect(beforeModelsAfterStored.length).toBeGreaterThan(0);
    const approvalsBefore = histories.filter(
      (h) => h.file.startsWith('approval-flow-') && !patchesIn(h.history).has(SEPARATION_OF_DUTIES_PATCH),
    );
    expect(approvalsBefore.length).toBeGreaterThan(0);
  });

  it.each(histories.map((h) => [h.file, h.history]))(
    'replays %s without non-determinism',
    async (_file, history) => {
      await Worker.runReplayHistory({ workflowBundle: testWorkflowBundle() }, history);
    },
  );

  it('catches an incompatible change to the workflow', async () => {
    const { code } = await bundleWorkflowCode({
      workflowsPath: require.resolve('./fixtures/incompatible-workflows'),
      logger: { info() {}, warn() {}, error() {}, debug() {}, trace() {}, log() {} },
    });
    const first = histories.find((h) => h.file.startsWith('asset-lifecycle-v2'));
    if (!first) throw new Error('no recorded asset-lifecycle history');
    await expect(Worker.runReplayHistory({ workflowBundle: { code } }, first.history)).rejects.toThrow(
      /[Nn]ondeterminism|DeterminismViolation/,
    );
  });
});
