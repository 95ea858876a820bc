import type { Request } from 'express';
import type { UserRecord } from '../catalogue/identity.repository';
import { AssetflowError, ErrorCodes } from '../domain/errors';

/** Who is asking: a user id and the roles they hold. */
export interface Actor {
  user: string;
  roles: string[];
}

const SIGNED_IN = Symbol('assetflow.signedInUser');
type WithUser = Request & { [SIGNED_IN]?: UserRecord };

/** Called by the authentication middleware (server/routes/auth.routes.ts). */
export function setSignedInUser(req: Request, user: UserRecord): void {
  (req as WithUser)[SIGNED_IN] = user;
}

export function signedInUser(req: Request): UserRecord | undefined {
  return (req as WithUser)[SIGNED_IN];
}

/**
 * The person behind a request: the signed-in user (session cookie or API token) when there is
 * one — their e-mail and roles, whatever headers say. Otherwise, until every endpoint requires
 * sign-in (the policy module, issue #7), the `X-Assetflow-User` and `X-Assetflow-Roles` headers,
 * which a client can set freely: they identify, they do not authenticate. Every route gets the
 * actor from here, so enforcement will change this one place.
 */
export function actorOf(req: Request): Actor {
  const signedIn = signedInUser(req);
  if (signedIn) return { user: signedIn.email, roles: signedIn.roles };
  const user = req.header('x-assetflow-user')?.trim();
  if (!user) {
    throw new AssetflowError(
      ErrorCodes.ACTOR_REQUIRED,
      'Say who you are: send the X-Assetflow-User header (and X-Assetflow-Roles).',
      401,
    );
  }
  const roles = (req.header('x-assetflow-roles') ?? '')
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  return { user, roles };
}
