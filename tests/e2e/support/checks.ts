/**
 * What the accessibility and language tests check on a page, and the words they look for:
 * axe-core with the WCAG 2.2 A and AA rules, touch targets of at least 48 by 48 pixels, and
 * any interface string in any language, read from the translation files (never written into
 * a test, so a test in Persian finds what a Persian reader sees).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Page } from '@playwright/test';
import { interfaceOf } from '../../../src/lib/i18n/languages';
import { axeViolations } from './axe';

export const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

const LOCALES = join(import.meta.dirname, '../../../src/lib/i18n/locales');

type Words = Record<string, unknown>;

/** A lookup of one namespace's strings in a language, `{{name}}` filled from `values`. */
export function words(
	lang: string,
	ns: string
): (key: string, values?: Record<string, string>) => string {
	// Plain German has the German interface.
	const file = JSON.parse(
		readFileSync(join(LOCALES, interfaceOf(lang), `${ns}.json`), 'utf8')
	) as Words;
	return (key, values = {}) => {
		const found = key.split('.').reduce<unknown>((node, part) => (node as Words)?.[part], file);
		if (typeof found !== 'string') throw new Error(`no ${lang}/${ns} ${key}`);
		return found.replace(/\{\{(\w+)\}\}/g, (_, name: string) => values[name] ?? '');
	};
}

export async function expectNoViolations(page: Page, where: string, tags = WCAG): Promise<void> {
	const violations = await axeViolations(page, tags);
	const summary = violations.map(
		(v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`
	);
	expect(summary, `axe violations on ${where}`).toEqual([]);
}

/** Visible buttons, links and fields smaller than 48 by 48 pixels (radios and checkboxes are
 * tapped by their whole label). */
export async function smallTargets(page: Page): Promise<string[]> {
	return page.evaluate(() =>
		[...document.querySelectorAll<HTMLElement>('button, a, input, select')]
			.filter(
				(el) =>
					el.offsetParent !== null &&
					!el.classList.contains('skip') &&
					!(el instanceof HTMLInputElement && (el.type === 'radio' || el.type === 'checkbox'))
			)
			.map((el) => ({ el, box: el.getBoundingClientRect() }))
			.filter(({ box }) => box.width < 48 || box.height < 48)
			.map(({ el, box }) => `${el.tagName} "${el.textContent?.trim()}" ${box.width}x${box.height}`)
	);
}

/** No axe violations and no touch target under 48 by 48 pixels. */
export async function checkPage(page: Page, where: string): Promise<void> {
	await expectNoViolations(page, where);
	expect(await smallTargets(page), `small targets on ${where}`).toEqual([]);
}

/**
 * The page once more as the device asks for more contrast, at 200 % text: nothing to scroll
 * sideways and no violation. Where the page has a strong theme (the tablet's pages, not the
 * office) it must switch on, and then WCAG AAA contrast (7:1) is checked too. Afterwards the
 * page is as it was.
 */
export async function strongAndLarge(
	page: Page,
	where: string,
	{ theme, also }: { theme: boolean; also?: () => Promise<void> }
): Promise<void> {
	const html = page.locator('html');
	await page.emulateMedia({ contrast: 'more' });
	if (theme) await expect(html).toHaveAttribute('data-contrast', 'high');
	const style = await page.addStyleTag({ content: 'html { font-size: 200% !important; }' });
	const sideways = await page.evaluate(
		() => document.documentElement.scrollWidth - document.documentElement.clientWidth
	);
	expect(sideways, `no sideways scrolling on ${where}`).toBeLessThanOrEqual(1);
	await expectNoViolations(page, where, theme ? [...WCAG, 'wcag2aaa'] : WCAG);
	await also?.();
	await style.evaluate((element) => (element as Element).remove());
	await page.emulateMedia({ contrast: null });
	if (theme) await expect(html).toHaveAttribute('data-contrast', 'normal');
}
