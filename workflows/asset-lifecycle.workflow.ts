import { patched } from '@temporalio/workflow';
import type { AssetLifecycleView } from '../domain/asset';
import type { AssetLifecycleInput } from '../lifecycle/model';
import { assetLifecycleV1 } from './asset-lifecycle-v1';
import { assetLifecycleV2 } from './asset-lifecycle-v2';
import { interpretLifecycle } from './lifecycle-interpreter';

/** Workflows started before this patch run `assetLifecycleV1`; new ones execute rule-set plans. */
export const PLAN_EXECUTION_PATCH = 'asset-lifecycle-executes-plans';
/** Workflows started before this patch run `assetLifecycleV2`; new ones interpret the lifecycle engine. */
export const LIFECYCLE_ENGINE_PATCH = 'asset-lifecycle-interprets-engine';

/**
 * One asset's whole life, from upload to purge: the lifecycle engine (lifecycle/) decides, this
 * workflow carries out what it decides (see lifecycle-interpreter.ts). Runs that began under older
 * code replay on the code they began with; a continued run always starts on the newest.
 */
export async function assetLifecycle(input: AssetLifecycleInput): Promise<AssetLifecycleView> {
  if (!patched(PLAN_EXECUTION_PATCH)) return assetLifecycleV1(input);
  if (!patched(LIFECYCLE_ENGINE_PATCH)) return assetLifecycleV2(input);
  return interpretLifecycle(input);
}
