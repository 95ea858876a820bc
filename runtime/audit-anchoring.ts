import type { Logger } from 'pino';
import type { AuditRepository } from '../catalogue/audit.repository';
import { loadAnchorKey } from '../catalogue/audit-anchor-key';
import type { AppConfig } from '../config/config.schema';
import { type AnchorOutcome, AuditAnchoring } from '../services/audit-anchoring.service';

/**
 * The API process anchors the trail's head at start, every `audit.anchorIntervalSeconds` when it
 * moved, and once more when it stops (after the HTTP server, so no event follows the last anchor).
 * Each anchor is also logged (seq, hash, MAC: none of them secret), so shipped logs hold a second
 * copy; the key never is.
 */
export async function startAnchoring(
  config: AppConfig,
  audit: AuditRepository,
  logger: Logger,
  say: (message: string) => void,
): Promise<{ stop(): Promise<void> }> {
  const { key, source } = (await loadAnchorKey({ keyFile: config.audit.keyFile, create: true }))!;
  const anchoring = new AuditAnchoring({ audit, file: config.audit.anchorFile, key });
  const anchorNow = () =>
    anchoring.anchor().then(
      (outcome) => report(outcome, logger),
      (error: Error) => logger.error({ err: error }, 'audit anchor failed'),
    );
  await anchorNow();
  say(
    `Anchoring the trail's head to ${config.audit.anchorFile} every ${config.audit.anchorIntervalSeconds} s (key from ${source}).`,
  );
  const timer = setInterval(anchorNow, config.audit.anchorIntervalSeconds * 1000);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await anchorNow();
    },
  };
}

function report(outcome: AnchorOutcome, logger: Logger) {
  if (outcome.kind === 'written') {
    const { seq, hash, mac } = outcome.anchor;
    logger.info({ auditAnchor: { seq, hash, mac } }, 'audit anchor written');
  } else if (outcome.kind === 'refused') {
    logger.error(
      { reason: outcome.reason },
      'audit trail does not match its last anchor; no anchor written (run `assetflow audit verify`)',
    );
  }
}
