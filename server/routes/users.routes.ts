import { Router } from 'express';
import type { IdentityService } from '../../services/identity.service';
import { actorOf } from '../actor';
import { mount } from '../contract/route';
import {
  createUser,
  disableUser,
  enableUser,
  endUserSessions,
  listUserSessions,
  listUsers,
  listUserTokens,
  resetUserPassword,
  setUserRolesAndTeams,
} from './users.contract';

/**
 * Administrators manage users: create, list, roles and teams, disable and re-enable, reset a
 * password, and see (and end) a user's sessions and tokens. The policy table admits only them.
 */
export function usersRouter(deps: { identity: IdentityService }): Router {
  const { identity } = deps;
  const router = Router();

  mount(router, listUsers, async (_input, _req, res) => {
    res.json({ users: await identity.listUsers() });
  });

  mount(router, createUser, async ({ body }, _req, res) => {
    res.status(201).json(await identity.createUser(body));
  });

  mount(router, setUserRolesAndTeams, async ({ params, body }, req, res) => {
    res.json(await identity.setRolesAndTeams(actorOf(req), params.userId, body.roles, body.teams));
  });

  mount(router, disableUser, async ({ params }, req, res) => {
    await identity.disable(actorOf(req), params.userId);
    res.status(204).end();
  });

  mount(router, enableUser, async ({ params }, _req, res) => {
    await identity.enable(params.userId);
    res.status(204).end();
  });

  /** A generated password, in this answer only; the user's sessions end. */
  mount(router, resetUserPassword, async ({ params }, _req, res) => {
    res.set('Cache-Control', 'no-store').json(await identity.resetPassword(params.userId));
  });

  mount(router, listUserSessions, async ({ params }, _req, res) => {
    res.json({ sessions: await identity.sessionsOf(params.userId) });
  });

  mount(router, endUserSessions, async ({ params }, _req, res) => {
    res.json({ ended: await identity.endAllSessions(params.userId) });
  });

  mount(router, listUserTokens, async ({ params }, _req, res) => {
    res.json({ tokens: await identity.tokensOf(params.userId) });
  });

  return router;
}
