import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { AssetRecord } from '../catalogue/asset.repository';
import type { AssetWorkflows } from '../temporal/asset-workflows.client';
import { recordUseUpdate } from '../workflows/messages';

/** A hot asset used again within this long is not told again (its cold-tier timer is days away). */
export const USE_RECORD_INTERVAL_SECONDS = 60 * 60;

/**
 * Tells an asset's workflow it was used where the workflow does not see it itself: a share link
 * opened or downloaded, a channel export. That re-arms cold tiering and brings a cold asset back
 * (audience downloads go through the workflow's `requestDownload` and count there). A hot asset
 * this server told about within the hour is not told again, so a busy link does not grow the
 * workflow's history; a cold one always is. A use that cannot be recorded (the asset was just
 * archived) does not fail the download.
 */
export class UseRecorder {
  private readonly recently = new RateLimiterMemory({ points: 1, duration: USE_RECORD_INTERVAL_SECONDS });

  constructor(private readonly deps: { workflows: Pick<AssetWorkflows, 'updateAsset'> }) {}

  async used(asset: AssetRecord, by: string, use: 'view' | 'download'): Promise<void> {
    const fresh = await this.recently.consume(asset.id).then(
      () => true,
      () => false,
    );
    if (!fresh && asset.tier === 'hot') return;
    await this.deps.workflows.updateAsset(asset.id, recordUseUpdate, { by, use }).catch(() => undefined);
  }
}
