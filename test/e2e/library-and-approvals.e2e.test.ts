import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { browserSuite, screenshot, signedInPage } from '../support/browser';
import { eventually, waitUntilStored } from '../support/harness';
import { makeJpeg } from '../support/images';
import { LUXURY_NAME, uploadLuxury } from '../support/luxury';

const PHOTO = path.join(__dirname, '..', 'fixtures', 'photos', 'coffee.jpg');

/**
 * The library and the reviewers' inbox in real Chromium against the real server and workflows:
 * an upload through the page is found by a Chinese search; a requester asks for a hi-res
 * original, two reviewers approve it in their inbox, and the requester downloads the file.
 */
describe('library and approvals (Chromium)', () => {
  const suite = browserSuite([
    ['una', 'editor'],
    ['emma', 'employee'],
    ['mia', 'brand-manager'],
    ['rui', 'reviewer'],
  ]);

  it('uploads with a progress bar and finds the file with a Chinese query', async () => {
    const page = await signedInPage(suite.browser, suite.url, 'una');
    await page.getByLabel('Upload', { exact: true }).setInputFiles({
      name: '春季新品海报.jpg',
      mimeType: 'image/jpeg',
      buffer: readFileSync(PHOTO),
    });
    await page.getByRole('button', { name: 'Upload (1)', exact: true }).click();
    await page.getByRole('progressbar', { name: '春季新品海报.jpg' }).waitFor();
    const link = page.locator('a.uploaded');
    await link.waitFor();
    const assetId = (await link.getAttribute('href'))!.split('/').pop()!;
    await waitUntilStored(suite.harness, assetId);

    // The same photo again: kept (the default rule set warns), with the existing asset shown.
    await page
      .getByLabel('Upload', { exact: true })
      .setInputFiles({ name: 'copy.jpg', mimeType: 'image/jpeg', buffer: readFileSync(PHOTO) });
    await page.getByRole('button', { name: 'Upload (1)', exact: true }).click();
    const warning = page.getByRole('status').filter({ hasText: 'Similar to an existing asset' });
    await warning.waitFor();
    expect(await warning.textContent()).toContain('100%');
    expect(await warning.getByRole('link').getAttribute('href')).toBe(`#/assets/${assetId}`);

    // 新品 ("new product") is one word of the name, found by jieba segmentation at both ends.
    await page.getByRole('searchbox').fill('新品');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByTestId('interpreted').waitFor();
    const results = page.getByTestId('result');
    await results.first().waitFor();
    // The library lists both uploads until the search's answer replaces them (slow under load).
    for (const deadline = Date.now() + 10_000; (await results.count()) !== 1 && Date.now() < deadline; ) {
      await page.waitForTimeout(100);
    }
    expect(await results.count()).toBe(1);
    expect(await results.first().getAttribute('href')).toBe(`#/assets/${assetId}`);
    expect(await page.getByTestId('interpreted').textContent()).toContain('新品');
    await screenshot(page, 'library');

    // On the asset page: mark a region on the picture and comment on it; make a share link.
    await results.first().click();
    const picture = page.getByRole('img', { name: '春季新品海报.jpg' });
    await picture.waitFor();
    const box = (await picture.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.3);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.7, { steps: 5 });
    await page.mouse.up();
    await page.getByLabel('Add comment').fill('把这里调亮一点');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByText('把这里调亮一点').waitFor();
    const comments = (await suite.harness.http.get(`/api/assets/${assetId}/comments`)).body.threads;
    expect(comments[0]).toMatchObject({ body: '把这里调亮一点', region: { kind: 'rect' } });
    expect(comments[0].region.x).toBeCloseTo(0.2, 1);
    expect(comments[0].region.width).toBeCloseTo(0.4, 1);
    await page.getByRole('form', { name: 'Share links' }).getByRole('button', { name: 'Create' }).click();
    const url = await page.getByLabel('link', { exact: true }).inputValue();
    expect(url).toMatch(new RegExp(`^${suite.url}/s/[\\w-]{43}$`));
    await screenshot(page, 'asset-page-annotations');
    await page.goto(`${suite.url}/#/library`);

    // The same page in Chinese.
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('button', { name: '搜索', exact: true }).waitFor();
    await screenshot(page, 'library-zh');
  }, 90_000);

  it('a requester asks for the original, two reviewers approve in their inbox, the requester downloads it, marked for them', async () => {
    const original = await makeJpeg(1600, 1200, [120, 20, 60]);
    const assetId = await uploadLuxury(suite.harness, original);
    await waitUntilStored(suite.harness, assetId);

    const requester = await signedInPage(suite.browser, suite.url, 'emma');
    await requester.goto(`${suite.url}/#/assets/${assetId}`);
    const downloads = requester.getByRole('region', { name: 'Request a download' });
    await downloads.getByLabel('Audience').selectOption('internal');
    await downloads.getByLabel('Rendition').selectOption('original');
    await requester.getByRole('button', { name: 'Request', exact: true }).click();
    await requester.getByTestId('download-status').getByText('Waiting for approval').waitFor();
    await screenshot(requester, 'asset-page');

    for (const reviewer of ['mia', 'rui']) {
      const page = await signedInPage(suite.browser, suite.url, reviewer);
      await page.goto(`${suite.url}/#/inbox`);
      const task = page.getByTestId('approval-task');
      await task.waitFor();
      expect(await task.textContent()).toContain('emma@example.test');
      expect(await task.textContent()).toContain('original');
      if (reviewer === 'mia') await screenshot(page, 'approvals-inbox');
      await task.getByLabel('Reason').fill('ok for the store launch');
      await task.getByRole('button', { name: 'Approve' }).click();
      await page.getByText('Nothing waits for you.').waitFor();
      await page.context().close();
    }

    await eventually(async () => {
      const lifecycle = await suite.harness.http.get(`/api/assets/${assetId}/lifecycle`);
      return lifecycle.body.grants?.length > 0 ? true : undefined;
    });
    await requester.getByRole('button', { name: 'Request', exact: true }).click();
    const downloadLink = requester.getByTestId('download-status').getByRole('link');
    await downloadLink.waitFor();
    const [download] = await Promise.all([requester.waitForEvent('download'), downloadLink.click()]);
    const saved = await download.path();
    // The luxury original is marked for its recipient (invisibleWatermark): the same picture,
    // not the same bytes, and it names emma's download.
    const received = readFileSync(saved!);
    expect(received.equals(original)).toBe(false);
    expect(await sharp(received).metadata()).toMatchObject({ width: 1600, height: 1200, format: 'jpeg' });
    expect(download.suggestedFilename()).toBe(LUXURY_NAME);
    const traced = await suite.harness.http
      .post('/api/trace')
      .set('Content-Type', 'image/jpeg')
      .send(received)
      .expect(200);
    expect(traced.body).toMatchObject({
      found: true,
      events: [{ actor: 'emma@example.test', rendition: 'original' }],
    });
  }, 120_000);

  it('the asset page starts a manual flow, and says why an incomplete asset is withheld', async () => {
    const drawing = await suite.harness.http
      .post('/api/assets')
      .field('ruleSet', 'automotive')
      .field(
        'metadata',
        JSON.stringify({ modelCode: 'X1A', partNumber: '12345-AB12', modelYear: 2026, stage: 'production' }),
      )
      .attach('file', await makeJpeg(800, 600, [10, 90, 200]), 'X1A_12345-AB12_MY2026_V1.jpg')
      .expect(201);
    await waitUntilStored(suite.harness, drawing.body.id);
    const page = await signedInPage(suite.browser, suite.url, 'una');
    await page.goto(`${suite.url}/#/assets/${drawing.body.id}`);
    await page.getByLabel('Flow', { exact: true }).selectOption('engineering-change');
    await page.getByRole('button', { name: 'Start flow' }).click();
    await page.getByRole('status').getByText('Started: engineering-change').waitFor();
    const view = (await suite.harness.http.get(`/api/assets/${drawing.body.id}/lifecycle`).expect(200)).body;
    expect(view.approvals).toMatchObject([
      { flow: 'engineering-change', status: 'pending', requestedBy: 'una@example.test' },
    ]);

    const incomplete = await suite.harness.http
      .post('/api/assets')
      .field('ruleSet', 'luxury')
      .field('metadata', JSON.stringify({ campaign: 'SS26', scenario: 'store' }))
      .attach('file', await makeJpeg(800, 600, [200, 90, 10]), 'SS26_store_V1_20261128.jpg')
      .expect(201);
    await waitUntilStored(suite.harness, incomplete.body.id);
    await page.goto(`${suite.url}/#/assets/${incomplete.body.id}`);
    const badge = page.getByTestId('withheld');
    await badge.waitFor();
    expect(await badge.textContent()).toContain('photographer');
  }, 90_000);
});
