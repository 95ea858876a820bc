import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { seriousAccessibilityProblems } from '../support/accessibility';
import { browserSuite, screenshot, signedInPage } from '../support/browser';
import { waitUntilStored } from '../support/harness';
import { asBuffer } from '../support/http-binary';
import { uploadLuxury } from '../support/luxury';

/**
 * Issue 23 item 5, the trace page: a partner's marked download leaks, recompressed and scaled
 * down; an investigator drops it on the page and reads who received it. An unmarked picture of the
 * same asset (its thumbnail) names nobody. People without the investigator role have no such page.
 */
describe('the trace page (Chromium)', () => {
  const suite = browserSuite([
    ['ivy', 'investigator'],
    ['eddie', 'editor'],
  ]);

  it('names the recipient of a leaked copy, and nobody for an unmarked one', async () => {
    const photo = await sharp(readFileSync(path.join(__dirname, '..', 'fixtures', 'photos', 'chelsea.jpg')))
      .resize(2000)
      .jpeg({ quality: 92 })
      .toBuffer();
    const id = await uploadLuxury(suite.harness, photo);
    await waitUntilStored(suite.harness, id);
    const partner = await suite.harness.as('pia', 'partner');
    const received = (
      await asBuffer(
        suite.harness.http
          .get(`/api/assets/${id}/renditions/medium`)
          .query({ audience: 'partners' })
          .set(partner),
      ).expect(200)
    ).body as Buffer;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'leak-'));
    const leaked = path.join(dir, 'found-on-a-forum.jpg');
    writeFileSync(leaked, await sharp(received).resize(1200).jpeg({ quality: 75 }).toBuffer());
    const unmarked = path.join(dir, 'thumbnail.jpg');
    writeFileSync(
      unmarked,
      (await asBuffer(suite.harness.http.get(`/api/assets/${id}/thumbnail`)).expect(200)).body as Buffer,
    );

    const editor = await signedInPage(suite.browser, suite.url, 'eddie');
    expect(await editor.getByRole('link', { name: 'Trace a leak' }).count()).toBe(0);
    await editor.context().close();

    const page = await signedInPage(suite.browser, suite.url, 'ivy');
    await page.getByRole('link', { name: 'Trace a leak' }).click();
    await page.getByRole('heading', { name: 'Trace a leak' }).waitFor();
    await page.getByLabel('Suspect image').setInputFiles(leaked);
    await page.getByRole('button', { name: 'Trace', exact: true }).click();
    await page.getByRole('heading', { name: 'Found: who received it' }).waitFor({ timeout: 60_000 });
    const rows = page.getByTestId('trace-events').locator('tbody tr');
    expect(await rows.count()).toBe(1);
    const cells = await rows.first().locator('td').allTextContents();
    expect([cells[0], cells[2], cells[3]]).toEqual(['pia@example.test', 'download', 'medium']);
    await screenshot(page, 'trace');
    expect(await seriousAccessibilityProblems(page)).toEqual([]);

    await page.getByLabel('Suspect image').setInputFiles(unmarked);
    await page.getByRole('button', { name: 'Trace', exact: true }).click();
    await page.getByRole('heading', { name: 'No recipient found' }).waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('trace-result').textContent()).toContain('no watermark could be read');
  }, 180_000);
});
