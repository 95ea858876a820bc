import { seriousAccessibilityProblems } from '../support/accessibility';
import { browserSuite, screenshot, signedInPage } from '../support/browser';
import { uploadStoredJpeg } from '../support/stored-jpeg';

/**
 * Issue 23 item 1 in the web app: deleting from the library (several at once, a refusal shown
 * beside the rest) and from an asset's page, the trash page with purge dates, restoring.
 */
describe('the trash in the web app (Chromium)', () => {
  const suite = browserSuite([['tia', 'editor']]);

  const upload = (name: string, rgb: [number, number, number]) => uploadStoredJpeg(suite.harness, name, rgb);

  it('deletes from the library and the asset page, lists the trash, restores', async () => {
    const first = await upload('trash-first.jpg', [200, 40, 40]);
    const frozen = await upload('trash-frozen.jpg', [40, 200, 40]);
    const third = await upload('trash-third.jpg', [40, 40, 200]);
    await suite.harness.http.post(`/api/assets/${frozen}/freeze`).send({ reason: 'signed off' }).expect(200);

    const page = await signedInPage(suite.browser, suite.url, 'tia');
    await page.getByLabel('Search', { exact: true }).fill('trash');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByLabel('Select trash-first.jpg').check();
    await page.getByLabel('Select trash-frozen.jpg').check();
    await page.getByRole('button', { name: /Delete selected \(2\)/ }).click();
    // The frozen one is refused with the workflow's reason and stays selected; the other is gone.
    await page
      .getByRole('alert')
      .filter({ hasText: 'trash-frozen.jpg' })
      .filter({ hasText: /frozen/ })
      .waitFor();
    await page.getByRole('button', { name: /Delete selected \(1\)/ }).waitFor();
    expect(await page.getByTestId('result').filter({ hasText: 'trash-first.jpg' }).count()).toBe(0);
    expect(await page.getByTestId('result').filter({ hasText: 'trash-third.jpg' }).count()).toBe(1);

    // From the asset's page, with a reason.
    await page.goto(`${suite.url}/#/assets/${third}`);
    await page.getByRole('button', { name: 'Move to trash' }).click();
    await page.getByLabel('Reason (optional)').fill('wrong colour');
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByTestId('in-trash').waitFor();
    await page.getByTestId('asset-state').filter({ hasText: 'trashed' }).waitFor();

    await page.getByRole('link', { name: 'Trash' }).click();
    const rows = page.getByTestId('trashed-asset');
    await rows.filter({ hasText: 'trash-third.jpg' }).filter({ hasText: 'wrong colour' }).waitFor();
    expect(await rows.filter({ hasText: 'trash-first.jpg' }).count()).toBe(1);
    expect(await rows.filter({ hasText: 'trash-frozen.jpg' }).count()).toBe(0);
    // The purge date is 30 days after the deletion.
    const purge = new Date(Date.now() + 30 * 24 * 60 * 60 * 1000).toLocaleDateString('en-US');
    expect(await rows.filter({ hasText: 'trash-first.jpg' }).textContent()).toContain(purge);
    await screenshot(page, 'trash');
    // The table with its checkboxes and buttons passes axe-core as the empty page does.
    expect(await seriousAccessibilityProblems(page)).toEqual([]);

    await page.getByLabel('Select trash-first.jpg').check();
    await page.getByLabel('Select trash-third.jpg').check();
    await page.getByRole('button', { name: /Restore selected \(2\)/ }).click();
    await page.getByText('The trash is empty.').waitFor();
    expect((await suite.harness.http.get(`/api/assets/${first}`).expect(200)).body.state).toBe('stored');
    expect((await suite.harness.http.get(`/api/assets/${third}`).expect(200)).body.state).toBe('stored');
  }, 120_000);
});
