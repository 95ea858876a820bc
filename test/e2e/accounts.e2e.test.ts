import request from 'supertest';
import { browserSuite, screenshot, signedInPage } from '../support/browser';

/**
 * Account lifecycle in real Chromium against the real server: a person manages their own tokens
 * and sees their sessions; an administrator disables them in the users page and their very next
 * request is refused; a password reset is shown once and works.
 */
describe('account and users pages (Chromium)', () => {
  const suite = browserSuite([
    ['boss', 'admin'],
    ['sam', 'editor'],
  ]);

  it('a person makes and revokes an API token and sees their sessions', async () => {
    const page = await signedInPage(suite.browser, suite.url, 'sam');
    await page.getByRole('link', { name: 'sam@example.test' }).click();
    await page.getByRole('heading', { name: 'Account' }).waitFor();
    await page.getByTestId('sessions').getByText('this session').waitFor();
    await screenshot(page, 'account');
    const tokens = page.getByRole('form', { name: 'API tokens' });
    await tokens.getByLabel('Name').fill('laptop');
    await tokens.getByRole('button', { name: 'Create' }).click();
    const token = await page.getByLabel('token', { exact: true }).inputValue();
    expect(token).toMatch(/^af_[\w-]{43}$/);
    const bearer = { Authorization: `Bearer ${token}` };
    await request(suite.harness.app).get('/api/auth/me').set(bearer).expect(200);
    await page.getByTestId('tokens').getByText('laptop').waitFor();
    const laptop = page.getByTestId('tokens').getByRole('listitem').filter({ hasText: 'laptop' });
    await laptop.getByRole('button', { name: 'Revoke' }).click();
    await laptop.getByText('revoked').waitFor();
    expect((await request(suite.harness.app).get('/api/auth/me').set(bearer)).status).toBe(401);
    await page.context().close();
  });

  it('an administrator disables a user in the users page: their next request is refused', async () => {
    const sam = await signedInPage(suite.browser, suite.url, 'sam');
    const status = () => sam.evaluate(() => fetch('/api/auth/me').then((r) => r.status));
    expect(await status()).toBe(200);

    const boss = await signedInPage(suite.browser, suite.url, 'boss');
    await boss.getByRole('link', { name: 'Users' }).click();
    const row = boss.locator('[data-testid="user-row"][data-email="sam@example.test"]');
    await row.getByRole('button', { name: 'Disable' }).click();
    await row.getByText('Disabled').waitFor();
    await screenshot(boss, 'users-admin');

    expect(await status()).toBe(401);
    await sam.reload();
    await sam.getByRole('form', { name: 'Sign in' }).waitFor();

    // Enabled again with a reset password, shown once, which signs them in.
    await row.getByRole('button', { name: 'Enable' }).click();
    await row.getByRole('button', { name: 'Disable' }).waitFor();
    await row.getByRole('button', { name: 'Reset password' }).click();
    const password = await boss.getByLabel('new password').inputValue();
    expect(password).toMatch(/^[\w-]{20}$/);
    await request(suite.harness.app)
      .post('/api/auth/login')
      .send({ email: 'sam@example.test', password })
      .expect(200);
  });
});
