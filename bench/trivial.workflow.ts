import { proxyActivities } from '@temporalio/workflow';

const { noop } = proxyActivities<{ noop(): Promise<void> }>({ startToCloseTimeout: '10 seconds' });

/** The least a workflow with an activity can be: the baseline the lifecycle benchmark divides by. */
export async function trivialWorkflow(): Promise<void> {
  await noop();
}
