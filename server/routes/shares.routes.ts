import express, { type Request, type Response, Router } from 'express';
import type { AuditRepository } from '../../catalogue/audit.repository';
import type { ShareRecord } from '../../catalogue/share.repository';
import { isAdmin } from '../../policy/access';
import type { DistributionService } from '../../services/distribution.service';
import type { ShareRequest, ShareService, Visitor } from '../../services/share.service';
import { actorOf, addressOf, servedOverHttps, signedInUser } from '../actor';
import { validBody } from '../request-schemas';
import { fileHeaders, paging, sendFile } from '../responses';
import { renderSharePage, SHARE_PAGE_CSS } from '../share-page';

const UNLOCK_COOKIE = 'assetflow_link';

/** Share links: the API to make, list and revoke them, and their public landing pages. */
export function sharesRouter(deps: {
  shares: ShareService;
  audit: AuditRepository;
  distribution: DistributionService;
  publicUrl: string | undefined;
}): Router {
  const router = Router();

  router.post('/api/shares', async (req, res) => {
    const body = validBody<ShareRequest>('share', req.body);
    const baseUrl = deps.publicUrl?.replace(/\/$/, '') ?? `${req.protocol}://${req.get('host')}`;
    res.status(201).json(await deps.shares.create(actorOf(req), body, addressOf(req), baseUrl));
  });

  router.get('/api/shares', async (req, res) => {
    const actor = actorOf(req);
    const all = isAdmin(actor) && req.query.all === 'true';
    res.json({ shares: (await deps.shares.list(actor, all)).map(toShareResponse) });
  });

  router.delete('/api/shares/:id', async (req, res) => {
    await deps.shares.revoke(actorOf(req), req.params.id, addressOf(req));
    res.status(204).end();
  });

  router.get('/api/shares/:id/trail', async (req, res) => {
    res.json({ events: await deps.audit.list({ shareId: req.params.id, ...paging(req) }) });
  });

  // ---- the public side: no sign-in needed, the token is the credential ----

  router.get('/s/share.css', (_req, res) => {
    res.type('text/css').set('Cache-Control', 'public, max-age=86400').send(SHARE_PAGE_CSS);
  });

  router.get('/s/:token', async (req, res) => {
    const view = await deps.shares.open(req.params.token, visitorOf(req));
    sendPage(res, renderSharePage(view, req.params.token));
  });

  router.post('/s/:token', express.urlencoded({ extended: false, limit: '4kb' }), async (req, res) => {
    const { token } = req.params;
    const password = typeof req.body?.password === 'string' ? req.body.password : '';
    const proof = await deps.shares.unlock(token, password, addressOf(req));
    if (!proof) {
      const view = await deps.shares.open(token, visitorOf(req));
      sendPage(
        res,
        renderSharePage(view.kind === 'password' ? { kind: 'password', wrong: true } : view, token),
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
  });

  /**
   * Downloads are POSTs (the landing page's buttons): mail scanners and link previewers fetch
   * every URL they see with GET or HEAD, and must neither use up a link's downloads nor appear as
   * a download in the trail. A GET here shows the landing page.
   */
  router.get('/s/:token/download', (req, res) => {
    res.redirect(303, `/s/${encodeURIComponent(req.params.token)}`);
  });

  router.post('/s/:token/download', async (req, res) => {
    const assetId = typeof req.query.asset === 'string' ? req.query.asset : undefined;
    const result = await deps.shares.download(req.params.token, visitorOf(req), assetId);
    if ('kind' in result) {
      sendPage(res, renderSharePage(result, req.params.token));
      return;
    }
    if (result.zipName) {
      res.attachment(result.zipName);
      fileHeaders(res, 'application/zip');
      deps.distribution.zip(result.files).pipe(res);
      return;
    }
    sendFile(res, result.files[0]!, 'attachment');
  });

  router.get('/s/:token/preview/:assetId', async (req, res) => {
    const file = await deps.shares.preview(req.params.token, visitorOf(req), req.params.assetId);
    if (!file) {
      res.status(404).end();
      return;
    }
    sendFile(res, file, 'inline');
  });

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
  res.set('Cache-Control', 'no-store').set('Referrer-Policy', 'no-referrer');
  res.status(page.status).type('html').send(page.html);
}

/** A link as its maker sees it: never the token (it is not stored) nor the password hash. */
function toShareResponse(share: ShareRecord) {
  const { passwordHash, ...rest } = share;
  return { ...rest, password: passwordHash !== null };
}
