import { readFileSync } from 'node:fs';
import path from 'node:path';
import { browserSuite, signedInPage } from '../support/browser';
import { waitUntilStored } from '../support/harness';
import { ATTACKS } from '../support/image-attacks';

const PHOTOS = path.join(__dirname, '..', 'fixtures', 'photos');

/**
 * "Find similar" in real Chromium against the real server and workflows: on a photo's page the
 * button lists its cropped copy (not a different photo) as a thumbnail linking to the copy's page.
 */
describe('find similar on the asset page (Chromium)', () => {
  const suite = browserSuite([['una', 'editor']]);

  it('shows the cropped copy as a thumbnail that opens its page', async () => {
    const coffee = readFileSync(path.join(PHOTOS, 'coffee.jpg'));
    const upload = async (bytes: Buffer, name: string) => {
      const res = await suite.harness.http.post('/api/assets').attach('file', bytes, name).expect(201);
      await waitUntilStored(suite.harness, res.body.id, { version: 1, timeoutMs: 60_000 });
      return res.body.id as string;
    };
    const original = await upload(coffee, 'coffee.jpg');
    const crop = await upload(await ATTACKS['crop 10 % (centred)']!(coffee), 'coffee-cropped.jpg');
    const other = await upload(readFileSync(path.join(PHOTOS, 'rocket.jpg')), 'rocket.jpg');

    const page = await signedInPage(suite.browser, suite.url, 'una');
    await page.goto(`${suite.url}/#/assets/${original}`);
    await page.getByRole('button', { name: 'Find similar' }).click();
    const found = page.getByTestId('similar-asset');
    await found.first().waitFor();
    const hrefs = await found.evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    expect(hrefs).toContain(`#/assets/${crop}`);
    expect(hrefs).not.toContain(`#/assets/${other}`);
    const thumbnail = page.getByRole('img', { name: 'coffee-cropped.jpg' });
    await thumbnail.waitFor();
    // The thumbnail loaded (naturalWidth > 0), not a broken image.
    await page.waitForFunction('document.querySelector(\'img[alt="coffee-cropped.jpg"]\')?.naturalWidth > 0');

    await page.getByRole('link', { name: /coffee-cropped\.jpg/ }).click();
    await page.waitForURL(`**/#/assets/${crop}`);
    await page.getByRole('img', { name: 'coffee-cropped.jpg' }).first().waitFor();
  }, 120_000);
});
