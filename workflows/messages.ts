import { defineQuery } from '@temporalio/workflow';
import type { AssetLifecycleView } from '../domain/asset';

/**
 * Message names shared by the workflow and its clients. They are recorded in workflow history,
 * so a name, once shipped, is never changed.
 */
export const getTimelineQuery = defineQuery<AssetLifecycleView>('getTimeline');
