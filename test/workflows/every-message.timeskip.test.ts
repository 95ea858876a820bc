import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { compileRuleSet, type RuleSetPlan } from '../../rules';
import {
  addVersionUpdate,
  archiveUpdate,
  decideUpdate,
  freezeUpdate,
  type LifecycleView,
  legalHoldUpdate,
  markEventUpdate,
  migrateRuleSetUpdate,
  recordUseUpdate,
  requestDownloadUpdate,
  restoreUpdate,
  setMetadataUpdate,
  startFlowUpdate,
  unfreezeUpdate,
} from '../../workflows/messages';
import { eventually } from '../support/harness';
import { recordRunIfAsked } from '../support/record-history';
import { lifecycleView, startAsset, timeSkippingWorld } from '../support/time-skipping-world';

const DAY = 24 * 60 * 60 * 1000;
const luxury = (): RuleSetPlan =>
  compileRuleSet(readFileSync(path.join(__dirname, '..', '..', 'rules', 'examples', 'luxury.yaml'), 'utf8'))
    .plan!;

/**
 * One asset receives every message its workflow accepts, and an idle one continues as new. Each
 * lands in the asset's timeline with who did it; with RECORD_HISTORIES=1 the runs are saved for
 * the replay test, which checks that its histories cover every update, signal and patch.
 */
describe('every message an asset workflow accepts', () => {
  const world = timeSkippingWorld('every-message');

  async function upload(plan: RuleSetPlan, metadata: Record<string, unknown>) {
    const started = await startAsset(world, plan, {
      name: 'SS26-Garden_event_V1_20260301.jpg',
      metadata,
      uploadedBy: 'ann@example.test',
      size: [120, 80],
      rgb: [20, 90, 200],
    });
    await waitFor(started.handle, (v) => v.state === 'stored');
    return started;
  }
  const view = (handle: WorkflowHandle) => lifecycleView(world.env, handle);
  const waitFor = (handle: WorkflowHandle, predicate: (v: LifecycleView) => boolean) =>
    eventually(async () => {
      const v = await view(handle);
      return predicate(v) ? v : undefined;
    });

  it('records each message in the timeline with who sent it, in order', async () => {
    const plan = { ...luxury(), name: 'luxury-every-message' };
    // A flow people start by hand; its condition (an internal download) fails, so it ends at once.
    plan.flows['manual-check'] = { ...plan.flows['hi-res-download']!, trigger: 'manual' };
    const { handle, assetId, sha256, sizeBytes } = await upload(plan, { campaign: 'SS26-Garden' });
    const mia = { by: 'mia@example.test', roles: ['brand-manager'] };
    const lea = { by: 'lea@example.test', roles: ['legal'] };

    await handle.executeUpdate(setMetadataUpdate, { args: [{ ...mia, set: { photographer: 'Li Wei' } }] });
    await handle.executeUpdate(freezeUpdate, { args: [{ ...mia, reason: 'embargo' }] });
    await handle.executeUpdate(unfreezeUpdate, { args: [mia] });
    await handle.executeUpdate(legalHoldUpdate, { args: [{ ...lea, on: true, reason: 'claim' }] });
    await handle.executeUpdate(legalHoldUpdate, { args: [{ ...lea, on: false }] });
    await handle.executeUpdate(recordUseUpdate, { args: [{ by: 'ann@example.test', use: 'view' }] });
    const download = await handle.executeUpdate(requestDownloadUpdate, {
      args: [{ by: 'ann@example.test', roles: ['employee'], audience: 'internal', rendition: 'original' }],
    });
    if (download.status !== 'pending') throw new Error(`expected an approval, got ${download.status}`);
    const approval = world.env.client.workflow.getHandle(download.approvalId);
    await approval.executeUpdate(decideUpdate, {
      args: [
        {
          node: 'first-approval',
          reviewer: 'mia@example.test',
          roles: ['brand-manager'],
          decision: 'approve',
        },
      ],
    });
    await approval.executeUpdate(decideUpdate, {
      args: [
        { node: 'second-approval', reviewer: 'rui@example.test', roles: ['reviewer'], decision: 'approve' },
      ],
    });
    await waitFor(handle, (v) => (v.grants ?? []).length === 1);
    const { version } = await handle.executeUpdate(addVersionUpdate, {
      args: [
        {
          by: 'ann@example.test',
          sha256,
          sizeBytes,
          originalName: 'v2.jpg',
          declaredMediaType: 'image/jpeg',
        },
      ],
    });
    expect(version).toBe(2);
    // Answered once the version's row is written (its ingest follows): the row is there now.
    expect((await world.assets.versions(assetId)).map((v) => v.version)).toEqual([1, 2]);
    await handle.executeUpdate(startFlowUpdate, { args: [{ ...mia, flow: 'manual-check' }] });
    await waitFor(handle, (v) =>
      (v.approvals ?? []).some((x) => x.flow === 'manual-check' && x.status === 'rejected'),
    );
    await handle.executeUpdate(markEventUpdate, { args: [{ by: 'ann@example.test', event: 'delisting' }] });
    await handle.executeUpdate(markEventUpdate, {
      args: [{ by: 'ann@example.test', event: 'delisting', undo: true }],
    });
    await handle.executeUpdate(migrateRuleSetUpdate, {
      args: [{ by: 'admin@example.test', version: 2, plan }],
    });
    await handle.executeUpdate(archiveUpdate, { args: [{ by: 'ann@example.test' }] });
    await handle.executeUpdate(restoreUpdate, { args: [{ by: 'ann@example.test' }] });

    const timeline = await eventually(async () => {
      const entries = await world.assets.timeline(assetId);
      return entries.some((t) => t.event === 'restored') &&
        entries.some((t) => t.event === 'approval-rejected')
        ? entries
        : undefined;
    });
    const events = timeline.map((t) => [t.event ?? t.to, t.by ?? null]);
    expect(events).toEqual([
      ['uploaded', 'ann@example.test'],
      ['stored', null],
      ['metadata-changed', 'mia@example.test'],
      ['frozen', 'mia@example.test'],
      ['unfrozen', 'mia@example.test'],
      ['legal-hold-set', 'lea@example.test'],
      ['legal-hold-released', 'lea@example.test'],
      ['approval-requested', 'ann@example.test'],
      ['approval-approved', download.approvalId],
      ['version-added', 'ann@example.test'],
      ['approval-requested', 'mia@example.test'],
      ['approval-rejected', `approval-${assetId}-2`],
      ['delisted', 'ann@example.test'],
      ['archived', 'ann@example.test'],
      ['relisted', 'ann@example.test'],
      ['restored', 'ann@example.test'],
      ['migrated', 'admin@example.test'],
      ['archived', 'ann@example.test'],
      ['restored', 'ann@example.test'],
    ]);
    expect(timeline.map((t) => t.seq)).toEqual(timeline.map((_, i) => i + 1));

    const { runId } = await handle.describe();
    await recordRunIfAsked(world.env.client, handle.workflowId, runId, 'asset-lifecycle-v6-every-message');
  });

  it('an idle asset continues as new after a year, carrying its state, and the new run goes on', async () => {
    const plan = { ...luxury(), name: 'luxury-idle' };
    plan.archive = { validity: null, coldAfterDaysUnused: null, retention: [], legalHold: null };
    const { handle, assetId } = await upload(plan, { campaign: 'idle' });
    const first = (await handle.describe()).runId;
    await world.env.sleep(366 * DAY);
    const continued = await eventually(async () => {
      const { runId } = await world.env.client.workflow.getHandle(handle.workflowId).describe();
      return runId !== first ? runId : undefined;
    });
    const latest = world.env.client.workflow.getHandle(handle.workflowId);
    await latest.executeUpdate(freezeUpdate, {
      args: [{ by: 'mia@example.test', roles: ['brand-manager'], reason: 'after a year' }],
    });
    const after = await waitFor(latest, (v) => v.frozen !== null);
    expect(after).toMatchObject({ assetId, state: 'stored', asset: { kind: 'image', width: 120 } });
    const events = await eventually(async () => {
      const recorded = (await world.assets.timeline(assetId)).map((t) => t.event ?? t.to);
      return recorded.includes('frozen') ? recorded : undefined;
    });
    expect(events).toEqual(['uploaded', 'stored', 'frozen']);
    await recordRunIfAsked(world.env.client, handle.workflowId, first, 'asset-lifecycle-v6-continued-as-new');
    await recordRunIfAsked(
      world.env.client,
      handle.workflowId,
      continued,
      'asset-lifecycle-v6-after-continue-as-new',
    );
  });
});
