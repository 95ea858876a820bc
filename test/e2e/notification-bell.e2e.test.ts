import { seriousAccessibilityProblems } from '../support/accessibility';
import { browserSuite, screenshot, signedInPage } from '../support/browser';
import { uploadStoredJpeg } from '../support/stored-jpeg';

/**
 * Issue 23 item 5, the notification bell: a mention made elsewhere (another person, over the API)
 * raises the bell's count while the page stays open — no reload, the server's event stream — and
 * the panel lists it; opening it goes to the asset and marks it read, on the server too.
 */
describe('the notification bell (Chromium)', () => {
  const suite = browserSuite([
    ['bella', 'editor'],
    ['carl', 'editor'],
  ]);

  it('counts a new mention live, lists it, and opening it reads it', async () => {
    const assetId = await uploadStoredJpeg(suite.harness, 'bell-poster.jpg', [30, 90, 160]);
    const page = await signedInPage(suite.browser, suite.url, 'bella');
    const bell = page.getByRole('button', { name: /^Notifications, \d+ unread$/ });
    await page.getByRole('button', { name: 'Notifications, 0 unread' }).waitFor();
    // The stream is connected before the mention is made: the count can only come through it.
    await page.locator('.bell[data-live="true"]').waitFor();

    const carl = await suite.harness.as('carl', 'editor');
    await suite.harness.http
      .post(`/api/assets/${assetId}/comments`)
      .set(carl)
      .send({ body: 'Is this the final crop, @bella@example.test?' })
      .expect(201);

    await page.getByRole('button', { name: 'Notifications, 1 unread' }).waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('unread-count').textContent()).toBe('1');
    await bell.click();
    const panel = page.getByRole('dialog', { name: 'Notifications' });
    const item = panel.getByTestId('notification');
    expect(await item.count()).toBe(1);
    expect(await item.getByRole('link').textContent()).toContain('carl@example.test');
    await screenshot(page, 'notification-bell');
    expect(await seriousAccessibilityProblems(page)).toEqual([]);
    // Escape closes the panel (focus moved into it on opening); the bell opens it again.
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'hidden' });
    await bell.click();

    await item.getByRole('link').click();
    await page.getByRole('heading', { name: 'bell-poster.jpg' }).waitFor();
    expect(page.url()).toContain(`#/assets/${assetId}`);
    await page.getByRole('button', { name: 'Notifications, 0 unread' }).waitFor();
    const bellas = await suite.harness.as('bella', 'editor');
    const listed = await suite.harness.http.get('/api/notifications').set(bellas).expect(200);
    expect(listed.body.unread).toBe(0);
    expect(listed.body.notifications[0].readAt).not.toBeNull();
  }, 120_000);
});
