import type { AssetRepository } from '../catalogue/asset.repository';
import type { AuditRepository } from '../catalogue/audit.repository';
import type { AuditEventInput } from '../catalogue/audit-event';
import { withheldReason } from '../domain/asset';
import { AssetflowError, ErrorCodes } from '../domain/errors';
import { own } from '../domain/own';
import type { Principal } from '../policy/access';
import { evaluateCondition } from '../rules/conditions';
import type { AccessService } from './access.service';
import type { DistributionService, OutgoingFile } from './distribution.service';
import type { UseRecorder } from './use-recorder';

/**
 * Batch export for a sales channel (Amazon, TikTok, …): each asset's rule set names the channel's
 * renditions (e.g. Amazon's 2000×2000 on white) and when an asset qualifies (`when`). Assets that
 * do not qualify are listed in the zip's manifest with the reason instead of failing the batch.
 */
export class ChannelExportService {
  constructor(
    private readonly deps: {
      assets: AssetRepository;
      access: AccessService;
      distribution: DistributionService;
      audit: AuditRepository;
      uses: UseRecorder;
    },
  ) {}

  async prepare(
    actor: Principal,
    request: { assetIds: string[]; channel: string },
    address: string,
  ): Promise<{ files: OutgoingFile[]; extras: Array<{ name: string; bytes: Buffer }> }> {
    const ids = [...new Set(request.assetIds)];
    await this.deps.access.requireOnAssets(actor, ids, 'edit');
    const files: OutgoingFile[] = [];
    const manifest: Array<{ assetId: string; name: string; files?: string[]; skipped?: string }> = [];
    let channelKnown = false;
    // Recorded together after the loop: one append (one turn at the chain's lock) per export.
    const events: AuditEventInput[] = [];
    for (const id of ids) {
      const asset = (await this.deps.assets.find(id))!;
      const plan = await this.deps.distribution.planOf(asset);
      const channel = own(plan.distribute.channels, request.channel);
      if (!channel) {
        manifest.push({
          assetId: id,
          name: asset.displayName,
          skipped: `rule set ${plan.name} has no channel "${request.channel}"`,
        });
        continue;
      }
      channelKnown = true;
      const withheld = withheldReason(asset);
      if (withheld) {
        manifest.push({ assetId: id, name: asset.displayName, skipped: withheld });
        continue;
      }
      if (channel.when) {
        const result = evaluateCondition(plan.fields, channel.when, {
          metadata: asset.metadata,
          now: new Date().toISOString(),
        });
        if (!(result.ok && result.value)) {
          manifest.push({ assetId: id, name: asset.displayName, skipped: `does not meet ${channel.when}` });
          continue;
        }
      }
      const made: string[] = [];
      for (const rendition of channel.renditions) {
        // Marked per export when the preset asks for an invisible watermark, like any download.
        const file = await this.deps.distribution.deliver(asset, rendition);
        files.push(file);
        made.push(file.filename);
        events.push({
          actor: actor.email,
          action: 'export',
          assetId: id,
          version: asset.currentVersion.version,
          rendition,
          address,
          details: { channel: request.channel, ...(file.watermark ? { watermark: file.watermark } : {}) },
        });
      }
      await this.deps.uses.used(asset, actor.email, 'download');
      manifest.push({ assetId: id, name: asset.displayName, files: made });
    }
    if (!channelKnown) {
      throw new AssetflowError(
        ErrorCodes.CHANNEL_UNKNOWN,
        `No rule set of these assets has a channel "${request.channel}".`,
        400,
        { channel: request.channel },
      );
    }
    await this.deps.audit.appendMany(events);
    const json = JSON.stringify({ channel: request.channel, assets: manifest }, null, 2);
    return { files, extras: [{ name: 'manifest.json', bytes: Buffer.from(json) }] };
  }
}
