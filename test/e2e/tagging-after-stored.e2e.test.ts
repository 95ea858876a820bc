import { readFileSync } from 'node:fs';
import path from 'node:path';
import { browserSuite, signedInPage } from '../support/browser';
import { waitUntilStored } from '../support/harness';

const PHOTOS = path.join(__dirname, '..', 'fixtures', 'photos');
const photo = (name: string) => readFileSync(path.join(PHOTOS, name));

/**
 * Issue 22 item 1 in the web app: a photo is stored before its models run; its page says
 * "tagging…" meanwhile and shows what the object detector saw once it has reported. The models
 * take one picture at a time, so the last of three uploads waits its turn while the page opens.
 */
describe('models after stored, in the web app (Chromium)', () => {
  const suite = browserSuite([['una', 'editor']], { aiTagging: true });

  it('shows a stored photo as "tagging…" until the models report, then their tags', async () => {
    const ids: string[] = [];
    for (const name of ['astronaut.jpg', 'coffee.jpg', 'camera.jpg']) {
      const res = await suite.harness.http.post('/api/assets').attach('file', photo(name), name).expect(201);
      ids.push(res.body.id);
    }
    const last = ids.at(-1)!;
    await waitUntilStored(suite.harness, last);
    const page = await signedInPage(suite.browser, suite.url, 'una');
    await page.goto(`${suite.url}/#/assets/${last}`);
    await page.getByTestId('asset-state').filter({ hasText: 'stored' }).waitFor();
    await page.getByTestId('tagging').waitFor();
    // The page looks again by itself: the person the detector found arrives, the badge goes.
    await page.getByTestId('asset-tags').filter({ hasText: 'person' }).waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('tagging').count()).toBe(0);
  }, 120_000);
});
