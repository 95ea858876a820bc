import { type Request, type RequestHandler, Router } from 'express';
import type { Authenticated } from '../../catalogue/identity.repository';
import { AssetflowError, ErrorCodes } from '../../domain/errors';
import { isUuid } from '../../domain/ids';
import type { IdentityService } from '../../services/identity.service';
import { actorOf, addressOf, authenticatedAs, servedOverHttps, setSignedInUser } from '../actor';
import { validBody } from '../request-schemas';

export const SESSION_COOKIE = 'assetflow_session';

/**
 * Sign-in with a session cookie for the web app, the caller's own sessions and password, and API
 * tokens for scripts.
 */
export function authRouter(deps: { identity: IdentityService; publicUrl: string | undefined }): Router {
  const { identity } = deps;
  const router = Router();

  router.post('/api/auth/login', async (req, res) => {
    const { email, password } = validBody<{ email: string; password: string }>('login', req.body);
    const { session, user, expiresAt } = await identity.login(email, password, originOf(req));
    res.cookie(SESSION_COOKIE, session, {
      httpOnly: true,
      sameSite: 'lax',
      secure: servedOverHttps(req, deps.publicUrl),
      path: '/',
      expires: expiresAt,
    });
    res.json({ user });
  });

  router.post('/api/auth/logout', async (req, res) => {
    const session = sessionOf(req);
    if (session) await identity.logout(session);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.status(204).end();
  });

  router.get('/api/auth/me', async (req, res) => {
    res.json({ user: signedIn(req).user });
  });

  router.post('/api/auth/password', async (req, res) => {
    const body = validBody<{ currentPassword: string; newPassword: string }>('passwordChange', req.body);
    res.json(
      await identity.changePassword(signedIn(req), body.currentPassword, body.newPassword, originOf(req)),
    );
  });

  router.get('/api/auth/sessions', async (req, res) => {
    const who = signedIn(req);
    const sessions = await identity.sessionsOf(who.user.id);
    res.json({ sessions: sessions.map((s) => ({ ...s, current: s.id === who.sessionId })) });
  });

  /** Sign out everywhere: every session of the caller, this one included. */
  router.delete('/api/auth/sessions', async (req, res) => {
    const ended = await identity.endAllSessions(signedIn(req).user.id);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.json({ ended });
  });

  router.delete('/api/auth/sessions/:sessionId', async (req, res) => {
    const { sessionId } = req.params;
    if (!isUuid(sessionId))
      throw new AssetflowError(ErrorCodes.SESSION_NOT_FOUND, `No session ${sessionId}.`, 404);
    await identity.endSession(signedIn(req).user.id, sessionId);
    res.status(204).end();
  });

  router.get('/api/tokens', async (req, res) => {
    res.json({ tokens: await identity.tokensOf(signedIn(req).user.id) });
  });

  router.post('/api/tokens', async (req, res) => {
    const user = signedIn(req).user;
    const { name, expiresInDays } = validBody<{ name: string; expiresInDays?: number }>('token', req.body);
    res.status(201).json(await identity.createToken(user.id, name, expiresInDays));
  });

  router.delete('/api/tokens/:tokenId', async (req, res) => {
    const { tokenId } = req.params;
    if (!isUuid(tokenId)) throw new AssetflowError(ErrorCodes.TOKEN_NOT_FOUND, `No token ${tokenId}.`, 404);
    await identity.revokeToken(actorOf(req), tokenId);
    res.status(204).end();
  });

  return router;
}

function originOf(req: Request) {
  return { address: addressOf(req), userAgent: req.header('user-agent') };
}

function sessionOf(req: Request): string | undefined {
  const value = (req.cookies as Record<string, unknown> | undefined)?.[SESSION_COOKIE];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The session cookie and bearer token a request carries (either may be absent). */
export function credentialsOf(req: Request): { session?: string; bearer?: string } {
  const bearer = bearerOf(req);
  const session = sessionOf(req);
  return { ...(bearer ? { bearer } : {}), ...(session ? { session } : {}) };
}

/**
 * Resolves the session cookie or bearer token of every request once, before the routes, and
 * keeps the user on the request for `actorOf`. A bearer token that is not valid is refused (the
 * caller meant to authenticate); an expired or unknown cookie counts as not signed in.
 */
export function authenticateRequests(identity: IdentityService): RequestHandler {
  return async (req, _res, next) => {
    try {
      const credentials = credentialsOf(req);
      if (credentials.bearer || credentials.session) {
        const who = await identity.authenticate(credentials);
        if (!who && credentials.bearer)
          throw new AssetflowError(ErrorCodes.NOT_SIGNED_IN, 'The API token is not valid.', 401);
        if (who) setSignedInUser(req, who);
      }
      next();
    } catch (error) {
      next(error);
    }
  };
}

function bearerOf(req: Request): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(req.header('authorization') ?? '')?.[1];
}

/** The caller `authenticateRequests` found (session cookie or bearer token), or 401. */
function signedIn(req: Request): Authenticated {
  const who = authenticatedAs(req);
  if (!who)
    throw new AssetflowError(ErrorCodes.NOT_SIGNED_IN, 'Sign in first (session cookie or API token).', 401);
  return who;
}
