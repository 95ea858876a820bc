import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { type Harness, type HarnessOptions, startHarness } from './harness';
import { serve } from './serve';

/** Debian's Chromium (installed by .ci/run), or CHROMIUM_PATH. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = path.join(__dirname, '..', '..', 'docs', 'screenshots');

/**
 * Headless Chromium as this machine allows it: no sandbox (root), and none of the background
 * networking that a closed network refuses at every start. (Playwright gives each launch a fresh
 * profile directory of its own.)
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * What the browser refused under the app's Content-Security-Policy (an inline <style> a component
 * library injects, for one), on any page of any context a browserSuite's browser opens: each of its
 * tests fails if this is not empty at its end.
 */
const cspViolations: string[] = [];

function watchCspRefusals(browser: Browser): Browser {
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (...args) => {
    const context = await newContext(...args);
    context.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text()))
        cspViolations.push(message.text());
    });
    return context;
  };
  return browser;
}

/** A signed-in page for the harness user `name` (see Harness.as), at 1280×800 unless told. */
export async function signedInPage(
  browser: Browser,
  url: string,
  name: string,
  viewport = { width: 1280, height: 800 },
): Promise<Page> {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(url);
  await page.getByLabel(/E-mail|邮箱/).fill(`${name}@example.test`);
  await page.getByLabel(/^Password|^密码/).fill(`${name}-password-for-tests`);
  await page.getByRole('button', { name: /^Sign in$|^登录$/ }).click();
  // The page bar (at a phone's width its menu is folded away).
  await page.getByRole('banner').waitFor();
  return page;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

/**
 * The usual end-to-end set-up, registered as beforeAll/afterAll of the calling describe: a harness
 * on the embedded PostgreSQL with these people (`[name, ...roles]`), its app on a real port, and Chromium.
 */
export function browserSuite(people: string[][], options: HarnessOptions = {}) {
  const suite = {} as { harness: Harness; browser: Browser; url: string };
  let server: Awaited<ReturnType<typeof serve>> | undefined;
  beforeAll(async () => {
    suite.harness = await startHarness('embedded', options);
    for (const [name, ...roles] of people) await suite.harness.as(name!, ...roles);
    server = await serve(suite.harness);
    suite.url = server.url;
    suite.browser = watchCspRefusals(await launchChromium());
  });
  afterEach(() => {
    expect(cspViolations.splice(0)).toEqual([]);
  });
  afterAll(async () => {
    await suite.browser?.close();
    await server?.close();
    await suite.harness?.close();
  });
  return suite;
}
