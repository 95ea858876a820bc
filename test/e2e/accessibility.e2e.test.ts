import type { Page } from 'playwright-core';
import { seriousAccessibilityProblems } from '../support/accessibility';
import { browserSuite, screenshot, signedInPage } from '../support/browser';
import { waitUntilStored } from '../support/harness';
import { makeJpeg } from '../support/images';

/**
 * Every page of the web app, the share landing page and the API reference, checked by axe-core
 * in Chromium for serious and critical problems (missing names and labels, contrast, ARIA
 * misuse…); every daily page also at a phone's 375 px, where nothing may stick out sideways.
 */
/** Pages of the 375 px check kept as screenshots in docs/screenshots/. */
const PHONE_SCREENSHOTS: Record<string, string> = {
  library: 'phone-library',
  'asset page': 'phone-asset-page',
  'the menu, unfolded': 'phone-menu',
};

describe('accessibility (axe-core in Chromium)', () => {
  const suite = browserSuite([['ada', 'admin']]);
  let assetId: string;
  let shareUrl: string;
  let collectionId: string;

  beforeAll(async () => {
    const ada = await suite.harness.as('ada', 'admin');
    const res = await suite.harness.http
      .post('/api/assets')
      .set(ada)
      .attach('file', await makeJpeg(800, 600, [30, 120, 200]), '春节海报.jpg')
      .expect(201);
    assetId = res.body.id;
    await waitUntilStored(suite.harness, assetId);
    const share = await suite.harness.http
      .post('/api/shares')
      .set(ada)
      .send({ assetIds: [assetId], permission: 'download', rendition: 'original' })
      .expect(201);
    shareUrl = share.body.url.replace(/^http:\/\/[^/]+/, suite.url);
    const collection = await suite.harness.http
      .post('/api/collections')
      .set(ada)
      .send({ name: 'Festival picks', assetIds: [assetId] })
      .expect(201);
    collectionId = collection.body.id;
  });

  const problemsOn = async (page: Page, name: string) => ({
    page: name,
    problems: await seriousAccessibilityProblems(page),
  });
  const clean = (name: string) => ({ page: name, problems: [] });

  it('the sign-in page, the share landing page and the API reference', async () => {
    const context = await suite.browser.newContext();
    const page = await context.newPage();
    await page.goto(suite.url);
    await page.getByRole('button', { name: /^Sign in$/ }).waitFor();
    expect(await problemsOn(page, 'sign-in')).toEqual(clean('sign-in'));
    await page.goto(shareUrl);
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await problemsOn(page, 'share landing page')).toEqual(clean('share landing page'));
    await page.goto(`${suite.url}/api/docs`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await problemsOn(page, 'API reference')).toEqual(clean('API reference'));
    await context.close();
  });

  it('every page of the web app, signed in', async () => {
    const page = await signedInPage(suite.browser, suite.url, 'ada');
    const pages: Array<[string, string, (p: Page) => Promise<unknown>]> = [
      ['library', '#/library', (p) => p.getByText('春节海报.jpg').first().waitFor()],
      [
        'asset page',
        `#/assets/${assetId}`,
        (p) => p.getByRole('heading', { name: '春节海报.jpg' }).waitFor(),
      ],
      ['approvals inbox', '#/inbox', (p) => p.getByText('Nothing waits for you.').waitFor()],
      ['rule editor', '#/rules', (p) => p.locator('.react-flow').first().waitFor()],
      ['trash', '#/trash', (p) => p.getByText('The trash is empty.').waitFor()],
      ['account', '#/account', (p) => p.getByRole('heading', { name: 'Account' }).waitFor()],
      ['users', '#/users', (p) => p.getByText('ada@example.test').last().waitFor()],
      ['projects', '#/projects', (p) => p.getByRole('heading', { name: /Default project/ }).waitFor()],
      ['analytics', '#/analytics', (p) => p.getByTestId('total-views').waitFor()],
      ['trace a leak', '#/trace', (p) => p.getByRole('heading', { name: 'Trace a leak' }).waitFor()],
      ['collections', '#/collections', (p) => p.getByRole('heading', { name: 'Collections' }).waitFor()],
      [
        'a collection',
        `#/collections/${collectionId}`,
        (p) => p.getByRole('heading', { name: 'Festival picks' }).waitFor(),
      ],
    ];
    const found = [];
    for (const [name, hash, loaded] of pages) {
      await page.goto(`${suite.url}/${hash}`);
      await loaded(page);
      found.push(await problemsOn(page, name));
    }
    expect(found).toEqual(pages.map(([name]) => clean(name)));
  });

  it('the library, an asset page, the inbox and the other daily pages at 375 px wide: usable, nothing sticks out sideways', async () => {
    const page = await signedInPage(suite.browser, suite.url, 'ada', { width: 375, height: 812 });
    const found = [];
    for (const [name, hash, loaded] of [
      ['library', '#/library', (p: Page) => p.getByText('春节海报.jpg').first().waitFor()],
      [
        'asset page',
        `#/assets/${assetId}`,
        (p: Page) => p.getByRole('heading', { name: '春节海报.jpg' }).waitFor(),
      ],
      ['approvals inbox', '#/inbox', (p: Page) => p.getByText('Nothing waits for you.').waitFor()],
      [
        'collections',
        '#/collections',
        (p: Page) => p.getByRole('heading', { name: 'Collections' }).waitFor(),
      ],
      [
        'a collection',
        `#/collections/${collectionId}`,
        (p: Page) => p.getByRole('heading', { name: 'Festival picks' }).waitFor(),
      ],
      ['rule editor', '#/rules', (p: Page) => p.locator('.react-flow').first().waitFor()],
      [
        'the menu, unfolded',
        '#/library',
        async (p: Page) => {
          await p.getByRole('button', { name: 'Menu' }).click();
          await p.getByRole('navigation', { name: 'main' }).getByRole('link', { name: 'Users' }).waitFor();
        },
      ],
      ['trash', '#/trash', (p: Page) => p.getByText('The trash is empty.').waitFor()],
      ['projects', '#/projects', (p: Page) => p.getByRole('heading', { name: /Default project/ }).waitFor()],
      ['analytics', '#/analytics', (p: Page) => p.getByTestId('total-views').waitFor()],
      ['trace a leak', '#/trace', (p: Page) => p.getByRole('heading', { name: 'Trace a leak' }).waitFor()],
      ['account', '#/account', (p: Page) => p.getByRole('heading', { name: 'Account' }).waitFor()],
      ['users', '#/users', (p: Page) => p.getByText('ada@example.test').last().waitFor()],
    ] as const) {
      await page.goto(`${suite.url}/${hash}`);
      await loaded(page);
      const shot = PHONE_SCREENSHOTS[name];
      if (shot) await screenshot(page, shot);
      const overflowPx = await page.evaluate<number>(
        'document.documentElement.scrollWidth - window.innerWidth',
      );
      // When something sticks out, name the elements reaching past the right edge (for the failure).
      const sticking =
        overflowPx > 0
          ? {
              sticking: await page.evaluate<string[]>(`[...document.querySelectorAll('body *')]
              .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
              .slice(0, 8)
              .map((e) => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ').join('.') : ''))`),
            }
          : {};
      found.push({ ...(await problemsOn(page, name)), overflowPx, ...sticking });
    }
    expect(found).toEqual(
      [
        'library',
        'asset page',
        'approvals inbox',
        'collections',
        'a collection',
        'rule editor',
        'the menu, unfolded',
        'trash',
        'projects',
        'analytics',
        'trace a leak',
        'account',
        'users',
      ].map((name) => ({ ...clean(name), overflowPx: 0 })),
    );
  });
});
