import { readFileSync } from 'node:fs';
import path from 'node:path';
import { browserSuite, screenshot, signedInPage } from '../support/browser';
import { waitUntilStored } from '../support/harness';

const PHOTO = path.join(__dirname, '..', 'fixtures', 'photos', 'coffee.jpg');

/**
 * Saved searches as smart collections in real Chromium against the real server and workflows: a
 * search is saved (shared with a team) while it finds nothing; an asset uploaded afterwards that
 * matches appears in the collection; a teammate opens it and sees the same; its owner deletes it.
 */
describe('saved searches (Chromium)', () => {
  const suite = browserSuite([
    ['sia', 'editor', 'team:design'],
    ['tom', 'editor', 'team:design'],
  ]);

  it('saves a search, and an asset uploaded later appears in the smart collection', async () => {
    const page = await signedInPage(suite.browser, suite.url, 'sia');
    await page.getByRole('searchbox').fill('新品');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByTestId('interpreted').waitFor();

    await page.getByRole('button', { name: 'Save this search' }).click();
    const form = page.getByRole('form', { name: 'Save this search' });
    expect(await form.getByLabel('Name').inputValue()).toBe('新品');
    await form.getByLabel('Name').fill('新品合集');
    await form.getByLabel('Share with team').selectOption('design');
    await form.getByRole('button', { name: 'Save', exact: true }).click();

    const open = page.getByTestId('open-collection');
    await open.getByRole('heading', { name: '新品合集' }).waitFor();
    expect(await page.getByTestId('saved-interpretation').textContent()).toContain('新品');
    const collections = page.getByRole('navigation', { name: 'Smart collections' });
    await collections.getByRole('button', { name: '新品合集' }).waitFor();
    await page.getByText('Nothing found.').waitFor();

    // A new asset whose name has the word: the saved search finds it without being saved again.
    await page.getByLabel('Upload', { exact: true }).setInputFiles({
      name: '春季新品海报.jpg',
      mimeType: 'image/jpeg',
      buffer: readFileSync(PHOTO),
    });
    await page.getByRole('button', { name: 'Upload (1)', exact: true }).click();
    const link = page.locator('a.uploaded');
    await link.waitFor();
    const assetId = (await link.getAttribute('href'))!.split('/').pop()!;
    await waitUntilStored(suite.harness, assetId);
    await collections.getByRole('button', { name: '新品合集' }).click();
    const results = page.getByTestId('result');
    await results.first().waitFor();
    expect(await results.count()).toBe(1);
    expect(await results.first().getAttribute('href')).toBe(`#/assets/${assetId}`);
    await screenshot(page, 'smart-collection');

    // A teammate sees it among their smart collections, live, but may not change it.
    const teammate = await signedInPage(suite.browser, suite.url, 'tom');
    const theirs = teammate.getByRole('navigation', { name: 'Smart collections' });
    await theirs.getByRole('button', { name: '新品合集' }).click();
    await teammate.getByTestId('result').first().waitFor();
    expect(await teammate.getByTestId('result').first().getAttribute('href')).toBe(`#/assets/${assetId}`);
    expect(await teammate.getByTestId('saved-interpretation').textContent()).toContain('shared by sia');
    expect(await teammate.getByRole('button', { name: 'Delete' }).count()).toBe(0);
    await teammate.context().close();

    // Its owner deletes it: gone from the list.
    await open.getByRole('button', { name: 'Delete' }).click();
    await collections.getByText('No saved searches yet.').waitFor();
    const left = await suite.harness.http
      .get('/api/saved-searches')
      .set(await suite.harness.as('sia', 'editor', 'team:design'));
    expect(left.body.savedSearches).toEqual([]);
  }, 90_000);
});
