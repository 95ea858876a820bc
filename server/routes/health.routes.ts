import { Router } from 'express';
import { ADMIN_ROLE } from '../../policy/access';
import type { HealthService } from '../../services/health.service';
import { signedInUser } from '../actor';
import { mount } from '../contract/route';
import { getHealth } from './health.contract';

/**
 * 200 when every dependency answers, 503 naming the one that does not. Anyone may ask (load
 * balancers do, unsigned); only an administrator sees why a dependency is down and how fast
 * each answered — the error text names internal hosts and ports.
 */
export function healthRouter(health: HealthService): Router {
  const router = Router();
  mount(router, getHealth, async (_input, req, res) => {
    const report = await health.check();
    const detailed = signedInUser(req)?.roles.includes(ADMIN_ROLE) === true;
    res.status(report.status === 'ok' ? 200 : 503).json(
      detailed
        ? report
        : {
            status: report.status,
            dependencies: Object.fromEntries(
              Object.entries(report.dependencies).map(([name, d]) => [name, { status: d.status }]),
            ),
          },
    );
  });
  return router;
}
