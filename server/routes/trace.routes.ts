import express, { Router } from 'express';
import { AssetflowError, ErrorCodes } from '../../domain/errors';
import type { TraceService } from '../../services/trace.service';

/**
 * `POST /api/trace` with the suspect image as the body: the distribution events it came from.
 * `?asset=<id>` compares a cropped image with that asset's marked renditions only.
 */
export function traceRouter(deps: { trace: TraceService; limits: { maxUploadBytes: number } }): Router {
  const router = Router();
  router.post(
    '/api/trace',
    express.raw({ type: () => true, limit: deps.limits.maxUploadBytes }),
    async (req, res) => {
      const body = req.body as Buffer | undefined;
      if (!Buffer.isBuffer(body) || body.length === 0) {
        throw new AssetflowError(ErrorCodes.FILE_MISSING, 'Send the suspect image as the request body.', 400);
      }
      const assetId = typeof req.query.asset === 'string' ? req.query.asset : undefined;
      const result = await deps.trace.trace(body, { assetId });
      res.json(result);
    },
  );
  return router;
}
