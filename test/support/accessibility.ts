import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

/** axe-core's browser build, read once (it defines `window.axe` when evaluated in a page). */
let axeSource: string | undefined;

/**
 * The serious and critical accessibility problems axe-core (the engine behind Lighthouse's and
 * Deque's checks) finds on the page as it is now, one line each: rule, impact, the elements.
 * Evaluated through the DevTools protocol, so the app's Content-Security-Policy (no inline
 * scripts) does not stop it and the app itself loads nothing extra.
 */
export async function seriousAccessibilityProblems(page: Page): Promise<string[]> {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    // Runs in the page: the browser's globals, typed here by hand (the tests compile without DOM types).
    const { axe, document } = globalThis as unknown as {
      axe: { run(context: unknown, options: object): Promise<AxeResults> };
      document: unknown;
    };
    const results = await axe.run(document, { resultTypes: ['violations'] });
    return results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  return violations;
}

interface AxeResults {
  violations: Array<{ id: string; impact: string | null; nodes: Array<{ target: string[] }> }>;
}
