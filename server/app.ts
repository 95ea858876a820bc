import cookieParser from 'cookie-parser';
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { FileBlobStore } from '../blobstore/file-blob-store';
import type { ApprovalRepository } from '../catalogue/approval.repository';
import type { AssetService } from '../services/asset.service';
import type { HealthService } from '../services/health.service';
import type { IdentityService } from '../services/identity.service';
import type { MigrationService } from '../services/migration.service';
import type { RuleSetService } from '../services/rule-set.service';
import type { SearchService } from '../services/search.service';
import type { AssetWorkflows } from '../temporal/asset-workflows.client';
import { errorHandler, notFoundHandler } from './errors';
import type { UploadLimits } from './multipart-upload';
import { openApiDocument } from './openapi';
import { assetsRouter } from './routes/assets.routes';
import { authenticateRequests, authRouter } from './routes/auth.routes';
import { healthRouter } from './routes/health.routes';
import { lifecycleRouter } from './routes/lifecycle.routes';
import { ruleSetsRouter } from './routes/rule-sets.routes';
import { searchRouter } from './routes/search.routes';

export interface AppDeps {
  assets: AssetService;
  health: HealthService;
  ruleSets: RuleSetService;
  workflows: AssetWorkflows;
  approvals: ApprovalRepository;
  migrations: MigrationService;
  search: SearchService;
  identity: IdentityService;
  blobs: FileBlobStore;
  limits: UploadLimits;
  logger: Logger;
}

/** Builds the HTTP API without listening, so tests can drive it with supertest. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(pinoHttp({ logger: deps.logger, autoLogging: { ignore: (req) => req.url === '/api/health' } }));
  app.use(express.json({ limit: '1mb' }));
  app.use(cookieParser());
  app.use(authenticateRequests(deps.identity));

  app.get('/api/openapi.json', (_req, res) => {
    res.json(openApiDocument);
  });
  app.use(healthRouter(deps.health));
  app.use(authRouter(deps.identity));
  app.use(assetsRouter(deps));
  app.use(lifecycleRouter(deps));
  app.use(ruleSetsRouter(deps.ruleSets));
  app.use(searchRouter(deps.search));

  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return app;
}
