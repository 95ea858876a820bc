import type { RequestHandler } from 'express';
import { AssetflowError, ErrorCodes } from '../domain/errors';
import { SESSION_COOKIE } from './routes/auth.routes';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The session cookie is `SameSite=Lax`, so a browser still sends it when another page — on
 * another site, or another host of the same site — navigates to the API or posts a form to it:
 * a `text/plain` rule set, a bodiless archive or unfreeze, a download that queues an approval in
 * the victim's name. Browsers say where a request comes from (`Sec-Fetch-Site`, and `Origin` on
 * non-GET requests); an API request made with the session cookie from anywhere but the app itself
 * (or typed into the address bar: `none`) is refused. API tokens are never sent by a browser on
 * its own, so requests carrying one are not concerned.
 */
export function refuseCrossSiteRequests(): RequestHandler {
  return (req, _res, next) => {
    // Lower-cased: Express routes /API/… to the same handlers.
    if (
      !req.path.toLowerCase().startsWith('/api/') ||
      req.header('authorization') ||
      !req.cookies?.[SESSION_COOKIE]
    )
      return next();
    const site = req.header('sec-fetch-site');
    const origin = req.header('origin');
    const foreignSite = site === 'cross-site' || site === 'same-site';
    // Origin is the fallback for browsers that do not send Sec-Fetch-Site. Hosts, not schemes, are
    // compared: behind a TLS-terminating proxy the app sees plain HTTP.
    const foreignOrigin =
      site !== 'same-origin' &&
      !SAFE_METHODS.has(req.method) &&
      origin !== undefined &&
      hostOf(origin) !== req.get('host');
    if (foreignSite || foreignOrigin)
      return next(
        new AssetflowError(
          ErrorCodes.CROSS_SITE_REQUEST,
          'This request came from another site with your session; open Assetflow itself and try again there.',
          403,
          { secFetchSite: site ?? null, origin: origin ?? null },
        ),
      );
    next();
  };
}

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}
