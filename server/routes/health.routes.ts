import { Router } from 'express';
import type { HealthService } from '../../services/health.service';

/** 200 when every dependency answers, 503 naming the one that does not. */
export function healthRouter(health: HealthService): Router {
  const router = Router();
  router.get('/api/health', async (_req, res) => {
    const report = await health.check();
    res.status(report.status === 'ok' ? 200 : 503).json(report);
  });
  return router;
}
