import { type Request, type RequestHandler, Router } from 'express';
import type { UserRecord } from '../../catalogue/identity.repository';
import { AssetflowError, ErrorCodes } from '../../domain/errors';
import type { IdentityService } from '../../services/identity.service';
import { setSignedInUser, signedInUser } from '../actor';
import { validBody } from '../request-schemas';

export const SESSION_COOKIE = 'assetflow_session';

/** Sign-in with a session cookie for the web app, and API tokens for scripts. */
export function authRouter(identity: IdentityService): Router {
  const router = Router();

  router.post('/api/auth/login', async (req, res) => {
    const { email, password } = validBody<{ email: string; password: string }>('login', req.body);
    const { session, user, expiresAt } = await identity.login(email, password, req.ip ?? 'unknown');
    res.cookie(SESSION_COOKIE, session, {
      httpOnly: true,
      sameSite: 'lax',
      secure: req.secure,
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
    res.json({ user: signedIn(req) });
  });

  router.post('/api/tokens', async (req, res) => {
    const user = signedIn(req);
    const { name } = validBody<{ name: string }>('token', req.body);
    res.status(201).json(await identity.createToken(user.id, name));
  });

  return router;
}

function sessionOf(req: Request): string | undefined {
  const value = (req.cookies as Record<string, unknown> | undefined)?.[SESSION_COOKIE];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Resolves the session cookie or bearer token of every request once, before the routes, and
 * keeps the user on the request for `actorOf`. A bearer token that is not valid is refused (the
 * caller meant to authenticate); an expired or unknown cookie counts as not signed in.
 */
export function authenticateRequests(identity: IdentityService): RequestHandler {
  return async (req, _res, next) => {
    try {
      const bearer = bearerOf(req);
      const session = sessionOf(req);
      if (bearer || session) {
        const user = await identity.authenticate({
          ...(bearer ? { bearer } : {}),
          ...(session ? { session } : {}),
        });
        if (!user && bearer)
          throw new AssetflowError(ErrorCodes.NOT_SIGNED_IN, 'The API token is not valid.', 401);
        if (user) setSignedInUser(req, user);
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
function signedIn(req: Request): UserRecord {
  const user = signedInUser(req);
  if (!user)
    throw new AssetflowError(ErrorCodes.NOT_SIGNED_IN, 'Sign in first (session cookie or API token).', 401);
  return user;
}
