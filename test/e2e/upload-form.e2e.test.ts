import { seriousAccessibilityProblems } from '../support/accessibility';
import { browserSuite, screenshot, signedInPage } from '../support/browser';
import { waitUntilStored } from '../support/harness';
import { makeJpeg } from '../support/images';

/**
 * Issue 23 item 5, uploading from the web app: the rule set and project chosen, the form generated
 * from the rule set's fields and dimensions, the naming convention checked on each name before
 * anything is sent, and one file given its own value in a batch of two.
 */
describe('the upload form (Chromium)', () => {
  const suite = browserSuite([['ula', 'editor']]);

  it('uploads under a chosen rule set with its fields, dimensions and per-file values', async () => {
    const day = new Date().toISOString().slice(0, 10).replaceAll('-', '');
    const good = `SS26_store_V1_${day}.jpg`;
    const page = await signedInPage(suite.browser, suite.url, 'ula');
    await page.getByLabel('Upload', { exact: true }).setInputFiles([
      { name: good, mimeType: 'image/jpeg', buffer: await makeJpeg(320, 240, [10, 186, 181]) },
      { name: 'holiday.jpg', mimeType: 'image/jpeg', buffer: await makeJpeg(330, 240, [240, 240, 240]) },
    ]);
    await page.getByLabel('Rule set').selectOption('luxury');
    await page
      .getByTestId('naming-convention')
      .filter({ hasText: '{campaign}_{scenario}_V{version}' })
      .waitFor();

    const shared = page.locator('fieldset.shared-fields');
    await shared.getByRole('textbox', { name: 'Campaign' }).fill('SS26');
    await shared.getByLabel('Photographer').fill('Li Wei');
    await shared.getByLabel('scenario').selectOption('store');
    await shared.getByLabel('Usage region').selectOption('APAC');
    await page.getByRole('group', { name: 'Region' }).getByLabel('EMEA').check();

    // The convention is checked in the page: the name that follows it has no remark, the other
    // is shown what it should be called with these values.
    const row = (name: string) =>
      page.getByTestId('staged-file').filter({ has: page.getByText(name, { exact: true }) });
    await row('holiday.jpg')
      .getByTestId('naming-verdict')
      .filter({ hasText: `SS26_store_V1_${day}.jpg` })
      .waitFor();
    expect(await row(good).getByTestId('naming-verdict').count()).toBe(0);

    // One file of the batch has its own photographer.
    await row('holiday.jpg').getByText('Fields for holiday.jpg').click();
    await row('holiday.jpg').getByLabel('Photographer').fill('Ann Chen');
    await screenshot(page, 'library-upload-form');
    expect(await seriousAccessibilityProblems(page)).toEqual([]);

    await page.getByRole('button', { name: 'Upload (2)', exact: true }).click();
    await page.locator('a.uploaded').nth(1).waitFor();
    const idOf = async (name: string) =>
      (await row(name).locator('a.uploaded').getAttribute('href'))!.split('/').pop()!;
    const goodId = await idOf(good);
    const otherId = await idOf('holiday.jpg');
    for (const id of [goodId, otherId]) await waitUntilStored(suite.harness, id);

    const first = (await suite.harness.http.get(`/api/assets/${goodId}`).expect(200)).body;
    expect(first).toMatchObject({
      ruleSet: 'luxury',
      metadata: { campaign: 'SS26', photographer: 'Li Wei', scenario: 'store', usageRegion: 'APAC' },
      dimensions: { region: ['EMEA'] },
    });
    const second = (await suite.harness.http.get(`/api/assets/${otherId}`).expect(200)).body;
    expect(second.metadata).toMatchObject({ campaign: 'SS26', photographer: 'Ann Chen' });
    expect(second.dimensions).toEqual({ region: ['EMEA'] });
  }, 120_000);
});
