import { browserSuite, screenshot, signedInPage } from '../support/browser';
import { waitUntilStored } from '../support/harness';
import { makeJpeg } from '../support/images';
import { LUXURY_METADATA, LUXURY_NAME } from '../support/luxury';

/**
 * Issue 23 item 2 in the web app: on an asset's page a person removes a tag ingest got wrong,
 * confirms one, adds their own, reclassifies it and moves it to another project; the timeline
 * says each change, and the API agrees.
 */
describe('correcting an asset in the web app (Chromium)', () => {
  const suite = browserSuite([['cleo', 'editor']]);

  it('tags, classification and project from the asset page', async () => {
    const { harness } = suite;
    const res = await harness.http
      .post('/api/assets')
      .field('ruleSet', 'luxury')
      .field('metadata', LUXURY_METADATA)
      .field('dimensions', JSON.stringify({ region: 'APAC', scenario: 'store' }))
      .attach('file', await makeJpeg(640, 480, [180, 60, 60]), LUXURY_NAME)
      .expect(201);
    const id = res.body.id as string;
    await waitUntilStored(harness, id);
    const cleo = await harness.userId('cleo');
    await harness.http
      .post('/api/projects')
      .send({ id: 'spring', name: 'Spring campaign', grants: [{ principal: `user:${cleo}`, level: 'edit' }] })
      .expect(201);

    const page = await signedInPage(suite.browser, suite.url, 'cleo');
    await page.goto(`${suite.url}/#/assets/${id}`);
    const tags = page.getByTestId('tag');
    await tags.filter({ hasText: 'landscape' }).waitFor();
    await page.getByRole('button', { name: 'Remove tag landscape' }).click();
    await page.getByRole('button', { name: 'Confirm tag image' }).click();
    await page.getByLabel('Add a tag').fill('hero shot');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await tags.filter({ hasText: 'hero shot' }).waitFor();
    await page.getByRole('button', { name: 'Confirm tag image' }).waitFor({ state: 'detached' });
    expect(await tags.filter({ hasText: /^landscape/ }).count()).toBe(0);
    // A compliance tag has no remove button: its rule gives it.
    expect(await page.getByRole('button', { name: 'Remove tag CN-mainland-only' }).count()).toBe(0);

    await page.getByRole('checkbox', { name: 'APAC' }).uncheck();
    await page.getByRole('checkbox', { name: 'EMEA' }).check();
    await page.getByRole('button', { name: 'Save classification' }).click();
    // Only what changed is sent, and the timeline names it.
    await page.getByText('(region: APAC → EMEA)').waitFor();

    await page.getByLabel('Move to project').selectOption('spring');
    await page.getByRole('button', { name: 'Move', exact: true }).click();
    await page.getByText('project default → spring').waitFor();
    await screenshot(page, 'asset-page-corrections');

    const asset = (await harness.http.get(`/api/assets/${id}`).expect(200)).body;
    expect(asset).toMatchObject({ project: 'spring', dimensions: { region: ['EMEA'], scenario: ['store'] } });
    expect(asset.tags).toEqual(expect.arrayContaining(['hero shot', 'image']));
    expect(asset.tags).not.toContain('landscape');
    expect(Object.keys(asset.tagSources).sort()).toEqual(['hero shot', 'image']);
  }, 120_000);
});
