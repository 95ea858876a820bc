import { readFileSync, writeFileSync } from 'node:fs';
import {
  ADMIN,
  assetflow,
  captureOutput,
  exitOfChild,
  type Installation,
  newInstallation,
  waitUntilHealthy,
} from '../support/assetflow-process';
import { makeJpeg } from '../support/images';

/**
 * `assetflow start` as a person runs it, logging every request (level debug), while a session,
 * an API token, a share link with a password and an unlock cookie are used against it. Then its
 * whole output is searched for each of those secrets.
 */
describe('the logs never contain a secret', () => {
  let install: Installation;
  beforeAll(async () => {
    install = await newInstallation();
    writeFileSync(
      install.configFile,
      readFileSync(install.configFile, 'utf8').replace('level: warn', 'level: debug'),
    );
  });

  it('has no cookie, authorization, set-cookie, share token or password in any log line', async () => {
    const app = assetflow(install, ['start']);
    const output = captureOutput(app);
    const secrets: Record<string, string> = { adminPassword: ADMIN.password };
    try {
      await waitUntilHealthy(install, 120_000, app);
      const base = install.baseUrl;
      const login = await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(ADMIN),
      });
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
      secrets.session = cookie.split('=')[1]!;
      const made = await fetch(`${base}/api/tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify({ name: 'log test' }),
      });
      secrets.apiToken = ((await made.json()) as { token: string }).token;
      const bearer = { authorization: `Bearer ${secrets.apiToken}` };

      const form = new FormData();
      form.append('file', new Blob([await makeJpeg(64, 48)], { type: 'image/jpeg' }), 'secret-test.jpg');
      const upload = await fetch(`${base}/api/assets`, { method: 'POST', headers: bearer, body: form });
      expect(upload.status).toBe(201);
      const assetId = ((await upload.json()) as { id: string }).id;
      for (let i = 0; i < 100; i++) {
        const asset = (await (await fetch(`${base}/api/assets/${assetId}`, { headers: bearer })).json()) as {
          state: string;
        };
        if (asset.state === 'stored') break;
        await new Promise((resolve) => setTimeout(resolve, 300));
      }

      secrets.linkPassword = 'link-password-4711';
      const share = await fetch(`${base}/api/shares`, {
        method: 'POST',
        headers: { ...bearer, 'content-type': 'application/json' },
        body: JSON.stringify({
          assetIds: [assetId],
          permission: 'download',
          rendition: 'original',
          password: secrets.linkPassword,
        }),
      });
      expect(share.status).toBe(201);
      const { url } = (await share.json()) as { url: string };
      secrets.shareToken = url.split('/s/')[1]!;
      expect((await fetch(`${base}/s/${secrets.shareToken}`)).status).toBe(401); // the password form
      const unlock = await fetch(`${base}/s/${secrets.shareToken}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `password=${secrets.linkPassword}`,
        redirect: 'manual',
      });
      expect(unlock.status).toBe(303);
      secrets.unlockCookie = unlock.headers.get('set-cookie')!.split(';')[0]!.split('=')[1]!;
      const download = await fetch(`${base}/s/${secrets.shareToken}/download?token=${secrets.shareToken}`, {
        method: 'POST',
        headers: { cookie: `assetflow_link=${secrets.unlockCookie}` },
      });
      expect(download.status).toBe(200);
      // A wrong password and an unknown token are logged too (as failures), still without secrets.
      await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: ADMIN.email, password: 'wrong-password-0815' }),
      });
      secrets.wrongPassword = 'wrong-password-0815';
      await fetch(`${base}/api/auth/me`, { headers: { cookie } });
    } finally {
      app.kill('SIGINT');
      await exitOfChild(app);
    }
    const log = output.text();
    // The run did log its requests (so an empty log cannot pass) …
    expect(log).toContain('"url":"/api/auth/login"');
    expect(log).toContain('"url":"/s/[token]"');
    // … and none of the secrets it used.
    const found = Object.entries(secrets).filter(([, secret]) => log.includes(secret));
    expect(found.map(([name]) => name)).toEqual([]);
    expect(log).not.toMatch(/"(cookie|authorization|set-cookie)"/i);
  }, 240_000);
});
