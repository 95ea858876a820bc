import { randomUUID } from 'node:crypto';
import { browserSuite, signedInPage } from '../support/browser';
import { addIndexedAsset } from '../support/indexed-asset';

/** How many results the library is scrolled through (each made directly in the catalogue). */
const RESULTS = 2_000;

/**
 * Issue 23 item 8: a library of thousands of results scrolls without drawing them all. The grid
 * keeps only the rows near the view in the page (the count is bounded however many are loaded), and
 * fetches the next page as the view nears the end, until the last result is reached.
 */
describe('scrolling a large library (Chromium)', () => {
  const suite = browserSuite([['lars', 'admin']], { worker: false });

  it(`draws a bounded number of tiles while scrolling through ${RESULTS} results to the last`, async () => {
    const base = Date.parse('2026-01-01T00:00:00Z');
    for (let i = 0; i < RESULTS; i++)
      await addIndexedAsset(suite.harness.storage, {
        id: randomUUID(),
        name: `scroll-${String(i).padStart(5, '0')}.jpg`,
        capturedAt: '2026-01-01T00:00:00Z',
        colour: 'grey',
        tags: [],
        dimensions: {},
        project: 'default',
        // Newest first: scroll-01999 at the top, scroll-00000 the very last.
        createdAt: new Date(base + i * 60_000).toISOString(),
      });

    const page = await signedInPage(suite.browser, suite.url, 'lars');
    await page
      .getByTestId('total')
      .filter({ hasText: String(RESULTS) })
      .waitFor();
    const tiles = page.getByRole('listitem').filter({ has: page.getByTestId('result') });
    await tiles.first().waitFor();
    expect(await tiles.first().textContent()).toContain('scroll-01999.jpg');

    const last = page.getByText('scroll-00000.jpg', { exact: true });
    let most = 0;
    for (let step = 0; step < 400 && (await last.count()) === 0; step++) {
      await page.mouse.wheel(0, 2_000);
      await page.waitForTimeout(40);
      most = Math.max(most, await tiles.count());
    }
    await last.waitFor();
    // Every page was fetched, yet only rows around the view were ever in the page.
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThan(120);
    expect(await tiles.last().getAttribute('aria-posinset')).toBe(String(RESULTS));
    expect(await tiles.last().getAttribute('aria-setsize')).toBe(String(RESULTS));
  }, 300_000);
});
