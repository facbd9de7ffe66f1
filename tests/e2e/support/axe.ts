/**
 * axe-core in the page under test. axe goes into each document once (a client-side navigation
 * keeps it) and runs there, reporting violations only. The Playwright adapter of axe injected it
 * again for every check and opened a blank page to finish each one: two thirds of the language
 * sweeps' time went into that (docs/decisions.md, "The accessibility checks run axe-core in the
 * page"). The app has no frames, which the adapter would have handled.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from '@playwright/test';

const SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface Violation {
	id: string;
	/** The CSS selectors of each element that fails the rule. */
	nodes: { target: string[] }[];
}

interface Axe {
	run(
		context: Document,
		options: { runOnly: { type: 'tag'; values: string[] }; resultTypes: string[] }
	): Promise<{ violations: { id: string; nodes: { target: unknown[] }[] }[] }>;
}

/** The page's violations of the rules with these tags (WCAG levels). */
export async function axeViolations(page: Page, tags: string[]): Promise<Violation[]> {
	if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(SOURCE);
	return page.evaluate(async (values) => {
		const axe = (window as unknown as { axe: Axe }).axe;
		const { violations } = await axe.run(document, {
			runOnly: { type: 'tag', values },
			resultTypes: ['violations']
		});
		return violations.map((v) => ({
			id: v.id,
			nodes: v.nodes.map((n) => ({ target: n.target.map(String) }))
		}));
	}, tags);
}
