import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { browserSuite, signedInPage } from '../support/browser';
import { makeJpeg } from '../support/images';
import { sendStagedFile } from '../support/upload-form';
import { readZip } from '../support/zip';

const PHOTOS = path.join(__dirname, '..', 'fixtures', 'photos');

/**
 * The cross-border e-commerce acceptance scenario (PRODUCT.md), run by a merchandiser in the web
 * app alone (with the object detector on); the API is only read to check what the pages did:
 * - an upload under the rule set is renamed to the convention and classified by market and platform;
 * - the detector's cup makes the empty category "kitchenware", which brings its compliance tags;
 * - a channel export of a selection from the library: the Amazon zip holds the 2000×2000
 *   rendition of the listed product and says why the unlisted one was left out;
 * - delisting (unticking "listed") archives the product, purged 3 years later.
 */
describe('scenario: cross-border e-commerce, from the web app (Chromium)', () => {
  const suite = browserSuite([['meg', 'merchandiser', 'editor']], { aiTagging: true });
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '');

  async function upload(
    page: Page,
    name: string,
    buffer: Buffer,
    sku: string,
    listed: boolean,
  ): Promise<string> {
    await page.goto(`${suite.url}/#/library`);
    await page.reload();
    await page.getByLabel('Upload', { exact: true }).setInputFiles({ name, mimeType: 'image/jpeg', buffer });
    await page.getByLabel('Rule set').selectOption('ecommerce');
    const shared = page.locator('fieldset.shared-fields');
    await shared.getByLabel('SKU').fill(sku);
    await shared.getByLabel('brand').fill('ACME');
    await shared.getByLabel('Purpose').selectOption('main');
    if (listed) await shared.getByLabel('listed', { exact: true }).check();
    const group = (name: string) => page.locator('.upload-panel').getByRole('group', { name });
    await group('Market').getByLabel('United States').check();
    await group('Market').getByLabel('European Union').check();
    await group('Platform').getByLabel('Amazon').check();
    return sendStagedFile(page, suite.harness);
  }

  it('renamed and classified, AI category and compliance tags, channel export, delisted kept 3 years', async () => {
    const meg = await signedInPage(suite.browser, suite.url, 'meg');
    const mug = await upload(
      meg,
      'IMG_0042.jpg',
      readFileSync(path.join(PHOTOS, 'coffee.jpg')),
      'KT-1001',
      true,
    );
    const spare = await upload(
      meg,
      'IMG_0043.jpg',
      await makeJpeg(900, 900, [240, 240, 240]),
      'KT-1002',
      false,
    );

    // Renamed to the convention; classified; the detector fills the category, and its tags follow.
    await meg.goto(`${suite.url}/#/assets/${mug}`);
    await meg.getByRole('heading', { name: `ACME_KT-1001_main_V1_${day}.jpg` }).waitFor();
    await meg
      .getByTestId('ai-filled-category')
      .filter({ hasText: 'kitchenware' })
      .waitFor({ timeout: 90_000 });
    await meg.getByTestId('asset-tags').filter({ hasText: 'needs-LFGB' }).waitFor({ timeout: 30_000 });
    expect((await meg.getByTestId('asset-tags').textContent())!).toContain('needs-FDA-food-contact');
    expect((await suite.harness.http.get(`/api/assets/${mug}`).expect(200)).body.dimensions).toEqual({
      market: ['US', 'EU'],
      platform: ['amazon'],
    });

    // Both selected in the library, exported for Amazon: the listed one's 2000×2000 on white.
    await meg.getByRole('link', { name: 'Library' }).click();
    await meg.getByLabel('Search', { exact: true }).fill('ACME');
    await meg.getByRole('button', { name: 'Search', exact: true }).click();
    for (const sku of ['KT-1001', 'KT-1002'])
      await meg.getByRole('checkbox', { name: new RegExp(`^Select ACME_${sku}_`) }).check();
    await meg.getByRole('combobox', { name: /^Channel/ }).selectOption('amazon');
    const [download] = await Promise.all([
      meg.waitForEvent('download'),
      meg.getByRole('button', { name: 'Export for the channel (2)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('amazon-export.zip');
    const zip = await readZip(readFileSync((await download.path())!));
    const manifest = JSON.parse(zip.get('manifest.json')!.toString());
    const listed = manifest.assets.find((a: { assetId: string }) => a.assetId === mug);
    const unlisted = manifest.assets.find((a: { assetId: string }) => a.assetId === spare);
    expect(unlisted.skipped).toContain('metadata.listed');
    expect(listed.files).toHaveLength(1);
    expect(await sharp(zip.get(listed.files[0])!).metadata()).toMatchObject({
      width: 2000,
      height: 2000,
      format: 'jpeg',
    });

    // Delisted: archived, and purged 3 years after the delisting.
    await meg.goto(`${suite.url}/#/assets/${mug}`);
    const panel = meg.locator('section.lifecycle-panel');
    await panel.getByLabel('listed', { exact: true }).uncheck();
    await panel.getByRole('button', { name: 'Save fields' }).click();
    await meg.getByTestId('asset-state').filter({ hasText: 'archived' }).waitFor();
    const purge = panel.getByTestId('timer').filter({ hasText: 'Retention ends' });
    await purge.waitFor();
    expect(await purge.textContent()).toContain(String(new Date().getUTCFullYear() + 3));
  }, 300_000);
});
