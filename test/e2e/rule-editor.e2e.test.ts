import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { parse } from 'yaml';
import { browserSuite, screenshot, signedInPage } from '../support/browser';

/** The flow the rule author draws, as the published YAML must hold it. */
const EXPECTED_FLOW = parse(`
trigger: download-request
nodes:
  start-1: { type: start, next: parallel-1 }
  parallel-1: { type: parallel, branches: [approval-1, approval-2], join: join-1 }
  approval-1: { type: approval, reviewers: { roles: [editor] }, approved: join-1, rejected: end-2 }
  approval-2: { type: approval, reviewers: { roles: [viewer] }, approved: join-1, rejected: end-2 }
  join-1: { type: join, next: end-1 }
  end-1: { type: end, outcome: approved }
  end-2: { type: end, outcome: rejected }
`);

/**
 * A rule author builds a two-step parallel approval flow from an empty canvas in real Chromium:
 * drags nodes from the palette, connects handles, sees a validation error on a node and fixes
 * it, publishes, and the published YAML equals the expected document.
 */
describe('rule editor (Chromium)', () => {
  const suite = browserSuite([['rita', 'rule-author']], { worker: false });

  const drop = async (page: Page, type: string, x: number, y: number) => {
    await page
      .getByTestId(`palette-${type}`)
      .dragTo(page.getByTestId('canvas'), { targetPosition: { x, y } });
  };
  const connect = async (page: Page, from: string, handle: string, to: string) => {
    await page.getByTestId(`handle-${from}-${handle}`).dragTo(page.getByTestId(`target-${to}`));
  };
  const select = async (page: Page, node: string) => {
    await page.getByTestId(`node-${node}`).locator('.fnode-id').click();
  };

  it('draws, validates, fixes and publishes a two-step parallel approval', async () => {
    const page = await signedInPage(suite.browser, suite.url, 'rita');
    await page.goto(`${suite.url}/#/rules`);
    await page.getByLabel('New rule set').fill('campaign-approvals');
    await page.getByRole('button', { name: 'New rule set' }).click();
    await page.getByLabel('Add flow').fill('hi-res');
    await page.getByRole('button', { name: 'Add flow' }).click();

    await drop(page, 'start', 60, 10);
    await drop(page, 'parallel', 320, 10);
    await drop(page, 'approval', 140, 120);
    await drop(page, 'approval', 500, 120);
    await drop(page, 'join', 320, 230);
    await drop(page, 'end', 160, 320);
    await drop(page, 'end', 500, 320);
    for (const id of ['start-1', 'parallel-1', 'approval-1', 'approval-2', 'join-1', 'end-1', 'end-2']) {
      await page.getByTestId(`node-${id}`).waitFor();
    }

    await connect(page, 'start-1', 'next', 'parallel-1');
    await connect(page, 'parallel-1', 'branch', 'approval-1');
    await connect(page, 'parallel-1', 'branch', 'approval-2');
    await connect(page, 'parallel-1', 'join', 'join-1');
    await connect(page, 'approval-1', 'approved', 'join-1');
    await connect(page, 'approval-1', 'rejected', 'end-2');
    await connect(page, 'approval-2', 'approved', 'join-1');
    await connect(page, 'approval-2', 'rejected', 'end-2');
    await connect(page, 'join-1', 'next', 'end-1');

    await select(page, 'end-2');
    await page.getByRole('form', { name: 'Settings' }).getByLabel('Outcome').selectOption('rejected');

    const setRoles = async (node: string, value: string) => {
      await select(page, node);
      const roles = page.getByRole('form', { name: 'Settings' }).getByLabel('Reviewer roles');
      await roles.fill(value);
      await roles.blur();
    };
    await setRoles('approval-2', 'viewer');
    // A role the rule set does not declare: the error shows on the node, and publishing is off.
    await setRoles('approval-1', 'brand-manager');
    await page.getByTestId('node-approval-1').getByRole('alert').waitFor();
    await expectText(page.getByTestId('node-approval-1').getByRole('alert'), /brand-manager/);
    await screenshot(page, 'rule-editor-error');
    expect(await page.getByRole('button', { name: 'Publish' }).isDisabled()).toBe(true);

    await setRoles('approval-1', 'editor');
    await page.getByTestId('node-approval-1').getByRole('alert').waitFor({ state: 'detached' });
    await page.getByText('No problems.').waitFor();
    await screenshot(page, 'rule-editor');

    await page.getByRole('button', { name: 'Publish' }).click();
    const dialog = page.getByRole('dialog');
    await expectText(dialog, /\+ +hi-res:/);
    await dialog.getByRole('button', { name: 'Publish' }).click();
    await page.getByRole('status').getByText('Published version 1').waitFor();

    const published = await suite.harness.http.get('/api/rule-sets/campaign-approvals').expect(200);
    expect(published.body.latest.version).toBe(1);
    expect(parse(published.body.latest.source).flows['hi-res']).toEqual(EXPECTED_FLOW);
    // The YAML pane shows exactly what was published.
    expect(parse(await page.getByTestId('yaml').inputValue())).toEqual(parse(published.body.latest.source));
  }, 120_000);
});

describe('rule editor dry run (Chromium)', () => {
  const suite = browserSuite([['rita', 'rule-author']], { worker: false });

  it('opens a published rule set laid out, and a dry run lights up the path and lists the timers', async () => {
    const page = await signedInPage(suite.browser, suite.url, 'rita');
    await page.goto(`${suite.url}/#/rules/luxury`);
    await page.getByTestId('node-first-approval').waitFor();
    const sample = readFileSync(
      path.join(__dirname, '..', '..', 'rules', 'examples', 'samples', 'luxury-event-photo.json'),
      'utf8',
    );
    await page.getByLabel('Dry-run sample').fill(sample);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const result = page.getByTestId('dry-run-result');
    await result.waitFor();
    for (const node of ['start', 'first-approval', 'second-approval', 'grant']) {
      expect(await page.getByTestId(`node-${node}`).getAttribute('class')).toContain('on-path');
    }
    expect(await page.getByTestId('node-rejected').getAttribute('class')).not.toContain('on-path');
    expect(await result.textContent()).toMatch(/\d{4}-\d{2}-\d{2} · /);
    await screenshot(page, 'rule-editor-dry-run');

    // The other sections are forms generated from the JSON Schema, writing to the same YAML.
    await page.getByLabel('Section', { exact: true }).selectOption('distribute');
    const form = page.getByTestId('section-form');
    await form.locator('summary', { hasText: 'medium' }).click();
    const width = form.getByLabel('distribute.renditions.medium.width');
    await width.fill('1200');
    await width.blur();
    await yamlContains(page, 'width: 1200');
    const yaml = parse(await page.getByTestId('yaml').inputValue());
    expect(yaml.distribute.renditions.medium).toEqual({
      width: 1200,
      fit: 'inside',
      format: 'jpeg',
      quality: 85,
      invisibleWatermark: true,
    });
    await page.getByLabel('Section', { exact: true }).selectOption('roles');
    const roles = page.getByTestId('section-form').getByLabel('roles', { exact: true });
    await roles.fill('brand-manager, reviewer, photographer, legal, employee, partner, agent, intern');
    await roles.blur();
    await yamlContains(page, 'intern');
    expect(parse(await page.getByTestId('yaml').inputValue()).roles).toContain('intern');
    await screenshot(page, 'rule-editor-sections');
  }, 60_000);

  it('keeps where the author put a node: saved in the rule set, restored when it is opened again', async () => {
    const page = await signedInPage(suite.browser, suite.url, 'rita');
    await page.goto(`${suite.url}/#/rules/automotive`);
    await page.getByLabel('Flow', { exact: true }).selectOption('supplier-access');
    const node = page.locator('.react-flow__node[data-id="grant"]');
    await node.waitFor();
    // The flow is fitted to the view just after it is laid out: grab the node once it stays put.
    const before = await settledBox(page, node);
    await page.mouse.move(before!.x + before!.width / 2, before!.y + 8);
    await page.mouse.down();
    await page.mouse.move(before!.x + before!.width / 2 + 180, before!.y + 8 + 90, { steps: 12 });
    await page.mouse.up();
    await yamlContains(page, 'layout:');
    const saved = parse(await page.getByTestId('yaml').inputValue()).layout.flows['supplier-access'].grant;
    expect(saved).toEqual({ x: expect.any(Number), y: expect.any(Number) });
    const transform = async () =>
      (await node.getAttribute('style'))?.match(/translate\(([-\d.]+)px, ([-\d.]+)px\)/)?.slice(1);

    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Publish' }).click();
    await page
      .getByRole('status')
      .getByText(/Published version/)
      .waitFor();
    const published = await suite.harness.http.get('/api/rule-sets/automotive').expect(200);
    expect(parse(published.body.latest.source).layout.flows['supplier-access'].grant).toEqual(saved);

    // Opened afresh, the node is where it was put, not where the automatic layout would place it.
    await page.reload();
    await page.getByLabel('Flow', { exact: true }).selectOption('supplier-access');
    await node.waitFor();
    expect((await transform())?.map(Number)).toEqual([saved.x, saved.y]);
  }, 60_000);
  it('draws a published flow legibly: titles of 12 px or more, fitted to the canvas, a minimap when large', async () => {
    /** Opens a rule set's first flow in a fresh page of this height, once its fit has settled. */
    const open = async (ruleSet: string, height: number) => {
      const page = await signedInPage(suite.browser, suite.url, 'rita', { width: 1280, height });
      await page.goto(`${suite.url}/#/rules/${ruleSet}`);
      await page.locator('.fnode').first().waitFor();
      const viewport = page.locator('.react-flow__viewport');
      let before = '';
      for (let tries = 0; tries < 50; tries++) {
        await page.waitForTimeout(100);
        const now = (await viewport.getAttribute('style')) ?? '';
        if (now === before && !now.includes('scale(1)')) break;
        before = now;
      }
      return page;
    };
    // Each title's size as drawn: its font size times the canvas zoom (its drawn / laid-out width).
    const drawnTitleSizes = (page: Page) =>
      page.locator('.fnode-id').evaluateAll((titles) =>
        titles.map((title) => {
          const el = title as unknown as { offsetWidth: number; getBoundingClientRect(): { width: number } };
          const style = (
            globalThis as unknown as { getComputedStyle(e: unknown): { fontSize: string } }
          ).getComputedStyle(title);
          return (parseFloat(style.fontSize) * el.getBoundingClientRect().width) / el.offsetWidth;
        }),
      );
    const onCanvas = async (page: Page) => {
      const box = (await page.getByTestId('canvas').boundingBox())!;
      const inside = [];
      for (const node of await page.locator('.fnode').all()) {
        const b = (await node.boundingBox())!;
        inside.push(
          b.x >= box.x &&
            b.y >= box.y &&
            b.x + b.width <= box.x + box.width &&
            b.y + b.height <= box.y + box.height,
        );
      }
      return inside;
    };

    // Eight steps (a parallel review) in a 800 px window: fitted whole, titles ≥ 12 px, a minimap.
    const tall = await open('automotive', 800);
    expect(await onCanvas(tall)).toEqual(Array(8).fill(true));
    for (const size of await drawnTitleSizes(tall)) expect(size).toBeGreaterThanOrEqual(12);
    await tall.getByRole('img', { name: 'Overview of the flow' }).waitFor();
    await screenshot(tall, 'rule-editor-legible');
    await tall.context().close();

    // The same flow in a 560 px window does not fit at a legible zoom: it is shown in part, titles
    // still ≥ 12 px (a plain fit would have zoomed out to about 0.6).
    const short = await open('automotive', 560);
    expect((await onCanvas(short)).includes(false)).toBe(true);
    for (const size of await drawnTitleSizes(short)) expect(size).toBeGreaterThanOrEqual(12);
    await short.context().close();

    // Seven steps: no minimap; titles as large.
    const luxury = await open('luxury', 800);
    for (const size of await drawnTitleSizes(luxury)) expect(size).toBeGreaterThanOrEqual(12);
    expect(await luxury.locator('.react-flow__minimap').count()).toBe(0);
    await luxury.context().close();
  }, 90_000);
});

async function settledBox(page: Page, node: Locator) {
  let box = await node.boundingBox();
  for (let i = 0; i < 50; i++) {
    await page.waitForTimeout(100);
    const next = await node.boundingBox();
    if (box && next && box.x === next.x && box.y === next.y && box.width === next.width) return next;
    box = next;
  }
  throw new Error('the node never stopped moving');
}

async function yamlContains(page: Page, text: string): Promise<void> {
  for (let i = 0; i < 50 && !(await page.getByTestId('yaml').inputValue()).includes(text); i++) {
    await page.waitForTimeout(100);
  }
  expect(await page.getByTestId('yaml').inputValue()).toContain(text);
}

async function expectText(
  locator: { textContent(): Promise<string | null> },
  pattern: RegExp,
): Promise<void> {
  expect(await locator.textContent()).toMatch(pattern);
}
