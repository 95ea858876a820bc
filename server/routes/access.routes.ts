import { Router } from 'express';
import type { AccessService } from '../../services/access.service';
import { actorOf } from '../actor';
import { mount } from '../contract/route';
import { createProject, getProject, listProjects, replaceProjectGrants } from './access.contract';

/** Projects with their grants (users are in users.routes.ts). */
export function accessRouter(deps: { access: AccessService }): Router {
  const router = Router();

  mount(router, listProjects, async (_input, req, res) => {
    res.json({ projects: await deps.access.projects(actorOf(req)) });
  });
  mount(router, createProject, async ({ body }, req, res) => {
    res.status(201).json(await deps.access.createProject(actorOf(req), body));
  });
  mount(router, getProject, async ({ params }, _req, res) => {
    res.json(await deps.access.project(params.project));
  });
  mount(router, replaceProjectGrants, async ({ params, body }, _req, res) => {
    res.json(await deps.access.replaceGrants(params.project, body.grants));
  });

  return router;
}
