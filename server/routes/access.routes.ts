import { Router } from 'express';
import type { Grant } from '../../policy/access';
import type { AccessService } from '../../services/access.service';
import { actorOf } from '../actor';
import { validBody } from '../request-schemas';

/** Projects with their grants (users are in users.routes.ts). */
export function accessRouter(deps: { access: AccessService }): Router {
  const router = Router();

  router.get('/api/projects', async (req, res) => {
    res.json({ projects: await deps.access.projects(actorOf(req)) });
  });
  router.post('/api/projects', async (req, res) => {
    const body = validBody<{ id: string; name: string; grants?: Grant[] }>('project', req.body);
    res.status(201).json(await deps.access.createProject(actorOf(req), body));
  });
  router.get('/api/projects/:project', async (req, res) => {
    res.json(await deps.access.project(req.params.project));
  });
  router.put('/api/projects/:project/grants', async (req, res) => {
    const { grants } = validBody<{ grants: Grant[] }>('grants', req.body);
    res.json(await deps.access.replaceGrants(req.params.project, grants));
  });

  return router;
}
