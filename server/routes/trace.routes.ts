import express, { Router } from 'express';
import { AssetflowError, ErrorCodes } from '../../domain/errors';
import type { TraceService } from '../../services/trace.service';
import { mount } from '../contract/route';
import { traceLeak } from './trace.contract';

/**
 * `POST /api/trace` with the suspect image as the body: the distribution events it came from.
 * `?asset=<id>` compares a cropped image with that asset's marked renditions only.
 */
export function traceRouter(deps: { trace: TraceService; limits: { maxUploadBytes: number } }): Router {
  const router = Router();
  mount(
    router,
    traceLeak,
    async ({ query }, req, res) => {
      const body = req.body as Buffer | undefined;
      if (!Buffer.isBuffer(body) || body.length === 0) {
        throw new AssetflowError(ErrorCodes.FILE_MISSING, 'Send the suspect image as the request body.', 400);
      }
      res.json(await deps.trace.trace(body, query.asset === undefined ? {} : { assetId: query.asset }));
    },
    [express.raw({ type: () => true, limit: deps.limits.maxUploadBytes })],
  );
  return router;
}
