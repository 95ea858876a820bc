import path from 'node:path';
import cookieParser from 'cookie-parser';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { BlobStore } from '../blobstore/blob-store';
import type { AnalyticsRepository } from '../catalogue/analytics.repository';
import type { ApprovalRepository } from '../catalogue/approval.repository';
import type { AuditRepository } from '../catalogue/audit.repository';
import type { NotificationRepository } from '../catalogue/notification.repository';
import type { Notices } from '../operations/notices';
import type { AccessService } from '../services/access.service';
import type { AssetService } from '../services/asset.service';
import type { BulkEditService } from '../services/bulk-edit.service';
import type { ChannelExportService } from '../services/channel-export.service';
import type { CollectionService } from '../services/collection.service';
import type { CommentService } from '../services/comment.service';
import type { ContentLookupService } from '../services/content-lookup.service';
import type { DistributionService } from '../services/distribution.service';
import type { HealthService } from '../services/health.service';
import type { IdentityService } from '../services/identity.service';
import type { MigrationService } from '../services/migration.service';
import type { NotificationHub } from '../services/notification-hub';
import type { RuleSetService } from '../services/rule-set.service';
import type { SavedSearchService } from '../services/saved-search.service';
import type { SearchService } from '../services/search.service';
import type { ShareService } from '../services/share.service';
import type { SimilarService } from '../services/similar.service';
import type { TraceService } from '../services/trace.service';
import type { TrashService } from '../services/trash.service';
import type { VersionService } from '../services/version.service';
import type { AssetWorkflows } from '../temporal/asset-workflows.client';
import { openApiDocumentOf } from './contract/document';
import { allOperations, operationsByKey } from './contract/operations';
import { checkResponses } from './contract/response-check';
import { refuseCrossSiteRequests } from './cross-site';
import { enforcePolicy, GUARDED } from './enforce-policy';
import { errorHandler, notFoundHandler } from './errors';
import type { UploadLimits } from './multipart-upload';
import { requestLogging } from './request-logging';
import { accessRouter } from './routes/access.routes';
import { analyticsRouter } from './routes/analytics.routes';
import { assetsRouter } from './routes/assets.routes';
import { authenticateRequests, authRouter } from './routes/auth.routes';
import { batchesRouter } from './routes/batches.routes';
import { collaborationRouter } from './routes/collaboration.routes';
import { collectionsRouter } from './routes/collections.routes';
import { contentLookupRouter } from './routes/content-lookup.routes';
import { correctionsRouter } from './routes/corrections.routes';
import { distributionRouter } from './routes/distribution.routes';
import { docsRouter } from './routes/docs.routes';
import { healthRouter } from './routes/health.routes';
import { lifecycleRouter } from './routes/lifecycle.routes';
import { notificationsRouter } from './routes/notifications.routes';
import { ruleSetsRouter } from './routes/rule-sets.routes';
import { savedSearchesRouter } from './routes/saved-searches.routes';
import { searchRouter } from './routes/search.routes';
import { sharesRouter } from './routes/shares.routes';
import { similarRouter } from './routes/similar.routes';
import { traceRouter } from './routes/trace.routes';
import { trashRouter } from './routes/trash.routes';
import { usersRouter } from './routes/users.routes';

export interface AppDeps {
  assets: AssetService;
  health: HealthService;
  ruleSets: RuleSetService;
  workflows: AssetWorkflows;
  approvals: ApprovalRepository;
  migrations: MigrationService;
  search: SearchService;
  savedSearches: SavedSearchService;
  collections: CollectionService;
  identity: IdentityService;
  access: AccessService;
  shares: ShareService;
  distribution: DistributionService;
  exports: ChannelExportService;
  audit: AuditRepository;
  versions: VersionService;
  comments: CommentService;
  notifications: NotificationRepository;
  hub: NotificationHub;
  notices: Notices;
  analytics: AnalyticsRepository;
  trace: TraceService;
  similar: SimilarService;
  contentLookup: ContentLookupService;
  trash: TrashService;
  bulkEdits: BulkEditService;
  blobs: BlobStore;
  limits: UploadLimits;
  /** The built web app (editor/dist) to serve at `/`; none when undefined. */
  webDir?: string | undefined;
  /** Base of share-link URLs; from each request's Host when undefined. */
  publicUrl: string | undefined;
  /** Express's `trust proxy` (config `http.trustProxy`): false unless behind a reverse proxy. */
  trustProxy?: boolean | number | string;
  /**
   * Check every API response against its contract (server/contract/): for tests, where a
   * response that breaks it becomes a 500 and fails the test. Off in production.
   */
  checkResponses?: boolean;
  /** How often event streams send a keep-alive and re-check their credential. */
  eventStreamHeartbeatMs?: number;
  logger: Logger;
}

/** Builds the HTTP API without listening, so tests can drive it with supertest. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // Who the client is (req.ip, req.secure) comes from X-Forwarded-* only when configured so.
  app.set('trust proxy', deps.trustProxy ?? false);
  app.use(helmet({ contentSecurityPolicy: { directives: STRICT_CSP }, crossOriginEmbedderPolicy: false }));
  app.use(requestLogging(deps.logger));
  if (deps.checkResponses) app.use(checkResponses(operationsByKey));
  // No body parser here: each operation parses the body it declares (server/contract/route.ts).
  app.use(cookieParser());
  app.use(refuseCrossSiteRequests());
  // Who is asking (session cookie or API token), then whether they may: before every route.
  app.use(authenticateRequests(deps.identity));
  app.use(enforcePolicy(deps.access));

  app.use(docsRouter(openApiDocumentOf(allOperations)));
  app.use(healthRouter(deps.health));
  app.use(authRouter(deps));
  app.use(usersRouter(deps));
  app.use(accessRouter(deps));
  app.use(contentLookupRouter(deps));
  app.use(assetsRouter(deps));
  app.use(similarRouter(deps));
  app.use(lifecycleRouter(deps));
  app.use(trashRouter(deps));
  app.use(correctionsRouter(deps));
  app.use(batchesRouter(deps));
  app.use(distributionRouter(deps));
  app.use(collaborationRouter(deps));
  app.use(notificationsRouter(deps));
  app.use(analyticsRouter(deps));
  app.use(traceRouter(deps));
  app.use(sharesRouter(deps));
  app.use(ruleSetsRouter(deps.ruleSets));
  app.use(searchRouter(deps));
  app.use(savedSearchesRouter(deps));
  app.use(collectionsRouter(deps));

  if (deps.webDir) app.use(webApp(deps.webDir));

  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return app;
}

/**
 * The single-page app: its hashed assets cached for a year, and `index.html` for every other
 * page (the app routes by the URL's hash). The API and share pages are never shadowed.
 */
function webApp(dir: string): express.RequestHandler {
  const assets = express.static(dir, { index: false, immutable: true, maxAge: '365d' });
  const index = path.join(dir, 'index.html');
  return (req, res, next) => {
    if (GUARDED.test(req.path)) return next();
    assets(req, res, () => {
      if (req.method !== 'GET' && req.method !== 'HEAD') return next();
      res.set('Cache-Control', 'no-cache');
      res.sendFile(index);
    });
  };
}

/**
 * Only our own origin, no inline scripts or styles, no plugins, no framing: an injected `<script>`
 * or `style` attribute in a name would not run even if escaping failed somewhere.
 */
const STRICT_CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
};
