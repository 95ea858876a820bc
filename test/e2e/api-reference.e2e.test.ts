import { browserSuite } from '../support/browser';

/**
 * The API reference at /api/docs in real Chromium: rendered from the generated document under the
 * app's strict Content-Security-Policy (no script, its own stylesheet, nothing refused), with every
 * operation and schema linked from the contents.
 */
describe('the API reference page (Chromium)', () => {
  const suite = browserSuite([]);

  it('shows every operation of the document, styled, with nothing blocked', async () => {
    const page = await suite.browser.newPage();
    const refused: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') refused.push(message.text());
    });
    await page.goto(`${suite.url}/api/docs`);
    await page.getByRole('heading', { name: /Assetflow API/ }).waitFor();

    const document = (await (await page.request.get(`${suite.url}/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { operationId: string }>>;
      components: { schemas: Record<string, unknown> };
    };
    const ids = Object.values(document.paths).flatMap((methods) =>
      Object.values(methods).map((op) => op.operationId),
    );
    expect(await page.locator('article').count()).toBe(ids.length);
    for (const id of ['uploadAssets', 'getAsset', 'publishRuleSet'])
      expect(await page.locator(`nav a[href="#${id}"]`).count()).toBe(1);
    // A schema reference is a link to its component.
    await page.locator('article#getAsset a[href="#schema-Asset"]').first().click();
    expect(page.url()).toContain('#schema-Asset');
    expect(Object.keys(document.components.schemas)).toContain('Asset');

    // The stylesheet applied (the strict CSP allows only our own): nav is a sticky column.
    expect(
      await page
        .locator('nav')
        .evaluate(
          (nav) =>
            (
              globalThis as unknown as { getComputedStyle(e: unknown): { position: string } }
            ).getComputedStyle(nav).position,
        ),
    ).toBe('sticky');
    expect(refused).toEqual([]);
    await page.close();
  });
});
