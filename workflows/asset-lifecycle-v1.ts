import { condition, proxyLocalActivities, setHandler, sleep } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { AssetLifecycleView, AssetState, Transition } from '../domain/asset';
import type { AssetLifecycleInput } from '../lifecycle/model';
import { getTimelineQuery } from './messages';
import { millisUntil, workflowNow } from './workflow-clock';

/**
 * Catalogue writes and header reads take milliseconds, so they run as local activities: in the
 * worker that runs the workflow, without a round trip through the Temporal server per call (see
 * docs/performance.md for what that saves). Heavy work (renditions) will use ordinary activities.
 */
const { analyseVersion, recordTransition } = proxyLocalActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '1 second',
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: ['AssetNotFound'],
  },
});

/**
 * The first version of the asset workflow, kept so that workflows started before rule-set plans
 * existed replay and continue exactly as they began (see PLAN_EXECUTION_PATCH). It analyses the
 * first version, marks it stored, and takes it down when `validUntil` passes. Do not change it;
 * remove it once no workflow started without the patch is open (then `deprecatePatch`).
 */
export async function assetLifecycleV1(input: AssetLifecycleInput): Promise<AssetLifecycleView> {
  const view: AssetLifecycleView = { assetId: input.assetId, state: 'created', timeline: [] };
  setHandler(getTimelineQuery, () => view);

  const moveTo = async (to: AssetState, reason: string) => {
    const transition: Transition = {
      seq: view.timeline.length + 1,
      from: view.timeline.length === 0 ? null : view.state,
      to,
      at: workflowNow().toISOString(),
      reason,
    };
    view.timeline.push(transition);
    view.state = to;
    await recordTransition({ assetId: input.assetId, transition });
  };

  await moveTo('created', 'uploaded');
  const analysis = await analyseVersion({ assetId: input.assetId, version: input.version });
  await moveTo(
    'stored',
    analysis.kind === 'image'
      ? `analysed ${analysis.format} ${analysis.width}×${analysis.height}`
      : `stored as generic: ${analysis.reason}`,
  );

  if (input.validUntil) {
    // A durable timer: it survives worker restarts and fires even years later.
    await sleep(millisUntil(input.validUntil));
    await moveTo('expired', `validity period ended ${input.validUntil}`);
  }
  // The workflow stays open for as long as the asset exists: it is the asset's durable identity,
  // and the later stages (distribute, use, archive) reach it as messages.
  await condition(() => false);
  return view;
}
