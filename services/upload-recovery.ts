import type { AssetRepository } from '../catalogue/asset.repository';
import type { AssetWorkflows } from '../temporal/asset-workflows.client';

/**
 * An upload writes its rows, then starts the asset's workflow, then answers 201. A process killed
 * between the first two leaves rows that no workflow will ever move out of `created`, for an upload
 * the client was never told had succeeded. At start-up those rows are removed, as the failed
 * request would have removed them; the blob stays (content-addressed, harmless, reused by a retry).
 * Only rows older than `olderThan` are considered, so an upload in flight on another server is
 * never touched.
 */
export async function discardUnstartedUploads(
  deps: { assets: AssetRepository; workflows: AssetWorkflows },
  olderThan: Date,
): Promise<number> {
  let discarded = 0;
  for (const id of await deps.assets.unstartedBefore(olderThan)) {
    if (await deps.workflows.lifecycleExists(id)) continue;
    await deps.assets.deleteUnstarted(id);
    discarded += 1;
  }
  return discarded;
}
