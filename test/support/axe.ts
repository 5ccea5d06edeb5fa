import assert from 'node:assert/strict';
import axe from 'axe-core';
import type { Page } from 'playwright-core';

/** The rule sets of WCAG 2.1 levels A and AA (axe-core's tags). */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
export const WIDTHS = [360, 1280] as const;

/**
 * axe-core's serious and critical violations on the page as it is now, one line each.
 *
 * The pages send a strict Content-Security-Policy (script-src 'self', no inline script), so
 * `page.addScriptTag({ content })` would be refused, and a context with `bypassCSP: true` would test pages without
 * the policy they really run under. Instead the source goes in through page.evaluate (CDP Runtime.evaluate, which
 * the page's CSP does not govern), so the page keeps its own policy and any CSP violation still shows.
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axe.source);
  const results = await page.evaluate(async (tags) => {
    const run = (window as unknown as { axe: typeof axe }).axe.run;
    return run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
  }, WCAG_TAGS);
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.help}, at ${violation.nodes.slice(0, 3).map((node) => node.target.join(' ')).join('; ')}`);
}

/**
 * Runs axe at 360 and 1280 px and fails on any serious or critical violation; also fails when the page scrolls
 * sideways at 360 px. Leaves the page at 1280 px.
 */
export async function assertAccessible(page: Page, name: string): Promise<void> {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: width === 360 ? 780 : 900 });
    assert.deepEqual(await seriousViolations(page), [], `${name} at ${width} px (${page.url()})`);
    if (width === 360) {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `${name} scrolls sideways at 360 px (${overflow} px)`);
    }
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}
