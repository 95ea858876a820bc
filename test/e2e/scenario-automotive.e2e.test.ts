import type { Page } from 'playwright-core';
import { browserSuite, signedInPage } from '../support/browser';
import { makeJpeg } from '../support/images';
import { sendStagedFile } from '../support/upload-form';

/**
 * The automotive acceptance scenario (PRODUCT.md), run by people in the web app alone; the API is
 * only read to check what the pages did:
 * - mandatory model code, part number and model year: an upload without the part number is refused
 *   with the reason and waits to be corrected; the naming convention is enforced;
 * - classified per programme and system (the library's facets count it there);
 * - R&D downloads the original drawing; a dealer gets nothing of a drawing, only a marketing
 *   poster's poster rendition;
 * - a drawing set to production is frozen read-only: a new version is refused with the reason;
 * - at end of production it is archived and kept 15 years.
 */
describe('scenario: automotive, from the web app (Chromium)', () => {
  const suite = browserSuite([
    ['eng', 'rnd-engineer', 'editor', 'team:powertrain'],
    ['dan', 'dealer'],
  ]);

  /** Stages one file in the upload form under the automotive rule set with these fields. */
  async function stage(
    page: Page,
    name: string,
    rgb: [number, number, number],
    fields: Record<string, string>,
  ) {
    // A fresh library page: nothing staged from before (a refused file would wait there).
    await page.goto(`${suite.url}/#/library`);
    await page.reload();
    await page.getByLabel('Upload', { exact: true }).setInputFiles({
      name,
      mimeType: 'image/jpeg',
      buffer: await makeJpeg(1200, 900, rgb),
    });
    await page.getByLabel('Rule set').selectOption('automotive');
    const shared = page.locator('fieldset.shared-fields');
    for (const [label, value] of Object.entries(fields)) {
      const input = shared.getByLabel(label);
      if ((await input.evaluate((e) => e.tagName)) === 'SELECT') await input.selectOption(value);
      else await input.fill(value);
    }
    await page.getByRole('group', { name: 'Programme' }).getByLabel('X1 SUV').check();
  }

  it('mandatory fields, programme, who sees what, frozen in production, kept 15 years', async () => {
    const eng = await signedInPage(suite.browser, suite.url, 'eng');

    // No part number: refused, with the reason; the file waits to be corrected.
    await stage(eng, 'X1A_12345-AB1_MY2026_V1.jpg', [90, 90, 100], {
      'Model code': 'X1A',
      'Model year': '2026',
      purpose: 'drawing',
      system: 'powertrain',
    });
    await eng.getByRole('button', { name: 'Upload (1)', exact: true }).click();
    const refusal = eng.getByTestId('staged-file').getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/partNumber|Part number/);
    await eng.locator('fieldset.shared-fields').getByLabel('Part number').fill('12345-AB1');
    const drawing = await sendStagedFile(eng, suite.harness, { open: true });
    expect((await suite.harness.http.get(`/api/assets/${drawing}`).expect(200)).body).toMatchObject({
      ruleSet: 'automotive',
      metadata: { modelCode: 'X1A', partNumber: '12345-AB1', modelYear: 2026, purpose: 'drawing' },
      dimensions: { programme: ['X1'] },
    });

    // A name off the convention is refused (policy reject), with the name it should have.
    await stage(eng, 'poster-final.jpg', [200, 200, 40], {
      'Model code': 'X1A',
      'Model year': '2026',
      'Part number': '12345-PS1',
      purpose: 'marketing-poster',
    });
    await eng.getByTestId('naming-verdict').filter({ hasText: 'X1A_12345-PS1_MY2026_V1.jpg' }).waitFor();
    await eng.getByRole('button', { name: 'Upload (1)', exact: true }).click();
    await eng.getByTestId('staged-file').getByRole('alert').waitFor();
    await stage(eng, 'X1A_12345-PS1_MY2026_V1.jpg', [200, 200, 40], {
      'Model code': 'X1A',
      'Model year': '2026',
      'Part number': '12345-PS1',
      purpose: 'marketing-poster',
    });
    const poster = await sendStagedFile(eng, suite.harness, { open: true });

    // Per programme: the library counts both under X1.
    await eng.goto(`${suite.url}/#/library`);
    const programme = eng.getByRole('group', { name: 'dim.programme' });
    // The facet's tick is named by its value and its count.
    await programme.getByRole('checkbox', { name: /^X1\s*2$/ }).waitFor();

    // R&D: the original drawing, at once.
    await eng.goto(`${suite.url}/#/assets/${drawing}`);
    const engDownloads = eng.getByRole('region', { name: 'Request a download' });
    await engDownloads.getByLabel('Audience').selectOption('rnd');
    await engDownloads.getByLabel('Rendition').selectOption('original');
    await eng.getByRole('button', { name: 'Request', exact: true }).click();
    const [original] = await Promise.all([
      eng.waitForEvent('download'),
      eng.getByTestId('download-status').getByRole('link').click(),
    ]);
    expect(original.suggestedFilename()).toBe('X1A_12345-AB1_MY2026_V1.jpg');

    // A dealer: nothing of the drawing; the poster's poster rendition.
    const dan = await signedInPage(suite.browser, suite.url, 'dan');
    await dan.goto(`${suite.url}/#/assets/${drawing}`);
    let dealerDownloads = dan.getByRole('region', { name: 'Request a download' });
    await dealerDownloads.getByLabel('Audience').selectOption('dealers');
    await dealerDownloads.getByLabel('Rendition').selectOption('poster');
    await dan.getByRole('button', { name: 'Request', exact: true }).click();
    await dealerDownloads.getByRole('alert').waitFor();
    expect(await dan.getByTestId('download-status').count()).toBe(0);
    await dan.goto(`${suite.url}/#/assets/${poster}`);
    dealerDownloads = dan.getByRole('region', { name: 'Request a download' });
    await dealerDownloads.getByLabel('Audience').selectOption('dealers');
    await dealerDownloads.getByLabel('Rendition').selectOption('poster');
    await dan.getByRole('button', { name: 'Request', exact: true }).click();
    const [posterFile] = await Promise.all([
      dan.waitForEvent('download'),
      dan.getByTestId('download-status').getByRole('link').click(),
    ]);
    expect(posterFile.suggestedFilename()).toMatch(/\.jpg$/);

    // In production: frozen read-only; a new version is refused with the reason.
    await eng.goto(`${suite.url}/#/assets/${drawing}`);
    const panel = eng.locator('section.lifecycle-panel');
    await panel.getByLabel('Stage').selectOption('production');
    await panel.getByRole('button', { name: 'Save fields' }).click();
    await eng.locator('.badge.frozen').filter({ hasText: 'Drawing is in production' }).waitFor();
    await eng
      .getByRole('form', { name: 'New version' })
      .getByLabel('New version')
      .setInputFiles({
        name: 'X1A_12345-AB1_MY2026_V2.jpg',
        mimeType: 'image/jpeg',
        buffer: await makeJpeg(1200, 900, [10, 10, 10]),
      });
    await eng.getByRole('button', { name: 'Upload version' }).click();
    const versionRefusal = eng.getByRole('form', { name: 'New version' }).locator('..').getByRole('alert');
    await versionRefusal.filter({ hasText: /frozen|production/i }).waitFor();
    expect((await suite.harness.http.get(`/api/assets/${drawing}/versions`).expect(200)).body.latest).toBe(1);

    // End of production: archived, purged 15 years later.
    await panel.getByLabel('Business event').selectOption('end-of-production');
    await panel.getByRole('button', { name: 'Record' }).click();
    await eng.getByTestId('asset-state').filter({ hasText: 'archived' }).waitFor();
    const purge = panel.getByTestId('timer').filter({ hasText: 'Retention ends' });
    await purge.waitFor();
    expect(await purge.textContent()).toContain(String(new Date().getUTCFullYear() + 15));
  }, 300_000);
});
