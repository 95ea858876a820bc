import { seriousAccessibilityProblems } from '../support/accessibility';
import { browserSuite, screenshot, signedInPage } from '../support/browser';
import { uploadStoredJpeg } from '../support/stored-jpeg';

/**
 * Issue 23 item 4 in the web app: gather a library selection into a new collection, reorder and
 * remove items (kept after a reload: the server holds the order), share it with a team, and share
 * it as a link whose landing page lists the items in the collection's order.
 */
describe('collections in the web app (Chromium)', () => {
  const suite = browserSuite([['cole', 'editor', 'team:studio']]);

  const upload = (name: string, rgb: [number, number, number]) => uploadStoredJpeg(suite.harness, name, rgb);

  it('gathers a selection, reorders and removes, shares with a team and as a link', async () => {
    for (const [name, rgb] of [
      ['lookbook-red.jpg', [200, 40, 40]],
      ['lookbook-green.jpg', [40, 200, 40]],
      ['lookbook-blue.jpg', [40, 40, 200]],
    ] as const)
      await upload(name, [...rgb]);

    const page = await signedInPage(suite.browser, suite.url, 'cole');
    await page.getByLabel('Search', { exact: true }).fill('lookbook');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    // Selected in this order: the collection keeps it.
    for (const name of ['lookbook-blue.jpg', 'lookbook-red.jpg', 'lookbook-green.jpg'])
      await page.getByLabel(`Select ${name}`).check();
    await page.getByLabel('Name of the new collection').fill('Spring lookbook');
    await page.getByRole('button', { name: 'Add to collection (3)' }).click();
    await page.getByRole('status').filter({ hasText: 'Added to the collection' }).getByRole('link').click();

    await page.getByRole('heading', { name: 'Spring lookbook' }).waitFor();
    const order = () => page.getByTestId('collection-item').locator('.name').allTextContents();
    expect(await order()).toEqual(['lookbook-blue.jpg', 'lookbook-red.jpg', 'lookbook-green.jpg']);
    await page.getByRole('button', { name: 'Move up lookbook-green.jpg' }).click();
    await page.getByTestId('collection-item').nth(1).filter({ hasText: 'lookbook-green.jpg' }).waitFor();
    await page.getByRole('button', { name: 'Remove from collection lookbook-blue.jpg' }).click();
    await page
      .getByRole('button', { name: 'Remove from collection lookbook-blue.jpg' })
      .waitFor({ state: 'detached' });
    await page.reload();
    await page.getByRole('heading', { name: 'Spring lookbook' }).waitFor();
    await page.getByTestId('collection-item').first().waitFor();
    expect(await order()).toEqual(['lookbook-green.jpg', 'lookbook-red.jpg']);

    // Shared with the team: the collections page says so.
    const patched = page.waitForResponse(
      (r) => r.url().includes('/api/collections/') && r.request().method() === 'PATCH' && r.ok(),
    );
    await page.getByLabel('Share with team').selectOption('studio');
    await patched;
    const id = page.url().split('/collections/')[1]!;
    expect((await suite.harness.http.get(`/api/collections/${id}`).expect(200)).body.team).toBe('studio');

    // As a link, under the usual link rules; the landing page lists the items in order.
    await page.getByRole('form', { name: 'Share links' }).getByRole('button', { name: 'Create' }).click();
    const url = await page.getByLabel('link', { exact: true }).inputValue();
    expect(url).toMatch(new RegExp(`^${suite.url}/s/[\\w-]{43}$`));
    await screenshot(page, 'collection');
    expect(await seriousAccessibilityProblems(page)).toEqual([]);

    const visitor = await (await suite.browser.newContext()).newPage();
    await visitor.goto(url);
    expect(await visitor.locator('figcaption').allTextContents()).toEqual([
      'lookbook-green.jpg',
      'lookbook-red.jpg',
    ]);

    await page.getByRole('link', { name: 'Collections' }).first().click();
    const listed = page.getByTestId('collection').filter({ hasText: 'Spring lookbook' });
    await listed.waitFor();
    expect(await listed.textContent()).toContain('2 assets');
    expect(await listed.textContent()).toContain('team studio');
    await screenshot(page, 'collections');
    expect(await seriousAccessibilityProblems(page)).toEqual([]);

    // Deleting asks first, in a dialog: cancelled, the collection stays; confirmed, it goes.
    await listed.getByRole('link').first().click();
    await page.getByRole('button', { name: 'Delete collection' }).click();
    const ask = page.getByRole('dialog', { name: 'Delete collection' });
    await ask.getByText('Its assets are kept.').waitFor();
    // Checked once it has faded in (axe measures a half-transparent dialog's contrast as too low).
    await ask.evaluate(
      (dialog) =>
        new Promise<void>((resolve) => {
          type Box = { parentElement: Box | null };
          const opacityOf = (globalThis as unknown as { getComputedStyle(e: Box): { opacity: string } })
            .getComputedStyle;
          const settled = () => {
            for (let e: Box | null = dialog as unknown as Box; e; e = e.parentElement)
              if (opacityOf(e).opacity !== '1') return setTimeout(settled, 50);
            resolve();
          };
          settled();
        }),
    );
    expect(await seriousAccessibilityProblems(page)).toEqual([]);
    await ask.getByRole('button', { name: 'Cancel' }).click();
    await ask.waitFor({ state: 'detached' });
    const mine = async () =>
      (await suite.harness.http.get('/api/collections').set(await suite.harness.as('cole'))).body.collections;
    expect((await mine()).map((c: { name: string }) => c.name)).toContain('Spring lookbook');
    await page.getByRole('button', { name: 'Delete collection' }).click();
    await page
      .getByRole('dialog', { name: 'Delete collection' })
      .getByRole('button', { name: 'Delete collection' })
      .click();
    // Back on the list, which no longer has it.
    await page.waitForURL(/#\/collections$/);
    await page
      .getByTestId('collection')
      .filter({ hasText: 'Spring lookbook' })
      .waitFor({ state: 'detached' });
    expect((await mine()).map((c: { name: string }) => c.name)).not.toContain('Spring lookbook');
  }, 120_000);
});
