import type { RequestHandler } from 'express';
import { AssetflowError, ErrorCodes } from '../domain/errors';
import { isUuid } from '../domain/ids';
import { matchEndpoint } from '../policy/endpoints';
import { decide, namesResource } from '../policy/policy';
import { type AccessService, enforce } from '../services/access.service';
import { signedInUser } from './actor';

/** Paths the policy table covers; anything else (the web app's static files) carries no data. */
// Case-insensitive: Express routers match paths regardless of case, so the policy must too.
export const GUARDED = /^\/(api|s)(\/|$)/i;

/**
 * Authorisation for every endpoint, before any route runs: finds the request's entry in the
 * policy table, looks up the caller's access to the resource the path names and applies
 * `decide`. A guarded path with no entry is answered 404 as an unknown route, so nothing is
 * reachable unless the table says who may reach it.
 */
export function enforcePolicy(access: AccessService): RequestHandler {
  return async (req, _res, next) => {
    try {
      if (!GUARDED.test(req.path)) return next();
      const endpoint = matchEndpoint(req.method, req.path);
      if (!endpoint) {
        throw new AssetflowError(ErrorCodes.ROUTE_NOT_FOUND, `No route for ${req.method} ${req.path}.`, 404);
      }
      // Assets and links are named by UUIDs: anything else names nothing, for everyone (an
      // administrator too, whom the policy lets through without looking the resource up).
      const kind = endpoint.requirement.kind;
      const user = signedInUser(req);
      if (user && (kind === 'asset' || kind === 'share') && !isUuid(endpoint.params.id))
        throw new AssetflowError(
          kind === 'asset' ? ErrorCodes.ASSET_NOT_FOUND : ErrorCodes.SHARE_NOT_FOUND,
          `No ${kind === 'asset' ? 'asset' : 'share link'} ${endpoint.params.id}.`,
          404,
          { id: endpoint.params.id },
        );
      const resource =
        user && namesResource(endpoint.requirement)
          ? await access.accessTo(user, endpoint.requirement, endpoint.params)
          : {};
      const { params } = endpoint;
      enforce(decide(user, endpoint.requirement, resource), {
        id: params.id ?? params.approvalId ?? params.project ?? params.savedSearchId ?? params.collectionId,
      });
      next();
    } catch (error) {
      next(error);
    }
  };
}
