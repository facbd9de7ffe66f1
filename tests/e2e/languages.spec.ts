/**
 * Every learner in their language, and able to see: a profile made in each of the six
 * languages, and in plain German, shows the home, a course, a lesson and the learner's own
 * page in that language (words read from the translation files and the course packs, not
 * written here), right to left in Arabic and Persian, with no WCAG 2.2 A/AA violation, and
 * none either at 200 % text with the tablet asking for more contrast (WCAG AAA contrast
 * included, nothing cut off sideways). Strong contrast and 200 % text chosen on the learner's
 * page hold on every one of those pages and end with the learner. Every office page in every
 * interface language, also at 200 % text. Screenshots of Arabic pages are kept with the test
 * results.
 */
import type { Page } from '@playwright/test';
import { LANGUAGES } from '../../src/lib/i18n/languages';
import { expect, test } from './support/fixtures';
import { loadPack } from './support/solver';
import { addCoordinator, signInToOffice, withOffice } from './support/office';
import { fillDemoCity } from '../../scripts/demo';
import { WCAG, expectNoViolations, strongAndLarge, words } from './support/checks';

test.use({ bypassCSP: true }); // axe is injected as a script

/**
 * The pages a learner sees, checked one by one: home, a course, a lesson step, the end of a
 * lesson, their page.
 */
async function learnerPages(page: Page, lang: string, check: (where: string) => Promise<void>) {
	const common = words(lang, 'common');
	const pack = loadPack('tablet-basics', lang);
	await page
		.getByRole('link', { name: common('home.overview') })
		.first()
		.click();
	await expect(page.getByRole('heading', { name: pack.title, level: 1 })).toBeVisible();
	await check(`the course overview (${lang})`);
	const lesson = pack.lessons[0]!;
	await page.goto(`/learn/${pack.id}/${lesson.id}`);
	const first = lesson.steps[0]!;
	if ('title' in first && first.title) {
		await expect(page.getByRole('heading', { name: first.title })).toBeVisible();
	}
	await check(`a lesson step (${lang})`);
	// The page a learner reaches at the end of a lesson (it shows the course's progress as is).
	await page.goto(`/learn/${pack.id}/${lesson.id}/done`);
	await expect(page.getByRole('heading', { name: lesson.title, level: 2 })).toBeVisible();
	await check(`the end of a lesson (${lang})`);
	await page.goto('/learn/me');
	await expect(
		page.getByRole('heading', { name: words(lang, 'device')('me.title'), level: 1 })
	).toBeVisible();
	await check(`the learner's page (${lang})`);
}

async function newProfileIn(page: Page, lang: string, name: string): Promise<void> {
	await page.goto('/profile/new');
	const language = LANGUAGES.find((l) => l.code === lang)!;
	await page.getByRole('button', { name: language.name, exact: true }).click();
	const common = words(lang, 'common');
	await page.getByLabel(common('profile.name')).fill(name);
	await page.getByRole('radio').first().check();
	await page.getByRole('button', { name: common('profile.create') }).click();
	await expect(
		page.getByRole('heading', { name: common('home.greeting', { name }) })
	).toBeVisible();
}

for (const { code, dir } of LANGUAGES) {
	test(`a learner in ${code} sees every page in ${code}, ${dir}, without WCAG violations`, async ({
		page
	}, testInfo) => {
		test.setTimeout(180_000);
		await newProfileIn(page, code, 'Mira');
		const html = page.locator('html');
		await expect(html).toHaveAttribute('lang', code);
		await expect(html).toHaveAttribute('dir', dir);
		await expect(
			page.getByRole('heading', { name: loadPack('tablet-basics', code).title })
		).toBeVisible();
		const strong = (where: string) =>
			strongAndLarge(page, `${where}, 200 % text, more contrast asked for`, { theme: true });
		await expectNoViolations(page, `the learner home (${code})`);
		await strong(`the learner home (${code})`);
		if (dir === 'rtl') {
			// Mirrored: the name of the app, first in the header, sits at the right.
			const brand = (await page.getByRole('banner').getByRole('link').first().boundingBox())!;
			expect(brand.x, 'the brand starts right of the middle').toBeGreaterThan(
				page.viewportSize()!.width / 2
			);
			await page.screenshot({ path: testInfo.outputPath(`home-${code}.png`), fullPage: true });
		}
		await learnerPages(page, code, async (where) => {
			await expectNoViolations(page, where);
			await strong(where);
			if (dir === 'rtl' && where.startsWith('a lesson')) {
				await page.screenshot({ path: testInfo.outputPath(`lesson-${code}.png`), fullPage: true });
			}
		});
	});
}

test('strong contrast and 200 % text hold on every learner page, at WCAG AAA contrast', async ({
	page
}) => {
	test.setTimeout(120_000);
	await newProfileIn(page, 'de', 'Erna');
	const device = words('de', 'device');
	await page.goto('/learn/me');
	await page.getByRole('radio', { name: device('display.contrasts.high') }).check();
	await expect(page.getByText(device('display.saved'))).toBeVisible();
	await page.getByRole('radio', { name: device('display.sizes.200') }).check();
	const html = page.locator('html');
	await expect(html).toHaveAttribute('data-contrast', 'high');
	await expect(html).toHaveCSS('font-size', '32px');

	// Kept with the profile: a reload and a new visit keep it.
	await page.reload();
	await expect(page.getByRole('radio', { name: device('display.sizes.200') })).toBeChecked();
	await expect(html).toHaveCSS('font-size', '32px');

	await page.goto('/learn');
	const check = async (where: string) => {
		await expectNoViolations(page, where, [...WCAG, 'wcag2aaa']);
		const sideways = await page.evaluate(
			() => document.documentElement.scrollWidth - document.documentElement.clientWidth
		);
		expect(sideways, `${where} scrolls sideways at 200 %`).toBeLessThanOrEqual(1);
	};
	await check('the learner home');
	await learnerPages(page, 'de', check);

	// Another person on the same tablet starts with the normal display again.
	await page.getByRole('button', { name: words('de', 'common')('app.switchLearner') }).click();
	await expect(html).toHaveAttribute('data-contrast', 'normal');
	await expect(html).not.toHaveCSS('font-size', '32px');
});

/** Every office page an admin sees, on the demo city; the office follows the browser's language. */
const QUARTER = 'period=quarter&value=2026-Q3';
const OFFICE_PAGES = [
	'/office',
	'/office/reports',
	`/office/reports?${QUARTER}`,
	`/office/reports/sessions?${QUARTER}`,
	`/office/reports/print?${QUARTER}`,
	'/office/learners',
	'/office/learners?q=an',
	'/office/devices',
	'/office/courses',
	'/office/courses/tablet-basics?edit=de',
	'/office/courses/tablet-basics/preview/live',
	'/office/city',
	'/office/locations',
	'/office/staff',
	'/office/audit',
	'/office/privacy',
	'/office/account'
];
/** Pages reached by the first link in a page's table: an attendance list, a learner's data. */
const FOLLOWED = [`/office/reports/sessions?${QUARTER}`, '/office/learners?q=an'];

for (const lang of new Set(LANGUAGES.map((l) => l.ui))) {
	test(`every office page in ${lang} has no WCAG 2.2 A/AA violation, also at 200 % text`, async ({
		browser,
		server
	}) => {
		test.setTimeout(300_000);
		// The office follows the browser's language.
		const dir = LANGUAGES.find((l) => l.code === lang)!.dir;
		const check = async (page: Page, where: string) => {
			await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
			await expect(page.locator('html')).toHaveAttribute('lang', lang);
			await expect(page.locator('html')).toHaveAttribute('dir', dir);
			await expectNoViolations(page, `${where} (${lang})`);
			await strongAndLarge(page, `${where} (${lang}, 200 % text, more contrast asked for)`, {
				theme: false
			});
		};
		// Before anyone has set the office up, and then to someone not signed in.
		const stranger = await browser.newContext({ locale: lang, bypassCSP: true });
		const outside = await stranger.newPage();
		await outside.goto('/office/setup');
		await check(outside, '/office/setup');

		const admin = { email: 'ada@stadt.example', password: 'Büro in jeder Sprache 2026' };
		await withOffice(server, (office) =>
			fillDemoCity(office, { now: new Date(2026, 9, 10, 12, 0), seed: 'e2e' })
		);
		await addCoordinator(server, admin.email, admin.password, 'Ada Admin', 'admin');
		await outside.goto('/office/sign-in');
		await check(outside, '/office/sign-in');
		await stranger.close();
		const german = await browser.newContext({ locale: 'de' });
		await signInToOffice(await german.newPage(), admin.email, admin.password);
		const signedIn = await german.storageState();
		await german.close();

		const context = await browser.newContext({
			locale: lang,
			storageState: signedIn,
			bypassCSP: true
		});
		const page = await context.newPage();
		for (const path of OFFICE_PAGES) {
			await page.goto(path);
			await check(page, path);
		}
		for (const path of FOLLOWED) {
			await page.goto(path);
			await page.getByRole('table').first().getByRole('link').first().click();
			await expect(page).not.toHaveURL(path);
			await check(page, `the first link of ${path}`);
		}
		await context.close();
	});
}
