import { execFile } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import sharp from 'sharp';
import request from 'supertest';
import { IdentityService } from '../../services/identity.service';
import { damageRenditions } from '../support/blob-stores';
import { type Harness, startHarness, waitUntilStored } from '../support/harness';
import { asBuffer } from '../support/http-binary';
import { makeJpeg } from '../support/images';
import { LUXURY_METADATA, LUXURY_NAME, uploadLuxury } from '../support/luxury';
import { databaseKinds } from '../support/test-databases';
import { readZip } from '../support/zip';

const run = promisify(execFile);

/**
 * Stage 3 through the real server, workflows and catalogue: share links (password, download
 * limit, expiry, revocation, recipients), audience renditions, channel exports, the hash-chained
 * trail, and the attacks the issue lists (IDOR, XSS in names, path traversal, token scanning).
 */
describe.each(databaseKinds)('distribution (%s)', (kind) => {
  let harness: Harness;
  let colour = 0;
  let dee: { Authorization: string };

  beforeAll(async () => {
    harness = await startHarness(kind);
    dee = await harness.as('dee', 'editor');
  });
  afterAll(async () => {
    await harness?.close();
  });

  /** Uploads a distinct JPEG (as `who`) and waits until it is stored. */
  const upload = async (
    who: { Authorization: string },
    filename: string,
    fields: Record<string, string> = {},
    size: [number, number] = [2400, 1600],
  ): Promise<string> => {
    colour += 1;
    let req = harness.http.post('/api/assets').set(who);
    for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
    const res = await req.attach(
      'file',
      await makeJpeg(size[0], size[1], [20 + colour * 7, 90, 140]),
      filename,
    );
    expect(res.status).toBe(201);
    const id = res.body.id as string;
    await waitUntilStored(harness, id);
    return id;
  };
  const share = (who: { Authorization: string }, body: Record<string, unknown>) =>
    harness.http.post('/api/shares').set(who).send(body);
  const tokenOf = (url: string) => url.split('/s/')[1]!;
  const anonymous = () => request(harness.app);
  /** A visitor's password for the link: 303 with an unlock cookie when right. */
  const unlock = (token: string, password: string) =>
    anonymous().post(`/s/${token}`).type('form').send({ password });
  const unlockCookie = (res: request.Response) =>
    (res.headers['set-cookie'] as unknown as string[] | undefined)?.[0]?.split(';')[0] ?? '';

  it('a password-protected download link: hashed token, password gate, download limit, trail, revocation', async () => {
    const id = await upload(dee, 'spring-poster.jpg');
    const made = await share(dee, {
      assetIds: [id],
      permission: 'download',
      rendition: 'preview',
      password: 'open sesame 42',
      maxDownloads: 2,
    }).expect(201);
    const token = tokenOf(made.body.url);
    expect(made.body.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/s\/[\w-]{43}$/);
    // 256 random bits; the catalogue keeps only the digest (and an argon2id hash of the password).
    const { rows } = await sql<{ token_sha256: string; password_hash: string }>`
      SELECT token_sha256, password_hash FROM shares WHERE id = ${made.body.id}`.execute(
      harness.storage.database.db,
    );
    expect(rows[0]!.token_sha256).toBe(createHash('sha256').update(token).digest('hex'));
    expect(rows[0]!.password_hash).toMatch(/^\$argon2id\$/);

    const gate = await anonymous().get(`/s/${token}`).expect(401);
    // A tampered unlock cookie (multi-byte characters of the right length) is just "locked".
    await anonymous()
      .get(`/s/${token}`)
      .set('Cookie', `assetflow_link=%C3%A9${'a'.repeat(63)}`)
      .expect(401);
    // A HEAD or GET (a mail scanner, a link preview) does not download: it is sent to the page.
    await anonymous().head(`/s/${token}/download`).expect(303);
    await anonymous().get(`/s/${token}/download`).expect(303).expect('Location', `/s/${token}`);
    expect(gate.text).toContain('type="password"');
    expect(gate.headers['cache-control']).toBe('no-store');
    await anonymous().post(`/s/${token}/download`).expect(401);
    const wrong = await unlock(token, 'guess').expect(401);
    expect(wrong.text).toContain('That password is not right');

    const unlocked = await unlock(token, 'open sesame 42').expect(303);
    const cookie = unlockCookie(unlocked);
    expect(unlocked.headers['set-cookie']![0]).toMatch(
      new RegExp(`Path=/s/${token}; HttpOnly; SameSite=Strict`),
    );
    const page = await anonymous().get(`/s/${token}`).set('Cookie', cookie).expect(200);
    expect(page.text).toContain('spring-poster.jpg');
    expect(page.text).toContain('2 downloads left');

    const file = await asBuffer(anonymous().post(`/s/${token}/download`).set('Cookie', cookie)).expect(200);
    expect(file.headers['content-type']).toBe('image/jpeg');
    expect(file.headers['x-assetflow-version']).toBe('1');
    expect(file.headers['content-disposition']).toMatch(
      /^attachment; filename="?spring-poster-preview\.jpg"?$/,
    );
    expect(await sharp(file.body as Buffer).metadata()).toMatchObject({ width: 1440, height: 960 });
    await anonymous().post(`/s/${token}/download`).set('Cookie', cookie).expect(200);
    const over = await anonymous().post(`/s/${token}/download`).set('Cookie', cookie).expect(429);
    expect(over.body.error.code).toBe('TOO_MANY_ATTEMPTS');

    const trail = await harness.http.get(`/api/shares/${made.body.id}/trail`).set(dee).expect(200);
    expect(trail.body.events.map((e: { action: string }) => e.action)).toEqual([
      'share.created',
      'share.viewed',
      'download',
      'download',
      'share.refused',
    ]);
    expect(trail.body.events[2]).toMatchObject({
      actor: `link:${made.body.id}`,
      assetId: id,
      version: 1,
      rendition: 'preview',
      address: expect.stringMatching(/127\.0\.0\.1/),
    });

    await harness.http.delete(`/api/shares/${made.body.id}`).set(dee).expect(204);
    const revoked = await anonymous().get(`/s/${token}`).set('Cookie', cookie).expect(404);
    const unknown = await anonymous()
      .get(`/s/${'x'.repeat(43)}`)
      .expect(404);
    expect(revoked.text).toBe(unknown.text);
    const list = await harness.http.get('/api/shares').set(dee).expect(200);
    const listed = list.body.shares.find((s: { id: string }) => s.id === made.body.id);
    expect(listed).toMatchObject({ revokedAt: expect.any(String), downloads: 2, password: true });
    expect(listed).not.toHaveProperty('passwordHash');
  });

  it("a link's pages, refusals included, speak the visitor's language (zh or en, from Accept-Language)", async () => {
    const id = await upload(dee, '春节海报.jpg');
    const made = await share(dee, {
      assetIds: [id],
      permission: 'download',
      rendition: 'preview',
      password: 'open sesame 42',
      maxDownloads: 3,
    }).expect(201);
    const token = tokenOf(made.body.url);
    const zh = 'zh-CN,zh;q=0.9,en;q=0.8';
    const title = (html: string) => /<h1>(.*)<\/h1>/.exec(html)?.[1];
    const lang = (html: string) => /<html lang="([^"]+)">/.exec(html)?.[1];

    const gate = await anonymous().get(`/s/${token}`).set('Accept-Language', zh).expect(401);
    expect([lang(gate.text), title(gate.text)]).toEqual(['zh-CN', '需要密码']);
    expect(gate.text).toContain('<label for="password">密码</label>');
    expect(gate.headers.vary).toMatch(/Accept-Language/i);
    const wrong = await anonymous()
      .post(`/s/${token}`)
      .set('Accept-Language', zh)
      .type('form')
      .send({ password: 'guess' })
      .expect(401);
    expect(wrong.text).toContain('密码不正确。');
    const cookie = unlockCookie(await unlock(token, 'open sesame 42').expect(303));
    const page = await anonymous()
      .get(`/s/${token}`)
      .set('Cookie', cookie)
      .set('Accept-Language', zh)
      .expect(200);
    expect(title(page.text)).toBe('与你分享了 1 个文件');
    expect(page.text).toContain('春节海报.jpg');
    expect(page.text).toContain('还可下载 3 次');
    expect(page.text).toMatch(/有效期至 \d{4}年\d{1,2}月\d{1,2}日/);
    expect(page.text).toContain('>下载 preview</button>');
    expect(page.text).not.toMatch(/Download|Shared with you|left/);

    // Other spellings of Chinese count; a language without pages, or none, gets English; the
    // visitor's preferences decide between the two.
    for (const [header, expected] of [
      ['zh-TW', '与你分享了 1 个文件'],
      ['zh', '与你分享了 1 个文件'],
      ['en-US,en;q=0.9,zh;q=0.5', 'Shared with you: 1 file'],
      ['fr-FR,fr;q=0.9', 'Shared with you: 1 file'],
      ['de,zh;q=0.2', '与你分享了 1 个文件'],
    ] as const) {
      const res = await anonymous().get(`/s/${token}`).set('Cookie', cookie).set('Accept-Language', header);
      expect({ header, title: title(res.text) }).toEqual({ header, title: expected });
    }
    const plain = await anonymous().get(`/s/${token}`).set('Cookie', cookie).expect(200);
    expect([lang(plain.text), title(plain.text)]).toEqual(['en', 'Shared with you: 1 file']);

    // A refusal is a page for a browser (it asks for HTML), in its language; JSON for API clients.
    const browser = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
    for (let i = 0; i < 3; i++)
      await anonymous().post(`/s/${token}/download`).set('Cookie', cookie).expect(200);
    const spent = await anonymous()
      .post(`/s/${token}/download`)
      .set('Cookie', cookie)
      .set('Accept', browser)
      .set('Accept-Language', zh)
      .expect(429);
    expect(spent.headers['content-type']).toMatch(/^text\/html/);
    expect([lang(spent.text), title(spent.text)]).toEqual(['zh-CN', '下载次数已用完']);
    expect(spent.text).toContain('TOO_MANY_ATTEMPTS');
    const spentEn = await anonymous()
      .post(`/s/${token}/download`)
      .set('Cookie', cookie)
      .set('Accept', browser);
    expect([spentEn.status, title(spentEn.text)]).toEqual([429, 'No downloads left']);
    const spentJson = await anonymous().post(`/s/${token}/download`).set('Cookie', cookie).expect(429);
    expect(spentJson.body.error).toMatchObject({
      code: 'TOO_MANY_ATTEMPTS',
      details: { reason: 'no-downloads-left' },
    });
    const garbled = await anonymous()
      .post(`/s/${token}`)
      .set('Accept', browser)
      .set('Accept-Language', zh)
      .type('form')
      .send({ password: 'x'.repeat(2000) })
      .expect(400);
    expect([title(garbled.text), garbled.text.includes('VALIDATION_FAILED')]).toEqual([
      '无法理解此请求',
      true,
    ]);
    // A form over the body parser's 4 kB is a page too, not the API's JSON.
    const oversized = await anonymous()
      .post(`/s/${token}`)
      .set('Accept', browser)
      .type('form')
      .send({ password: 'x'.repeat(6000) })
      .expect(413);
    expect([oversized.headers['content-type'], title(oversized.text)]).toEqual([
      expect.stringMatching(/^text\/html/),
      'Request not understood',
    ]);

    await harness.http.delete(`/api/shares/${made.body.id}`).set(dee).expect(204);
    const dead = await anonymous().get(`/s/${token}`).set('Accept-Language', zh).expect(404);
    const unknown = await anonymous()
      .get(`/s/${'z'.repeat(43)}`)
      .set('Accept-Language', zh)
      .expect(404);
    expect(title(dead.text)).toBe('链接不可用');
    expect(dead.text).toBe(unknown.text);
  });

  it('records a link of several assets in one transaction per action, the same one as the action', async () => {
    const ids = [];
    for (const name of ['batch-a.jpg', 'batch-b.jpg', 'batch-c.jpg'])
      ids.push(await upload(dee, name, {}, [600, 400]));
    const made = await share(dee, { assetIds: ids, permission: 'download', rendition: 'preview' }).expect(
      201,
    );
    const shareId = made.body.id as string;
    const token = tokenOf(made.body.url);
    /** The transaction (xmin) that wrote the link's row, and those that wrote each action's events. */
    const transactions = async () => {
      const link = await sql<{ xmin: string }>`SELECT xmin::text FROM shares WHERE id = ${shareId}`.execute(
        harness.storage.database.db,
      );
      const events = await sql<{ action: string; xmins: string[]; n: number }>`
        SELECT action, array_agg(DISTINCT xmin::text) AS xmins, count(*)::int AS n
        FROM audit_events WHERE share_id = ${shareId} GROUP BY action`.execute(harness.storage.database.db);
      return { link: link.rows[0]!.xmin, events: Object.fromEntries(events.rows.map((r) => [r.action, r])) };
    };
    // Made: the link's row and its three events in one transaction.
    let seen = await transactions();
    expect(seen.events['share.created']).toEqual({ action: 'share.created', xmins: [seen.link], n: 3 });
    // Opened: three view events, one append.
    await anonymous().get(`/s/${token}`).expect(200);
    seen = await transactions();
    expect(seen.events['share.viewed']).toMatchObject({ xmins: [expect.any(String)], n: 3 });
    // Downloaded as a zip: the counted download and its three events, one transaction.
    await anonymous().post(`/s/${token}/download`).expect(200);
    seen = await transactions();
    expect(seen.events.download).toEqual({ action: 'download', xmins: [seen.link], n: 3 });
    // Revoked: the same.
    await harness.http.delete(`/api/shares/${shareId}`).set(dee).expect(204);
    seen = await transactions();
    expect(seen.events['share.revoked']).toEqual({ action: 'share.revoked', xmins: [seen.link], n: 3 });
  });

  it('expired, revoked, taken-down and unknown links look the same to the visitor', async () => {
    const id = await upload(dee, 'expiring.jpg');
    const short = await share(dee, {
      assetIds: [id],
      permission: 'view',
      rendition: 'preview',
      expiresInDays: 0.00003,
    });
    const live = await share(dee, { assetIds: [id], permission: 'view', rendition: 'preview' }).expect(201);
    expect(short.status).toBe(201);
    await anonymous()
      .get(`/s/${tokenOf(live.body.url)}`)
      .expect(200);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const expired = await anonymous()
      .get(`/s/${tokenOf(short.body.url)}`)
      .expect(404);
    await harness.http.post(`/api/assets/${id}/archive`).set(dee).send({}).expect(200);
    const takenDown = await anonymous()
      .get(`/s/${tokenOf(live.body.url)}`)
      .expect(404);
    const unknown = await anonymous()
      .get(`/s/${'y'.repeat(43)}`)
      .expect(404);
    expect(new Set([expired.text, takenDown.text, unknown.text]).size).toBe(1);
  });

  it("applies the rule set's link policy and audiences (luxury: password, 14 days, no originals outside)", async () => {
    const id = await upload(dee, LUXURY_NAME, {
      ruleSet: 'luxury',
      metadata: LUXURY_METADATA,
    });
    const base = { assetIds: [id], permission: 'download', rendition: 'medium' };
    const noPassword = await share(dee, base).expect(400);
    expect(noPassword.body.error).toMatchObject({ code: 'SHARE_INVALID', details: { password: 'required' } });
    const tooLong = await share(dee, { ...base, password: 'partners only', expiresInDays: 30 }).expect(400);
    expect(tooLong.body.error.details).toEqual({ maxExpiryDays: 14 });
    const original = await share(dee, { ...base, rendition: 'original', password: 'partners only' }).expect(
      403,
    );
    expect(original.body.error.code).toBe('RENDITION_REFUSED');
    // What only colleagues may have does not leave by link: `internal` is not a link audience.
    const inside = await share(dee, {
      ...base,
      rendition: 'proof',
      audience: 'internal',
      password: 'partners only',
    }).expect(403);
    expect(inside.body.error).toMatchObject({
      code: 'AUDIENCE_REFUSED',
      details: { audience: 'internal', linkAudiences: ['agents', 'partners'] },
    });
    const ok = await share(dee, { ...base, password: 'partners only' }).expect(201);
    // The default expiry of the rule set: 3 days.
    expect(Date.parse(ok.body.expiresAt) - Date.now()).toBeGreaterThan(3 * 86_400_000 - 60_000);
    expect(Date.parse(ok.body.expiresAt) - Date.now()).toBeLessThanOrEqual(3 * 86_400_000);

    // Signed-in people download through their audience: internal originals need an approval.
    const employee = await harness.as('emma', 'employee');
    const pending = await harness.http
      .get(`/api/assets/${id}/renditions/original`)
      .query({ audience: 'internal' })
      .set(employee)
      .expect(409);
    expect(pending.body.error).toMatchObject({
      code: 'APPROVAL_REQUIRED',
      details: { approvalId: expect.any(String) },
    });
    const agent = await harness.as('ali', 'agent');
    const refused = await harness.http
      .get(`/api/assets/${id}/renditions/medium`)
      .query({ audience: 'agents' })
      .set(agent)
      .expect(403);
    expect(refused.body.error.code).toBe('RENDITION_REFUSED');
    const proof = await asBuffer(
      harness.http.get(`/api/assets/${id}/renditions/proof`).query({ audience: 'agents' }).set(agent),
    ).expect(200);
    expect(await sharp(proof.body as Buffer).metadata()).toMatchObject({ format: 'jpeg', width: 800 });
    const trail = await harness.http.get(`/api/assets/${id}/trail`).expect(200);
    expect(trail.body.events.at(-1)).toMatchObject({
      actor: 'ali@example.test',
      action: 'download',
      rendition: 'proof',
      details: { audience: 'agents', via: 'allowed' },
    });
  });

  it('a link for named recipients opens only for them, signed in', async () => {
    const id = await upload(dee, 'for-partners.jpg');
    const made = await share(dee, {
      assetIds: [id],
      permission: 'view',
      rendition: 'preview',
      allowedEmails: ['@partner.example'],
    }).expect(201);
    const token = tokenOf(made.body.url);
    const page = await anonymous().get(`/s/${token}`).expect(401);
    expect(page.text).toContain('Sign in');
    await harness.http.get(`/s/${token}`).set(dee).expect(404);
    await new IdentityService(harness.storage.identity).createUser({
      email: 'pat@partner.example',
      name: 'Pat',
      password: 'partner password 1',
    });
    const browser = request.agent(harness.app);
    await browser
      .post('/api/auth/login')
      .send({ email: 'pat@partner.example', password: 'partner password 1' })
      .expect(200);
    const opened = await browser.get(`/s/${token}`).expect(200);
    expect(opened.text).toContain('for-partners.jpg');
    expect(opened.text).not.toContain('/download');
  });

  it('exports a selection for a channel as a zip: Amazon 2000×2000 on white, unlisted products left out', async () => {
    const metadata = (sku: string, listed: boolean) =>
      JSON.stringify({ sku, brand: 'ACME', purpose: 'main', listed });
    const listed = await upload(
      dee,
      'kettle.jpg',
      { ruleSet: 'ecommerce', metadata: metadata('AC-1001', true) },
      [1200, 800],
    );
    const unlisted = await upload(
      dee,
      'toaster.jpg',
      { ruleSet: 'ecommerce', metadata: metadata('AC-1002', false) },
      [1200, 800],
    );
    const res = await asBuffer(
      harness.http
        .post('/api/exports')
        .set(dee)
        .send({ assetIds: [listed, unlisted], channel: 'amazon' }),
    ).expect(200);
    expect(res.headers['content-type']).toBe('application/zip');
    const entries = await readZip(res.body as Buffer);
    const manifest = JSON.parse(entries.get('manifest.json')!.toString());
    expect(manifest.assets).toEqual([
      { assetId: listed, name: expect.any(String), files: [expect.stringMatching(/-amazon-main\.jpg$/)] },
      { assetId: unlisted, name: expect.any(String), skipped: expect.stringContaining('listed') },
    ]);
    const image = entries.get(manifest.assets[0].files[0])!;
    const { data, info } = await sharp(image).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([2000, 2000]);
    // Letterboxed on white: the top-left pixel is the background, not the photo.
    expect([...data.subarray(0, 3)].every((v) => v >= 250)).toBe(true);
    const unknown = await harness.http
      .post('/api/exports')
      .set(dee)
      .send({ assetIds: [listed], channel: 'myspace' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('CHANNEL_UNKNOWN');
  });

  it('keeps names verbatim and renders them escaped; security headers everywhere; no path traversal', async () => {
    const xss = '<img src=x onerror=alert(1)>.jpg';
    const id = await upload(dee, xss);
    expect((await harness.http.get(`/api/assets/${id}`).expect(200)).body.name).toBe(xss);
    const made = await share(dee, { assetIds: [id], permission: 'download', rendition: 'original' }).expect(
      201,
    );
    const page = await anonymous()
      .get(`/s/${tokenOf(made.body.url)}`)
      .expect(200);
    expect(page.text).not.toContain('<img src=x');
    expect(page.text).toContain('&lt;img src=x onerror=alert(1)&gt;.jpg');
    for (const res of [page, await harness.http.get(`/api/assets/${id}`)]) {
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['x-powered-by']).toBeUndefined();
    }

    // The multipart layer keeps only the base name of a path-like file name.
    const traversal = await upload(dee, '../../../etc/passwd.jpg');
    expect((await harness.http.get(`/api/assets/${traversal}`)).body.name).toBe('passwd.jpg');
    const link = await share(dee, {
      assetIds: [traversal],
      permission: 'download',
      rendition: 'original',
    }).expect(201);
    const file = await asBuffer(anonymous().post(`/s/${tokenOf(link.body.url)}/download`)).expect(200);
    expect(file.headers['content-disposition']).toMatch(/^attachment; filename="?passwd\.jpg"?$/);
    // Blobs are named by digest: nothing was written outside the blob root.
    const blobRoot = harness.config.blobs.dir;
    const { sha256 } = (await harness.http.get(`/api/assets/${traversal}`)).body.latestVersion;
    expect((await harness.storage.blobs.localFile(sha256)).startsWith(blobRoot)).toBe(true);
  });

  it('hides private projects completely from outsiders (IDOR), and forbids what a level does not allow', async () => {
    const owner = await harness.as('olga', 'editor');
    const outsider = await harness.as('otto', 'editor');
    const watcher = await harness.as('vic', 'viewer');
    await harness.http
      .post('/api/projects')
      .set(owner)
      .send({
        id: 'secret-launch',
        name: 'Secret launch',
        grants: [{ principal: `user:${await harness.userId('vic')}`, level: 'view' }],
      })
      .expect(201);
    // A layout of its own: the outsider's upload of these bytes can only match this asset.
    const bytes = await makeJpeg(900, 600, [11, 22, 33], 12);
    const created = await harness.http
      .post('/api/assets')
      .set(owner)
      .field('project', 'secret-launch')
      .attach('file', bytes, 'prototype.jpg')
      .expect(201);
    const id = created.body.id as string;
    const ownerShare = await share(owner, {
      assetIds: [id],
      permission: 'view',
      rendition: 'preview',
    }).expect(201);

    const never = '0b6f5a0e-1111-4222-8333-444455556666';
    const body = async (assetId: string, suffix = '') =>
      (await harness.http.get(`/api/assets/${assetId}${suffix}`).set(outsider).expect(404)).body;
    // The same answer as for an id that never existed, apart from the id itself.
    expect(JSON.stringify(await body(id)).replaceAll(id, 'ID')).toBe(
      JSON.stringify(await body(never)).replaceAll(never, 'ID'),
    );
    for (const suffix of [
      '/thumbnail',
      '/timeline',
      '/lifecycle',
      '/trail',
      '/renditions/preview?audience=everyone',
    ]) {
      expect((await body(id, suffix)).error.code).toBe('ASSET_NOT_FOUND');
    }
    expect((await share(outsider, { assetIds: [id], permission: 'view', rendition: 'preview' })).status).toBe(
      404,
    );
    const exported = await harness.http
      .post('/api/exports')
      .set(outsider)
      .send({ assetIds: [id], channel: 'amazon' });
    expect(exported.status).toBe(404);
    expect((await harness.http.delete(`/api/shares/${ownerShare.body.id}`).set(outsider)).status).toBe(404);
    const found = await harness.http.get('/api/search').query({ q: 'prototype' }).set(outsider).expect(200);
    expect(found.body.items).toEqual([]);
    expect(JSON.stringify(found.body.facets)).not.toContain('secret-launch');
    const intoPrivate = await harness.http
      .post('/api/assets')
      .set(outsider)
      .field('project', 'secret-launch')
      .attach('file', await makeJpeg(64, 64), 'x.jpg');
    expect([intoPrivate.status, intoPrivate.body.error.code]).toEqual([404, 'PROJECT_NOT_FOUND']);
    // The same bytes uploaded elsewhere by the outsider: the private copy is not reported.
    const again = await harness.http
      .post('/api/assets')
      .set(outsider)
      .attach('file', bytes, 'mine.jpg')
      .expect(201);
    expect(again.body.duplicates).toEqual([]);

    // A viewer sees it, finds it, but may not change it or upload into the project.
    expect((await harness.http.get(`/api/assets/${id}`).set(watcher)).status).toBe(200);
    const seen = await harness.http.get('/api/search').query({ q: 'prototype' }).set(watcher).expect(200);
    expect(seen.body.items.map((i: { id: string }) => i.id)).toContain(id);
    const edit = await harness.http
      .patch(`/api/assets/${id}/metadata`)
      .set(watcher)
      .send({ set: { title: 'x' } });
    expect([edit.status, edit.body.error.code]).toEqual([403, 'FORBIDDEN']);
    const viewerUpload = await harness.http
      .post('/api/assets')
      .set(watcher)
      .field('project', 'secret-launch')
      .attach('file', await makeJpeg(64, 64), 'y.jpg');
    expect([viewerUpload.status, viewerUpload.body.error.code]).toEqual([403, 'FORBIDDEN']);
  });

  it('chains the trail by hash; verification names the first event that was changed', async () => {
    const audit = harness.storage.audit;
    const before = await audit.verify();
    expect(before).toMatchObject({ intact: true, events: expect.any(Number) });
    const events = (before as { events: number }).events;
    expect(events).toBeGreaterThan(10);
    const target = Math.ceil(events / 2);
    // The database refuses edits of the trail (migration 0014); its owner can switch that off,
    // as someone tampering with the database would.
    await sql`ALTER TABLE audit_events DISABLE TRIGGER USER`.execute(harness.storage.database.db);
    await sql`UPDATE audit_events SET address = '203.0.113.7' WHERE seq = ${target}`.execute(
      harness.storage.database.db,
    );
    expect(await audit.verify()).toEqual({
      intact: false,
      events: target - 1,
      firstBroken: { seq: target, reason: 'its content does not match its hash' },
    });
    await sql`DELETE FROM audit_events WHERE seq = ${target}`.execute(harness.storage.database.db);
    await sql`ALTER TABLE audit_events ENABLE TRIGGER USER`.execute(harness.storage.database.db);
    expect(await audit.verify()).toMatchObject({ intact: false, firstBroken: { seq: target } });

    // The command line says the same, from its own process on the same catalogue.
    const cli = await run(
      process.execPath,
      [path.join(__dirname, '..', '..', 'bin', 'assetflow.js'), 'audit', 'verify'],
      {
        env: { ...process.env, DATABASE_URL: harness.databaseUrl },
      },
    ).catch((error: { code: number; stdout: string }) => error);
    expect(cli).toMatchObject({
      code: 1,
      stdout: expect.stringContaining(`Trail BROKEN at event ${target}`),
    });
  });

  it('marks partner renditions per recipient, and traces a recompressed or cropped leak back to its download', async () => {
    const photo = await sharp(readFileSync(path.join(__dirname, '..', 'fixtures', 'photos', 'chelsea.jpg')))
      .resize(2000)
      .jpeg({ quality: 92 })
      .toBuffer();
    const id = await uploadLuxury(harness, photo, { as: dee });
    await waitUntilStored(harness, id);
    // Two recipients of the same rendition: a link, and a partner downloading through the API.
    const link = await share(dee, {
      assetIds: [id],
      permission: 'download',
      rendition: 'medium',
      password: 'for partners only',
    }).expect(201);
    const token = tokenOf(link.body.url);
    const cookie = unlockCookie(await unlock(token, 'for partners only').expect(303));
    const viaLink = (
      await asBuffer(anonymous().post(`/s/${token}/download`).set('Cookie', cookie)).expect(200)
    ).body as Buffer;
    const partner = await harness.as('pia', 'partner');
    const viaApi = (
      await asBuffer(
        harness.http.get(`/api/assets/${id}/renditions/medium`).query({ audience: 'partners' }).set(partner),
      ).expect(200)
    ).body as Buffer;
    expect(viaLink.equals(viaApi)).toBe(false);
    expect(await sharp(viaLink).metadata()).toMatchObject({ width: 1600, format: 'jpeg' });

    const investigator = await harness.as('ivy', 'investigator');
    const trace = async (image: Buffer) =>
      (
        await harness.http
          .post('/api/trace')
          .set(investigator)
          .set('Content-Type', 'image/jpeg')
          .send(image)
          .expect(200)
      ).body;
    // The leak was recompressed and scaled down on the way.
    const leaked = await sharp(viaLink).resize(1200).jpeg({ quality: 75 }).toBuffer();
    const fromLink = await trace(leaked);
    expect(fromLink).toMatchObject({
      found: true,
      events: [
        {
          action: 'download',
          actor: `link:${link.body.id}`,
          shareId: link.body.id,
          assetId: id,
          rendition: 'medium',
        },
      ],
    });
    const fromApi = await trace(await sharp(viaApi).webp({ quality: 80 }).toBuffer());
    expect(fromApi).toMatchObject({
      found: true,
      events: [{ actor: 'pia@example.test', rendition: 'medium' }],
    });
    expect(fromApi.payload).not.toBe(fromLink.payload);
    // A crop hides the watermark from the blind read; located in the cached rendition, it reads.
    const cropped = await sharp(viaApi)
      .extract({ left: 160, top: 0, width: 1440, height: 960 })
      .jpeg({ quality: 85 })
      .toBuffer();
    const fromCrop = await trace(cropped);
    expect(fromCrop).toMatchObject({
      found: true,
      method: 'registered',
      payload: fromApi.payload,
      events: [{ actor: 'pia@example.test' }],
      match: { assetId: id, version: 1, rendition: 'medium' },
    });
    expect(fromCrop.match.left).toBeCloseTo(160, 0);
    expect(fromCrop.match.scale).toBeCloseTo(1, 2);
    // With a second marked asset in the trail, a crop of it is matched to it, not to the first.
    const other = await uploadLuxury(
      harness,
      await sharp(readFileSync(path.join(__dirname, '..', 'fixtures', 'photos', 'coffee.jpg')))
        .resize(2000)
        .jpeg({ quality: 92 })
        .toBuffer(),
      { as: dee },
    );
    await waitUntilStored(harness, other);
    const otherCopy = (
      await asBuffer(
        harness.http
          .get(`/api/assets/${other}/renditions/medium`)
          .query({ audience: 'partners' })
          .set(partner),
      ).expect(200)
    ).body as Buffer;
    const otherCrop = await sharp(otherCopy)
      .extract({ left: 60, top: 40, width: 1480, height: 980 })
      .resize(1110)
      .jpeg({ quality: 80 })
      .toBuffer();
    expect(await trace(otherCrop)).toMatchObject({
      found: true,
      method: 'registered',
      events: [{ actor: 'pia@example.test', assetId: other }],
      match: { assetId: other },
    });
    // The command line names the same download, from its own process on the same catalogue.
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'leak-')), 'leaked.jpg');
    writeFileSync(file, cropped);
    const cli = await run(
      process.execPath,
      [path.join(__dirname, '..', '..', 'bin', 'assetflow.js'), 'trace', file],
      {
        // Configured like the server: its catalogue and its blob store (the cached renditions).
        env: { ...process.env, ASSETFLOW_CONFIG: harness.configFile, DATABASE_URL: harness.databaseUrl },
      },
    );
    expect(cli.stdout).toContain('pia@example.test');
    expect(cli.stdout).toContain(`located in asset ${id} v1 medium`);
    // An unmarked picture (the thumbnail) names nobody, though it is recognised as the asset's.
    const thumbnail = (await asBuffer(harness.http.get(`/api/assets/${id}/thumbnail`)).expect(200))
      .body as Buffer;
    expect(await trace(thumbnail)).toMatchObject({
      found: false,
      match: { assetId: id, rendition: 'medium' },
      message: expect.stringContaining('no watermark could be read'),
    });
    // A bad asset id is a 400; naming another asset leaves nothing to compare the crop with.
    const refused = await harness.http
      .post('/api/trace')
      .query({ asset: 'not-an-id' })
      .set(investigator)
      .set('Content-Type', 'image/jpeg')
      .send(cropped);
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('VALIDATION_FAILED');
    const elsewhere = await harness.http
      .post('/api/trace')
      .query({ asset: randomUUID() })
      .set(investigator)
      .set('Content-Type', 'image/jpeg')
      .send(cropped)
      .expect(200);
    expect(elsewhere.body).toMatchObject({ found: false, candidatesTried: 0 });
    // Not an image: 422. A damaged cached rendition is skipped and reported, not a 500.
    const garbage = await harness.http
      .post('/api/trace')
      .set(investigator)
      .set('Content-Type', 'image/jpeg')
      .send(Buffer.from('not a picture at all'));
    expect(garbage.status).toBe(422);
    expect(garbage.body.error.code).toBe('FILE_CORRUPT');
    const { sha256 } = (await harness.http.get(`/api/assets/${id}`)).body.latestVersion;
    expect(await damageRenditions(harness.storage.blobs, sha256, 'medium-', Buffer.from('damaged'))).toBe(1);
    const damaged = await harness.http
      .post('/api/trace')
      .query({ asset: id })
      .set(investigator)
      .set('Content-Type', 'image/jpeg')
      .send(cropped)
      .expect(200);
    expect(damaged.body).toMatchObject({
      found: false,
      candidatesTried: 1,
      skipped: [{ assetId: id, version: 1, rendition: 'medium', reason: 'could not be read' }],
    });
    // Only investigators may ask.
    expect(
      (await harness.http.post('/api/trace').set(dee).set('Content-Type', 'image/jpeg').send(leaked)).status,
    ).toBe(403);
  });

  it('allows five password guesses per link and address, then 429 even for the right one', async () => {
    const id = await upload(dee, 'guarded.jpg');
    const made = await share(dee, {
      assetIds: [id],
      permission: 'view',
      rendition: 'preview',
      password: 'the right one',
    }).expect(201);
    const token = tokenOf(made.body.url);
    for (let i = 0; i < 5; i++) await unlock(token, `guess ${i}`).expect(401);
    const limited = await unlock(token, 'the right one');
    expect([limited.status, limited.body.error.code]).toEqual([429, 'TOO_MANY_ATTEMPTS']);
    // A browser gets a page that says how long to wait: the limiter's own time, in minutes.
    const minutes = Math.ceil(limited.body.error.details.retryAfterSeconds / 60);
    const page = await unlock(token, 'the right one').set('Accept', 'text/html').expect(429);
    expect(page.text).toContain(`Try again in ${minutes} minute`);
    const zh = await unlock(token, 'x')
      .set('Accept', 'text/html')
      .set('Accept-Language', 'zh-CN')
      .expect(429);
    expect(zh.text).toContain(`请 ${minutes} 分钟后再试`);
  });

  it('applies the policy whatever the case of the path', async () => {
    expect(
      (
        await anonymous()
          .post('/API/users')
          .send({ email: 'x@y.z', name: 'x', password: 'long enough password', roles: ['admin'] })
      ).status,
    ).toBe(401);
    expect((await anonymous().get('/Api/users')).status).toBe(401);
    const viewer = await harness.as('case-viewer', 'viewer');
    expect((await harness.http.get('/API/users').set(viewer)).status).toBe(403);
    expect((await harness.http.get('/api/audit').query({ share: 'x' })).status).toBe(400);
  });

  it('limits token scanning per address (429), whatever the tokens', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++) {
      statuses.push(
        (await anonymous().get(`/s/${createHash('sha256').update(String(i)).digest('base64url')}`)).status,
      );
    }
    expect(statuses).toContain(429);
    expect(statuses.slice(0, statuses.indexOf(429)).every((s) => s === 404)).toBe(true);
  });
});
