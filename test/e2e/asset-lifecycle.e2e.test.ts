import { seriousAccessibilityProblems } from '../support/accessibility';
import { browserSuite, screenshot, signedInPage } from '../support/browser';
import { waitUntilStored } from '../support/harness';
import { makeJpeg } from '../support/images';
import { uploadLuxury } from '../support/luxury';

/**
 * Issue 23 item 5 on the asset page: the metadata edited with the rule set's form, freeze and
 * unfreeze, a legal hold, a business event that archives, restore from the archive, the timers
 * with their dates, a new version uploaded, compared with the old one and the old one restored.
 */
describe('the asset page lifecycle (Chromium)', () => {
  const suite = browserSuite([['lena', 'editor', 'brand-manager', 'legal']]);

  it('edits fields, freezes, holds, archives by an event, restores, and works with versions', async () => {
    const id = await uploadLuxury(suite.harness, await makeJpeg(400, 300, [10, 186, 181]));
    await waitUntilStored(suite.harness, id);
    // Restoring from the archive takes manage on the project: Lena manages the default one.
    await suite.harness.http
      .put('/api/projects/default/grants')
      .send({ grants: [{ principal: `user:${await suite.harness.userId('lena')}`, level: 'manage' }] })
      .expect(200);
    const page = await signedInPage(suite.browser, suite.url, 'lena');
    await page.goto(`${suite.url}/#/assets/${id}`);
    const panel = page.locator('section.lifecycle-panel');
    await panel.waitFor();

    // Fields: the rule set's form, saved as one change of the changed field only.
    const fields = panel.getByRole('form', { name: 'Fields' });
    await fields.getByLabel('Event date').fill('2027-03-01');
    await fields.getByRole('button', { name: 'Save fields' }).click();
    // The event date sets the validity timer: 7 days after it, listed with its date.
    const validity = panel.getByTestId('timer').filter({ hasText: 'Validity ends' });
    await validity.waitFor();
    expect(await validity.textContent()).toContain(
      new Date('2027-03-08T00:00:00Z').toLocaleDateString('en-US'),
    );
    expect((await suite.harness.http.get(`/api/assets/${id}`).expect(200)).body.metadata.eventDate).toBe(
      '2027-03-01',
    );

    // Freeze with a reason, then unfreeze.
    await panel.getByLabel('Reason to freeze').fill('campaign signed off');
    await panel.getByRole('button', { name: 'Freeze', exact: true }).click();
    await panel.getByRole('button', { name: 'Unfreeze' }).waitFor();
    expect((await suite.harness.http.get(`/api/assets/${id}/lifecycle`).expect(200)).body.frozen.reason).toBe(
      'campaign signed off',
    );
    await panel.getByRole('button', { name: 'Unfreeze' }).click();
    await panel.getByRole('button', { name: 'Freeze', exact: true }).waitFor();

    // A legal hold, shown with its reason, then lifted.
    await panel.getByLabel('Reason for a legal hold').fill('case 42');
    await panel.getByRole('button', { name: 'Place legal hold' }).click();
    await panel.getByTestId('legal-hold').filter({ hasText: 'case 42' }).waitFor();
    await panel.getByRole('button', { name: 'Lift legal hold' }).click();
    await panel.getByRole('button', { name: 'Place legal hold' }).waitFor();

    // A business event archives it, its undoing brings it back; by hand, archive and restore.
    const state = async () =>
      (await suite.harness.http.get(`/api/assets/${id}/lifecycle`).expect(200)).body.state;
    await panel.getByLabel('Business event').selectOption('delisting');
    await panel.getByRole('button', { name: 'Record' }).click();
    await page.getByTestId('asset-state').filter({ hasText: 'archived' }).waitFor();
    await panel.getByLabel('Business event').selectOption('relisting');
    await panel.getByRole('button', { name: 'Record' }).click();
    await panel.getByRole('button', { name: 'Archive', exact: true }).waitFor();
    expect(await state()).not.toBe('archived');
    await panel.getByRole('button', { name: 'Archive', exact: true }).click();
    await panel.getByRole('button', { name: 'Restore from archive' }).click();
    await panel.getByRole('button', { name: 'Archive', exact: true }).waitFor();
    expect(await state()).not.toBe('archived');
    const timeline = (await suite.harness.http.get(`/api/assets/${id}/timeline`).expect(200)).body.timeline;
    expect(timeline.filter((e: { event?: string }) => e.event === 'archived')).toHaveLength(2);

    // A new version with a note; compare it with v1; make v1 the newest again.
    await page
      .getByRole('form', { name: 'New version' })
      .getByLabel('New version')
      .setInputFiles({
        name: 'v2.jpg',
        mimeType: 'image/jpeg',
        buffer: await makeJpeg(400, 300, [200, 40, 40]),
      });
    await page.getByLabel('Note').fill('warmer colours');
    await page.getByRole('button', { name: 'Upload version' }).click();
    await page.getByTestId('version').filter({ hasText: 'warmer colours' }).waitFor();
    await page.getByRole('button', { name: 'Compare with the newest v1' }).click();
    const compared = page.getByTestId('compare');
    await compared.getByRole('img', { name: 'v1 | v2' }).waitFor();
    // The side-by-side picture is drawn (loaded and decoded, not a broken image). Polled rather than
    // awaited with decode(), which rejects when the element is drawn again while decoding.
    const drawnWidth = () =>
      compared.locator('img').evaluate((img) => {
        const loaded = img as unknown as { complete: boolean; naturalWidth: number };
        return loaded.complete ? loaded.naturalWidth : -1;
      });
    let width = await drawnWidth();
    for (let i = 0; i < 100 && width < 0; i++) {
      await page.waitForTimeout(100);
      width = await drawnWidth();
    }
    expect(width).toBeGreaterThan(0);
    expect(await compared.locator('li').count()).toBeGreaterThan(0);
    await screenshot(page, 'asset-page-lifecycle');
    expect(await seriousAccessibilityProblems(page)).toEqual([]);
    await page.getByRole('button', { name: 'Make newest v1' }).click();
    await page.getByTestId('version').filter({ hasText: 'v3' }).waitFor();
    const versions = (await suite.harness.http.get(`/api/assets/${id}/versions`).expect(200)).body;
    expect(versions.latest).toBe(3);
    expect(versions.versions[2].sha256).toBe(versions.versions[0].sha256);
  }, 120_000);
});
