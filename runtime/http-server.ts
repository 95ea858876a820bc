import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/config.schema';
import { Notices } from '../operations/notices';
import { Recipients } from '../operations/recipients';
import { SearchIndexer } from '../operations/search-indexer';
import { createApp } from '../server/app';
import { AccessService } from '../services/access.service';
import { AssetService } from '../services/asset.service';
import { BulkEditService } from '../services/bulk-edit.service';
import { ChannelExportService } from '../services/channel-export.service';
import { CollectionService } from '../services/collection.service';
import { CommentService } from '../services/comment.service';
import { ContentLookupService } from '../services/content-lookup.service';
import { HealthService } from '../services/health.service';
import { IdentityService } from '../services/identity.service';
import { MigrationService } from '../services/migration.service';
import { NotificationHub } from '../services/notification-hub';
import { RuleSetService } from '../services/rule-set.service';
import { SavedSearchService } from '../services/saved-search.service';
import { SearchService } from '../services/search.service';
import { ShareService } from '../services/share.service';
import { SimilarService } from '../services/similar.service';
import { TrashService } from '../services/trash.service';
import { UseRecorder } from '../services/use-recorder';
import { VersionService } from '../services/version.service';
import type { AssetWorkflows } from '../temporal/asset-workflows.client';
import type { Storage } from './catalogue';
import { distributionOf, traceOf } from './distribution';

/** Wires the API's services from storage and the Temporal client, and listens. */
export function buildApp(config: AppConfig, storage: Storage, workflows: AssetWorkflows, logger: Logger) {
  const ruleSets = new RuleSetService(storage.ruleSets);
  const indexer = new SearchIndexer(storage.search, storage.ruleSets);
  const search = new SearchService({
    search: storage.search,
    assets: storage.assets,
    ruleSets: storage.ruleSets,
  });
  const assets = new AssetService({
    indexer,
    assets: storage.assets,
    duplicates: storage.duplicates,
    visualFeatures: storage.visualFeatures,
    workflows,
    defaultRuleSet: config.rules.defaultRuleSet,
    ruleSets,
    maxImagePixels: config.limits.maxImagePixels,
  });
  const health = new HealthService({ database: storage.database, temporal: workflows });
  const migrations = new MigrationService({ assets: storage.assets, ruleSets: storage.ruleSets, workflows });
  const access = new AccessService({
    access: storage.access,
    approvals: storage.approvals,
    shares: storage.shares,
    savedSearches: storage.savedSearches,
    collections: storage.collections,
  });
  const distribution = distributionOf(storage, config.limits, config.blobs);
  const uses = new UseRecorder({ workflows });
  const shares = new ShareService({
    shares: storage.shares,
    assets: storage.assets,
    access,
    accessRepository: storage.access,
    identity: storage.identity,
    audit: storage.audit,
    workflows,
    distribution,
    uses,
  });
  const exports = new ChannelExportService({
    assets: storage.assets,
    access,
    distribution,
    audit: storage.audit,
    uses,
  });
  const versions = new VersionService({
    assets: storage.assets,
    blobs: storage.blobs,
    workflows,
    maxImagePixels: config.limits.maxImagePixels,
  });
  const recipients = new Recipients({ identity: storage.identity, access: storage.access });
  const comments = new CommentService({
    assets: storage.assets,
    comments: storage.comments,
    notifications: storage.notifications,
    recipients,
    indexer,
  });
  const hub = new NotificationHub({ database: storage.database, notifications: storage.notifications });
  return createApp({
    versions,
    comments,
    notifications: storage.notifications,
    hub,
    notices: new Notices(storage),
    analytics: storage.analytics,
    trace: traceOf(storage, config.limits, distribution),
    similar: new SimilarService({
      assets: storage.assets,
      visualFeatures: storage.visualFeatures,
      blobs: storage.blobs,
      maxImagePixels: config.limits.maxImagePixels,
    }),
    contentLookup: new ContentLookupService({ duplicates: storage.duplicates }),
    trash: new TrashService({ assets: storage.assets, access, workflows, keepDays: config.trash.keepDays }),
    bulkEdits: new BulkEditService({ access, search, workflows, keepDays: config.trash.keepDays }),
    access,
    shares,
    distribution,
    exports,
    audit: storage.audit,
    publicUrl: config.http.publicUrl,
    trustProxy: config.http.trustProxy,
    eventStreamHeartbeatMs: config.http.eventStreamHeartbeatSeconds * 1000,
    // The test suite sets this so that every response it receives is checked against the contract.
    checkResponses: process.env.ASSETFLOW_CHECK_RESPONSES === '1',
    webDir: builtWebApp(),
    assets,
    ruleSets,
    health,
    workflows,
    migrations,
    search,
    savedSearches: new SavedSearchService({ savedSearches: storage.savedSearches, search }),
    collections: new CollectionService({ collections: storage.collections, assets: storage.assets, access }),
    identity: new IdentityService(storage.identity, config.auth),
    approvals: storage.approvals,
    blobs: storage.blobs,
    limits: config.limits,
    logger,
  });
}

export function listen(app: ReturnType<typeof buildApp>, config: AppConfig): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(config.http.port, config.http.host, () => resolve(server));
    server.once('error', reject);
  });
}

/** editor/dist when `npm run build:web` has built it. */
function builtWebApp(): string | undefined {
  const dir = path.resolve(__dirname, '..', 'editor', 'dist');
  return existsSync(path.join(dir, 'index.html')) ? dir : undefined;
}
