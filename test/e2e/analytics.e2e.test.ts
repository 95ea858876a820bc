import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { seriousAccessibilityProblems } from '../support/accessibility';
import { browserSuite, screenshot, signedInPage } from '../support/browser';
import { uploadStoredJpeg } from '../support/stored-jpeg';

/**
 * Issue 23 item 5, the analytics page: an analyst sees the trail's figures as totals and as
 * ECharts charts (use over time, reuse over time, most used: the most used drawn on top) and the
 * assets unused for N days. The trail is written directly, days in the past, so the figures are
 * known by hand: kettle used through a link and by the internal audience (reused), toaster by the
 * agents only, lamp never.
 */
describe('the analytics page (Chromium)', () => {
  const suite = browserSuite([
    ['anya', 'analyst'],
    ['eddie', 'editor'],
  ]);

  it('draws use, reuse and the most used, and lists what went unused', async () => {
    const kettle = await uploadStoredJpeg(suite.harness, 'kettle.jpg', [200, 60, 60]);
    const toaster = await uploadStoredJpeg(suite.harness, 'toaster.jpg', [60, 200, 60]);
    const lamp = await uploadStoredJpeg(suite.harness, 'lamp.jpg', [60, 60, 200]);
    const { audit, database } = suite.harness.storage;
    // One "now" for the whole test: the days written and the days expected agree across midnight.
    const now = Date.now();
    const daysAgo = (n: number) => new Date(now - n * 86_400_000);
    const link = randomUUID();
    await audit.append(
      { actor: 'ann', action: 'share.created', assetId: kettle, shareId: link },
      daysAgo(20),
    );
    await audit.append(
      { actor: `link:${link}`, action: 'share.viewed', assetId: kettle, shareId: link },
      daysAgo(20),
    );
    await audit.append(
      { actor: `link:${link}`, action: 'download', assetId: kettle, shareId: link },
      daysAgo(19),
    );
    await audit.append(
      { actor: 'emma', action: 'download', assetId: kettle, details: { audience: 'internal' } },
      daysAgo(10),
    );
    for (const action of ['download', 'viewed'] as const)
      await audit.append(
        { actor: 'ali', action, assetId: toaster, details: { audience: 'agents' } },
        daysAgo(200),
      );
    await sql`UPDATE assets SET created_at = ${daysAgo(400)} WHERE id IN (${lamp}, ${toaster}, ${kettle})`.execute(
      database.db,
    );

    // Not on an editor's menu, and the API refuses them.
    const editor = await signedInPage(suite.browser, suite.url, 'eddie');
    expect(await editor.getByRole('link', { name: 'Analytics' }).count()).toBe(0);
    await editor.context().close();
    const eddie = await suite.harness.as('eddie', 'editor');
    await suite.harness.http.get('/api/analytics/summary').set(eddie).expect(403);

    const page = await signedInPage(suite.browser, suite.url, 'anya');
    await page.getByRole('link', { name: 'Analytics' }).click();
    await page.getByRole('heading', { name: 'Analytics' }).waitFor();
    await page.getByTestId('total-views').filter({ hasText: '2' }).waitFor();
    expect(await page.getByTestId('total-downloads').textContent()).toBe('3');
    expect(await page.getByTestId('total-shares').textContent()).toBe('1');
    expect(await page.getByTestId('reuse-rate').textContent()).toBe('50%');

    // Drawn by ECharts as SVG: the most used on top.
    const mostUsed = page.getByTestId('chart-most-used');
    const label = (name: string) => mostUsed.locator('svg text', { hasText: new RegExp(`^${name}$`) });
    await label('kettle.jpg').waitFor();
    const kettleY = (await label('kettle.jpg').boundingBox())!.y;
    const toasterY = (await label('toaster.jpg').boundingBox())!.y;
    expect(kettleY).toBeLessThan(toasterY);
    expect(await mostUsed.locator('svg text', { hasText: 'lamp.jpg' }).count()).toBe(0);
    expect(await page.getByTestId('chart-reuse').locator('div.chart').getAttribute('aria-label')).toBe(
      'Reuse over time: Assets used 2, Used in more than one context 1',
    );

    // Per day: one bar group per day with a use, oldest first.
    await page.getByLabel('Per').selectOption('day');
    const days = [200, 20, 19, 10].map((n) => daysAgo(n).toISOString().slice(0, 10));
    const drawnDays = async () =>
      ((await page.getByTestId('chart-use').locator('div.chart').getAttribute('aria-label')) ?? '')
        .replace(/^[^:]*: /, '')
        .split('; ')
        .map((period) => period.slice(0, 10));
    for (let tries = 0; tries < 100 && (await drawnDays()).length !== 4; tries++)
      await page.waitForTimeout(100);
    expect(await drawnDays()).toEqual(days);

    // Unused for 90 days: the toaster (200 days) and the lamp (never), not the kettle (10 days).
    const unused = page.getByTestId('unused-table').getByRole('link');
    await unused.first().waitFor();
    expect((await unused.allTextContents()).sort()).toEqual(['lamp.jpg', 'toaster.jpg']);
    await page.getByLabel('Not used for (days)').fill('300');
    await page.getByTestId('unused-table').getByRole('link').nth(1).waitFor({ state: 'detached' });
    expect(await unused.allTextContents()).toEqual(['lamp.jpg']);
    await page.getByLabel('Not used for (days)').fill('90');
    await unused.nth(1).waitFor();

    await page.getByRole('heading', { name: 'Analytics' }).scrollIntoViewIfNeeded();
    await screenshot(page, 'analytics');
    expect(await seriousAccessibilityProblems(page)).toEqual([]);
  }, 120_000);
});
