import { type Request, Router } from 'express';
import { AssetflowError, ErrorCodes } from '../../domain/errors';
import { isUuid } from '../../domain/ids';
import type { IdentityService } from '../../services/identity.service';
import { actorOf } from '../actor';
import { validBody } from '../request-schemas';

/**
 * Administrators manage users: create, list, roles and teams, disable and re-enable, reset a
 * password, and see (and end) a user's sessions and tokens. The policy table admits only them.
 */
export function usersRouter(deps: { identity: IdentityService }): Router {
  const { identity } = deps;
  const router = Router();

  router.get('/api/users', async (_req, res) => {
    res.json({ users: await identity.listUsers() });
  });

  router.post('/api/users', async (req, res) => {
    const body = validBody<{
      email: string;
      name: string;
      password: string;
      roles?: string[];
      teams?: string[];
    }>('user', req.body);
    res.status(201).json(await identity.createUser(body));
  });

  router.put('/api/users/:userId/roles', async (req, res) => {
    const { roles, teams } = validBody<{ roles: string[]; teams: string[] }>('rolesAndTeams', req.body);
    res.json(await identity.setRolesAndTeams(actorOf(req), userIdOf(req), roles, teams));
  });

  router.post('/api/users/:userId/disable', async (req, res) => {
    await identity.disable(actorOf(req), userIdOf(req));
    res.status(204).end();
  });

  router.post('/api/users/:userId/enable', async (req, res) => {
    await identity.enable(userIdOf(req));
    res.status(204).end();
  });

  /** A generated password, in this answer only; the user's sessions end. */
  router.post('/api/users/:userId/password-reset', async (req, res) => {
    res.set('Cache-Control', 'no-store').json(await identity.resetPassword(userIdOf(req)));
  });

  router.get('/api/users/:userId/sessions', async (req, res) => {
    res.json({ sessions: await identity.sessionsOf(userIdOf(req)) });
  });

  router.delete('/api/users/:userId/sessions', async (req, res) => {
    res.json({ ended: await identity.endAllSessions(userIdOf(req)) });
  });

  router.get('/api/users/:userId/tokens', async (req, res) => {
    res.json({ tokens: await identity.tokensOf(userIdOf(req)) });
  });

  return router;
}

function userIdOf(req: Request): string {
  const id = String(req.params.userId);
  if (!isUuid(id)) throw new AssetflowError(ErrorCodes.USER_NOT_FOUND, `No user ${id}.`, 404);
  return id;
}
