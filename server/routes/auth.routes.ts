import { type Request, type RequestHandler, Router } from 'express';
import type { Authenticated } from '../../catalogue/identity.repository';
import { AssetflowError, ErrorCodes } from '../../domain/errors';
import type { IdentityService } from '../../services/identity.service';
import { actorOf, addressOf, authenticatedAs, servedOverHttps, setSignedInUser } from '../actor';
import { mount } from '../contract/route';
import {
  changePassword,
  createToken,
  endOwnSession,
  endOwnSessions,
  getCurrentUser,
  listOwnSessions,
  listOwnTokens,
  revokeToken,
  signIn,
  signOut,
} from './auth.contract';

export const SESSION_COOKIE = 'assetflow_session';

/**
 * Sign-in with a session cookie for the web app, the caller's own sessions and password, and API
 * tokens for scripts.
 */
export function authRouter(deps: { identity: IdentityService; publicUrl: string | undefined }): Router {
  const { identity } = deps;
  const router = Router();

  mount(router, signIn, async ({ body }, req, res) => {
    const { session, user, expiresAt } = await identity.login(body.email, body.password, originOf(req));
    res.cookie(SESSION_COOKIE, session, {
      httpOnly: true,
      sameSite: 'lax',
      secure: servedOverHttps(req, deps.publicUrl),
      path: '/',
      expires: expiresAt,
    });
    res.json({ user });
  });

  mount(router, signOut, async (_input, req, res) => {
    const session = sessionOf(req);
    if (session) await identity.logout(session);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.status(204).end();
  });

  mount(router, getCurrentUser, async (_input, req, res) => {
    res.json({ user: signedIn(req).user });
  });

  mount(router, changePassword, async ({ body }, req, res) => {
    res.json(
      await identity.changePassword(signedIn(req), body.currentPassword, body.newPassword, originOf(req)),
    );
  });

  mount(router, listOwnSessions, async (_input, req, res) => {
    const who = signedIn(req);
    const sessions = await identity.sessionsOf(who.user.id);
    res.json({ sessions: sessions.map((s) => ({ ...s, current: s.id === who.sessionId })) });
  });

  /** Sign out everywhere: every session of the caller, this one included. */
  mount(router, endOwnSessions, async (_input, req, res) => {
    const ended = await identity.endAllSessions(signedIn(req).user.id);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.json({ ended });
  });

  mount(router, endOwnSession, async ({ params }, req, res) => {
    await identity.endSession(signedIn(req).user.id, params.sessionId);
    res.status(204).end();
  });

  mount(router, listOwnTokens, async (_input, req, res) => {
    res.json({ tokens: await identity.tokensOf(signedIn(req).user.id) });
  });

  mount(router, createToken, async ({ body }, req, res) => {
    const user = signedIn(req).user;
    res.status(201).json(await identity.createToken(user.id, body.name, body.expiresInDays));
  });

  mount(router, revokeToken, async ({ params }, req, res) => {
    await identity.revokeToken(actorOf(req), params.tokenId);
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
