import { pipeline } from 'node:stream/promises';
import express, { type ErrorRequestHandler, type Request, type Response, Router } from 'express';
import type { AuditRepository } from '../../catalogue/audit.repository';
import type { ShareRecord } from '../../catalogue/share.repository';
import { isAdmin } from '../../policy/access';
import type { DistributionService } from '../../services/distribution.service';
import type { ShareService, Visitor } from '../../services/share.service';
import { actorOf, addressOf, servedOverHttps, signedInUser } from '../actor';
import { mount } from '../contract/route';
import { toAssetflowError } from '../errors';
import { fileHeaders, readyFile, sendFile } from '../responses';
import {
  PAGE_LANGUAGES,
  type PageLanguage,
  renderShareErrorPage,
  renderSharePage,
  SHARE_PAGE_CSS,
} from '../share-page';
import { pagingOf } from './distribution.routes';
import {
  createShare,
  downloadShare,
  getShareStyle,
  getShareTrail,
  listShares,
  openShare,
  previewShare,
  revokeShare,
  shareDownloadPage,
  unlockShare,
} from './shares.contract';

const UNLOCK_COOKIE = 'assetflow_link';

/** Share links: the API to make, list and revoke them, and their public landing pages. */
export function sharesRouter(deps: {
  shares: ShareService;
  audit: AuditRepository;
  distribution: DistributionService;
  publicUrl: string | undefined;
}): Router {
  const router = Router();

  mount(router, createShare, async ({ body }, req, res) => {
    const baseUrl = deps.publicUrl?.replace(/\/$/, '') ?? `${req.protocol}://${req.get('host')}`;
    res.status(201).json(await deps.shares.create(actorOf(req), body, addressOf(req), baseUrl));
  });

  mount(router, listShares, async ({ query }, req, res) => {
    const actor = actorOf(req);
    const all = isAdmin(actor) && query.all === true;
    res.json({ shares: (await deps.shares.list(actor, all)).map(toShareResponse) });
  });

  mount(router, revokeShare, async ({ params }, req, res) => {
    await deps.shares.revoke(actorOf(req), params.id, addressOf(req));
    res.status(204).end();
  });

  mount(router, getShareTrail, async ({ params, query }, _req, res) => {
    res.json({ events: await deps.audit.list({ shareId: params.id, ...pagingOf(query) }) });
  });

  // ---- the public side: no sign-in needed, the token is the credential ----

  mount(router, getShareStyle, (_input, _req, res) => {
    res.type('text/css').set('Cache-Control', 'public, max-age=86400').send(SHARE_PAGE_CSS);
  });

  mount(router, openShare, async ({ params }, req, res) => {
    const view = await deps.shares.open(params.token, visitorOf(req));
    sendPage(res, renderSharePage(view, params.token, languageOf(req)));
  });

  mount(
    router,
    unlockShare,
    async ({ params, body }, req, res) => {
      const { token } = params;
      const password = body.password ?? '';
      const proof = await deps.shares.unlock(token, password, addressOf(req));
      if (!proof) {
        const view = await deps.shares.open(token, visitorOf(req));
        sendPage(
          res,
          renderSharePage(
            view.kind === 'password' ? { kind: 'password', wrong: true } : view,
            token,
            languageOf(req),
          ),
        );
        return;
      }
      res.cookie(UNLOCK_COOKIE, proof, {
        httpOnly: true,
        sameSite: 'strict',
        secure: servedOverHttps(req, deps.publicUrl),
        path: `/s/${encodeURIComponent(token)}`,
      });
      res.redirect(303, `/s/${encodeURIComponent(token)}`);
    },
    [express.urlencoded({ extended: false, limit: '4kb' })],
  );

  /**
   * Downloads are POSTs (the landing page's buttons): mail scanners and link previewers fetch
   * every URL they see with GET or HEAD, and must neither use up a link's downloads nor appear as
   * a download in the trail. A GET here shows the landing page.
   */
  mount(router, shareDownloadPage, ({ params }, _req, res) => {
    res.redirect(303, `/s/${encodeURIComponent(params.token)}`);
  });

  mount(router, downloadShare, async ({ params, query }, req, res) => {
    const result = await deps.shares.download(params.token, visitorOf(req), query.asset);
    if ('kind' in result) {
      sendPage(res, renderSharePage(result, params.token, languageOf(req)));
      return;
    }
    if (result.zipName) {
      res.attachment(result.zipName);
      fileHeaders(res, 'application/zip');
      await pipeline(deps.distribution.zip(result.files), res);
      return;
    }
    // Streamed, never handed to the store: a URL of the store could be used again by anyone until
    // it expires, past the link's download count, password and revocation.
    await sendFile(res, await readyFile(result.files[0]!, 'attachment', { handOff: false }), 'attachment');
  });

  mount(router, previewShare, async ({ params }, req, res) => {
    const file = await deps.shares.preview(params.token, visitorOf(req), params.assetId);
    if (!file) {
      // The same page as any dead link: nothing tells the visitor why.
      sendPage(res, renderSharePage({ kind: 'dead' }, params.token, languageOf(req)));
      return;
    }
    await sendFile(res, await readyFile(file, 'inline', { handOff: false }), 'inline');
  });

  // A browser on a link's page (it asks for HTML) whose request is refused gets a page back, in
  // its language, not the API's JSON; other clients keep the JSON error. Server faults (500) go on
  // to the app's handler, which logs them.
  const refusedPage: ErrorRequestHandler = (error, req, res, next) => {
    res.vary('Accept');
    // A body parser's refusal (a form too large, malformed) counts as well as the API's own.
    const known = toAssetflowError(error);
    const refusal = known.status < 500 || known.status === 503;
    if (!refusal || req.accepts(['json', 'html']) !== 'html') return next(error);
    sendPage(res, renderShareErrorPage(known, languageOf(req)));
  };
  router.use('/s', refusedPage);

  return router;
}

function visitorOf(req: Request): Visitor {
  const proof = (req.cookies as Record<string, unknown> | undefined)?.[UNLOCK_COOKIE];
  const user = signedInUser(req);
  return {
    address: addressOf(req),
    ...(user ? { email: user.email } : {}),
    ...(typeof proof === 'string' ? { unlockProof: proof } : {}),
  };
}

function sendPage(res: Response, page: { status: number; html: string }): void {
  // Pages of a link are private to whoever holds it: never cached by proxies or referred onward.
  res.set('Cache-Control', 'no-store').set('Referrer-Policy', 'no-referrer').vary('Accept-Language');
  res.status(page.status).type('html').send(page.html);
}

/** A link as its maker sees it: never the token (it is not stored) nor the password hash. */
function toShareResponse(share: ShareRecord) {
  const { passwordHash, ...rest } = share;
  return { ...rest, password: passwordHash !== null };
}

/** The visitor's language among the pages' (Accept-Language, `zh-CN` counting as `zh`); English otherwise. */
function languageOf(req: Request): PageLanguage {
  return (req.acceptsLanguages(...PAGE_LANGUAGES) || PAGE_LANGUAGES[0]) as PageLanguage;
}
