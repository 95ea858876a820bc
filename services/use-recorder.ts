import type { AssetRecord } from '../catalogue/asset.repository';
import type { AssetWorkflows } from '../temporal/asset-workflows.client';
import { recordUseUpdate } from '../workflows/messages';

/** A hot asset used again within this long is not told again (its cold-tier timer is days away). */
export const USE_RECORD_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Tells an asset's workflow it was used where the workflow does not see it itself: a share link
 * opened or downloaded, a channel export. That re-arms cold tiering and brings a cold asset back
 * (audience downloads go through the workflow's `requestDownload` and count there). A hot asset
 * used within the last hour is not told again, so a busy link does not grow its history. A use
 * that cannot be recorded (the asset was just archived) does not fail the download.
 */
export class UseRecorder {
  constructor(private readonly deps: { workflows: Pick<AssetWorkflows, 'updateAsset'> }) {}

  async used(asset: AssetRecord, by: string, use: 'view' | 'download', now = Date.now()): Promise<void> {
    const recent =
      asset.tier === 'hot' &&
      asset.lastUsedAt !== null &&
      now - Date.parse(asset.lastUsedAt) < USE_RECORD_INTERVAL_MS;
    if (recent) return;
    await this.deps.workflows.updateAsset(asset.id, recordUseUpdate, { by, use }).catch(() => undefined);
  }
}
