import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { browserSuite, signedInPage } from '../support/browser';
import { makeJpeg } from '../support/images';
import { sendStagedFile } from '../support/upload-form';

/**
 * The luxury acceptance scenario (PRODUCT.md), run by people in the web app alone — no API call
 * drives it; the API is only read to check what the pages did:
 * - a photographer uploads under the luxury rule set with its form: the brand palette is checked
 *   (Tiffany blue within it, a red shot off it), region × scenario classification, the CN-mainland
 *   compliance tag, event material valid until 7 days after the event;
 * - an internal hi-res download needs a brand manager's and then a reviewer's approval;
 * - a partner gets the medium rendition, invisibly watermarked for them, and an investigator
 *   traces a recompressed leak of it back to that partner (every use traced);
 * - a classic campaign, archived, has no purge date; other archived material is kept 5 years.
 */
describe('scenario: luxury brand, from the web app (Chromium)', () => {
  const suite = browserSuite([
    ['pam', 'photographer', 'employee'],
    ['mia', 'brand-manager', 'editor'],
    ['rui', 'reviewer'],
    ['pia', 'partner'],
    ['ivy', 'investigator'],
  ]);
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '');

  /** Uploads one file with the upload form under the luxury rule set; returns the new asset's id. */
  async function uploadWithForm(
    page: Page,
    file: { name: string; buffer: Buffer },
    fill: { scenario: string; region: string; eventDate?: string; classic?: boolean },
  ): Promise<string> {
    await page.goto(`${suite.url}/#/library`);
    await page.getByLabel('Upload', { exact: true }).setInputFiles({ ...file, mimeType: 'image/jpeg' });
    await page.getByLabel('Rule set').selectOption('luxury');
    const shared = page.locator('fieldset.shared-fields');
    await shared.getByRole('textbox', { name: 'Campaign' }).fill('SS26');
    await shared.getByLabel('Photographer').fill('Li Wei');
    await shared.getByLabel('scenario').selectOption(fill.scenario);
    await shared.getByLabel('Usage region').selectOption(fill.region);
    if (fill.eventDate) await shared.getByLabel('Event date').fill(fill.eventDate);
    if (fill.classic) await shared.getByLabel('Classic campaign').check();
    await page
      .getByRole('group', { name: 'Region' })
      .getByLabel(fill.region === 'CN-mainland' ? 'Mainland China' : 'EMEA')
      .check();
    await page
      .getByRole('group', { name: 'Scenario' })
      .getByLabel(fill.scenario === 'event' ? 'Event' : 'Print')
      .check();
    return sendStagedFile(page, suite.harness, { open: true });
  }

  it('palette, classification, two approvals, a traced partner leak, expiry and retention', async () => {
    const pam = await signedInPage(suite.browser, suite.url, 'pam');

    // Event material in Tiffany blue, for mainland China.
    const eventShot = await uploadWithForm(
      pam,
      { name: `SS26_event_V1_${day}.jpg`, buffer: await makeJpeg(1600, 1200, [10, 186, 181]) },
      { scenario: 'event', region: 'CN-mainland', eventDate: '2027-03-01' },
    );
    await pam.getByTestId('brand-palette').filter({ hasText: 'within the palette' }).waitFor();
    await pam.getByTestId('asset-tags').filter({ hasText: 'CN-mainland-only' }).waitFor();
    const validity = pam.getByTestId('timer').filter({ hasText: 'Validity ends' });
    await validity.waitFor();
    expect(await validity.textContent()).toContain(
      new Date('2027-03-08T00:00:00Z').toLocaleDateString('en-US'),
    );
    expect((await suite.harness.http.get(`/api/assets/${eventShot}`).expect(200)).body.dimensions).toEqual({
      region: ['CN-mainland'],
      scenario: ['event'],
    });

    // The photographer asks for the original: it waits for two approvals.
    const downloads = pam.getByRole('region', { name: 'Request a download' });
    await downloads.getByLabel('Audience').selectOption('internal');
    await downloads.getByLabel('Rendition').selectOption('original');
    await pam.getByRole('button', { name: 'Request', exact: true }).click();
    await pam.getByTestId('download-status').getByText('Waiting for approval').waitFor();
    for (const reviewer of ['mia', 'rui']) {
      const page = await signedInPage(suite.browser, suite.url, reviewer);
      await page.getByRole('link', { name: 'Approvals' }).click();
      const task = page.getByTestId('approval-task');
      await task.waitFor({ timeout: 30_000 });
      expect(await task.textContent()).toContain('pam@example.test');
      await task.getByLabel('Reason').fill('for the launch event');
      await task.getByRole('button', { name: 'Approve' }).click();
      await page.getByText('Nothing waits for you.').waitFor();
      await page.context().close();
    }
    // Once both approved, the same request gives the original.
    let link = pam.getByTestId('download-status').getByRole('link');
    for (let tries = 0; tries < 30 && (await link.count()) === 0; tries++) {
      await pam.getByRole('button', { name: 'Request', exact: true }).click();
      await pam.waitForTimeout(500);
    }
    const [original] = await Promise.all([pam.waitForEvent('download'), link.click()]);
    expect(original.suggestedFilename()).toBe(`SS26_event_V1_${day}.jpg`);

    // A partner gets the medium rendition at once; a leak of it, recompressed, names them.
    const pia = await signedInPage(suite.browser, suite.url, 'pia');
    await pia.goto(`${suite.url}/#/assets/${eventShot}`);
    const partnerDownloads = pia.getByRole('region', { name: 'Request a download' });
    await partnerDownloads.getByLabel('Audience').selectOption('partners');
    await partnerDownloads.getByLabel('Rendition').selectOption('medium');
    await pia.getByRole('button', { name: 'Request', exact: true }).click();
    link = pia.getByTestId('download-status').getByRole('link');
    const [medium] = await Promise.all([pia.waitForEvent('download'), link.click()]);
    const sharp = (await import('sharp')).default;
    const leak = path.join(os.tmpdir(), `leak-${eventShot}.jpg`);
    writeFileSync(
      leak,
      await sharp(readFileSync((await medium.path())!))
        .resize(1100)
        .jpeg({ quality: 75 })
        .toBuffer(),
    );
    const ivy = await signedInPage(suite.browser, suite.url, 'ivy');
    await ivy.getByRole('link', { name: 'Trace a leak' }).click();
    await ivy.getByLabel('Suspect image').setInputFiles(leak);
    await ivy.getByRole('button', { name: 'Trace', exact: true }).click();
    await ivy.getByRole('heading', { name: 'Found: who received it' }).waitFor({ timeout: 60_000 });
    expect(await ivy.getByTestId('trace-events').locator('tbody tr td').first().textContent()).toBe(
      'pia@example.test',
    );

    // A classic campaign shot, off the palette (a warning, not a refusal): archived, kept forever.
    const classic = await uploadWithForm(
      pam,
      { name: `SS26_print_V1_${day}.jpg`, buffer: await makeJpeg(800, 600, [200, 30, 30]) },
      { scenario: 'print', region: 'EMEA', classic: true },
    );
    await pam.getByTestId('brand-palette').filter({ hasText: 'off the palette' }).waitFor();
    const mia = await signedInPage(suite.browser, suite.url, 'mia');
    for (const id of [classic, eventShot]) {
      await mia.goto(`${suite.url}/#/assets/${id}`);
      const panel = mia.locator('section.lifecycle-panel');
      await panel.getByRole('button', { name: 'Archive', exact: true }).click();
      await mia.getByTestId('asset-state').filter({ hasText: 'archived' }).waitFor();
    }
    // The event shot: purged 5 years after its archiving; the classic one: no purge date at all.
    const purge = mia
      .locator('section.lifecycle-panel')
      .getByTestId('timer')
      .filter({ hasText: 'Retention ends' });
    await purge.waitFor();
    const inFiveYears = new Date();
    inFiveYears.setUTCFullYear(inFiveYears.getUTCFullYear() + 5);
    expect(await purge.textContent()).toContain(String(inFiveYears.getUTCFullYear()));
    await mia.goto(`${suite.url}/#/assets/${classic}`);
    await mia.getByTestId('asset-state').filter({ hasText: 'archived' }).waitFor();
    await mia.locator('section.lifecycle-panel').getByRole('heading', { name: 'Timers' }).waitFor();
    expect(
      await mia
        .locator('section.lifecycle-panel')
        .getByTestId('timer')
        .filter({ hasText: 'Retention ends' })
        .count(),
    ).toBe(0);
  }, 300_000);
});
