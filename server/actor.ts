import type { Request } from 'express';
import { AssetflowError, ErrorCodes } from '../domain/errors';

/** Who is asking: a user id and the roles they hold. */
export interface Actor {
  user: string;
  roles: string[];
}

/**
 * The person behind a request. Until sign-in exists (issue #7) this reads the `X-Assetflow-User`
 * and `X-Assetflow-Roles` headers, which a client can set freely: it identifies, it does not
 * authenticate. Every route gets the actor from here, so sessions replace it in one place.
 */
export function actorOf(req: Request): Actor {
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
