import type { Request } from 'express';
import type { Authenticated, UserRecord } from '../catalogue/identity.repository';
import { AssetflowError, ErrorCodes } from '../domain/errors';
import type { Principal } from '../policy/access';

/**
 * Who is asking: the signed-in user as the policy sees them. Their e-mail is what workflows,
 * approvals and the trail record.
 */
export type Actor = Principal;

const SIGNED_IN = Symbol('assetflow.signedInUser');
type WithUser = Request & { [SIGNED_IN]?: Authenticated };

/** Called by the authentication middleware (server/routes/auth.routes.ts). */
export function setSignedInUser(req: Request, who: Authenticated): void {
  (req as WithUser)[SIGNED_IN] = who;
}

export function signedInUser(req: Request): UserRecord | undefined {
  return (req as WithUser)[SIGNED_IN]?.user;
}

/** The user and the credential (which session, which token) the request came with. */
export function authenticatedAs(req: Request): Authenticated | undefined {
  return (req as WithUser)[SIGNED_IN];
}

/**
 * The signed-in user behind a request (session cookie or API token). The policy middleware has
 * already refused anonymous callers on every endpoint that is not public, so the 401 here only
 * guards a public route that calls it by mistake.
 */
export function actorOf(req: Request): Actor {
  const user = signedInUser(req);
  if (!user)
    throw new AssetflowError(ErrorCodes.NOT_SIGNED_IN, 'Sign in first (session cookie or API token).', 401);
  return { id: user.id, email: user.email, roles: user.roles, teams: user.teams };
}

/** The client's address as Express resolved it (honours `trust proxy` when configured). */
export function addressOf(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

/**
 * Whether cookies must be `Secure`: the request came over HTTPS (as the proxy says, when `trust
 * proxy` lets it), or the server's public address is https (a proxy that terminates TLS and did
 * not say so still serves people over HTTPS).
 */
export function servedOverHttps(req: Request, publicUrl: string | undefined): boolean {
  return req.secure || (publicUrl?.toLowerCase().startsWith('https:') ?? false);
}
