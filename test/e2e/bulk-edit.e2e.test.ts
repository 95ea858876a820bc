import { seriousAccessibilityProblems } from '../support/accessibility';
import { browserSuite, screenshot, signedInPage } from '../support/browser';
import { waitUntilStored } from '../support/harness';
import { makeJpeg } from '../support/images';

/**
 * Issue 23 item 3 in the web app: tick assets in the library, add a tag to all of them as one
 * durable batch, follow its progress bar, and read why the frozen one was refused; then remove
 * it from every result of the search.
 */
describe('bulk edit in the web app (Chromium)', () => {
  const suite = browserSuite([['bea', 'editor']]);

  it('adds a tag to the selection with a progress bar, refusals named', async () => {
    const ids: string[] = [];
    for (const [i, name] of ['bulkshot-a.jpg', 'bulkshot-b.jpg', 'bulkshot-frozen.jpg'].entries()) {
      const res = await suite.harness.http
        .post('/api/assets')
        .attach('file', await makeJpeg(300, 200, [60 * i, 90, 160]), name)
        .expect(201);
      ids.push(res.body.id);
      await waitUntilStored(suite.harness, res.body.id);
    }
    await suite.harness.http.post(`/api/assets/${ids[2]}/freeze`).send({ reason: 'final cut' }).expect(200);

    const page = await signedInPage(suite.browser, suite.url, 'bea');
    await page.getByLabel('Search', { exact: true }).fill('bulkshot');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    for (const name of ['bulkshot-a.jpg', 'bulkshot-b.jpg', 'bulkshot-frozen.jpg'])
      await page.getByLabel(`Select ${name}`).check();
    await page.getByLabel('Change').selectOption('add-tag');
    await page.getByLabel('Tag', { exact: true }).fill('summer');
    await page.getByRole('button', { name: /Apply to selected \(3\)/ }).click();
    await page
      .getByTestId('bulk-progress')
      .filter({ hasText: '3/3' })
      .filter({ hasText: 'finished' })
      .waitFor();
    expect(await page.getByTestId('bulk-progress').textContent()).toContain('done 2 · refused 1');
    await page.getByRole('list', { name: 'Refused' }).filter({ hasText: 'bulkshot-frozen.jpg' }).waitFor();
    await screenshot(page, 'library-bulk-edit');
    expect(await seriousAccessibilityProblems(page)).toEqual([]);

    for (const id of ids.slice(0, 2))
      expect((await suite.harness.http.get(`/api/assets/${id}`).expect(200)).body.tags).toContain('summer');
    expect((await suite.harness.http.get(`/api/assets/${ids[2]}`).expect(200)).body.tags).not.toContain(
      'summer',
    );

    // With nothing ticked, the whole search: every result, the ones on no page included.
    for (const name of ['bulkshot-a.jpg', 'bulkshot-b.jpg', 'bulkshot-frozen.jpg'])
      await page.getByLabel(`Select ${name}`).uncheck();
    await page.getByText(/Change every result of this search \(3\)/).click();
    await page.getByLabel('Change').selectOption('remove-tag');
    await page.getByLabel('Tag', { exact: true }).fill('summer');
    await page.getByRole('button', { name: /Apply to every result \(3\)/ }).click();
    await page
      .getByTestId('bulk-progress')
      .filter({ hasText: '3/3' })
      .filter({ hasText: 'finished' })
      .waitFor();
    for (const id of ids.slice(0, 2))
      expect((await suite.harness.http.get(`/api/assets/${id}`).expect(200)).body.tags).not.toContain(
        'summer',
      );
  }, 120_000);
});
