// axe-core in a real page: the accessibility rules a screen-reader user depends on, checked on
// what the page shows right now. Serious and critical findings fail a test; the rest are noise here.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeFinding { id: string; impact: string; help: string; targets: string[] }

/** The serious and critical findings on the page as it is now (an empty list is a pass). */
export async function axeFindings(page: Page): Promise<AxeFinding[]> {
  // Evaluated, not added as a script tag: the pages' CSP refuses inline scripts.
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.evaluate(`${AXE_SOURCE};0`);
  const found = await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({
    id: v.id, impact: v.impact || '', help: v.help, targets: v.nodes.slice(0, 4).map((n) => n.target.join(' ')),
  })))`) as AxeFinding[];
  return found.filter((f) => f.impact === 'serious' || f.impact === 'critical');
}

/** One line per finding, for an assertion message. */
export const describeFindings = (list: AxeFinding[]) => list.map((f) => `${f.impact} ${f.id}: ${f.help} — ${f.targets.join(', ')}`).join('\n');
