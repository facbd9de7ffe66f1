/**
 * The tablet's own pages and volunteer mode in every interface language: a tablet whose
 * browser speaks the language is enrolled, a learner gets a card and a PIN, a volunteer signs
 * in, plans a session, signs the learner up, marks her present, takes in a walk-in, changes
 * and closes the session. Each page on the way has `lang` and `dir` set and no WCAG 2.2 A/AA
 * violation, and none either at 200 % text with the tablet asking for more contrast (WCAG AAA
 * contrast included), without sideways scrolling. The words are read from the translation files and course packs.
 * Every button, link and field is at least 48 by 48 pixels, whatever the length of its words.
 */
import { LANGUAGES } from '../../src/lib/i18n/languages';
import { expectNoViolations, smallTargets, strongAndLarge, words } from './support/checks';
import { createProfile, expect, test } from './support/fixtures';
import {
	addVolunteer,
	enrolTablet as enrolTabletInGerman,
	enrolmentCode,
	seedPlace
} from './support/office';
import { finishCourse, loadPack } from './support/solver';
import { openVolunteerMode, planSession, unlockWithPin } from './support/volunteer';

test.use({ bypassCSP: true }); // axe is injected as a script

/** Where to keep a screenshot of every page checked, to look at (when set). */
const SHOTS = process.env.SCREENSHOTS_DIR;

for (const lang of new Set(LANGUAGES.map((l) => l.ui))) {
	test(`the tablet and volunteer pages in ${lang} have no WCAG violation, also at 200 % text in strong contrast`, async ({
		browser,
		server
	}) => {
		test.setTimeout(240_000);
		const common = words(lang, 'common');
		const device = words(lang, 'device');
		const sessions = words(lang, 'sessions');
		const dir = LANGUAGES.find((l) => l.code === lang)!.dir;
		// The tablet's language follows its browser until someone chooses another.
		const context = await browser.newContext({
			locale: lang,
			viewport: { width: 820, height: 1180 },
			bypassCSP: true
		});
		const page = await context.newPage();
		const check = async (where: string) => {
			await expect(page.locator('html')).toHaveAttribute('lang', lang);
			await expect(page.locator('html')).toHaveAttribute('dir', dir);
			await expectNoViolations(page, `${where} (${lang})`);
			expect(await smallTargets(page), `small targets on ${where} (${lang})`).toEqual([]);
			await strongAndLarge(page, `${where} (${lang}, 200 % text, strong contrast)`, {
				theme: true,
				also: async () => {
					if (!SHOTS) return;
					const name = `${lang}-${where.replace(/\W+/g, '-')}`;
					await page.screenshot({ path: `${SHOTS}/tablet-${name}.png`, fullPage: true });
				}
			});
		};

		const place = await seedPlace(server);
		await page.goto('/device');
		await expect(
			page.getByRole('heading', { name: device('enrol.title'), level: 1 })
		).toBeVisible();
		await check('the tablet page, not enrolled');
		await page
			.getByLabel(device('enrol.code'), { exact: true })
			.fill((await enrolmentCode(server, place)).toLowerCase());
		await page.getByRole('button', { name: device('enrol.submit') }).click();
		await expect(
			page.getByText(device('enrol.enrolledAt', { place: 'Stadtbibliothek Mitte' }))
		).toBeVisible();
		await check('the tablet page, enrolled');

		await page.goto('/');
		await expect(page.getByRole('link', { name: common('picker.newProfile') })).toBeVisible();
		await check('the picture screen, nobody yet');
		await page.getByRole('link', { name: common('picker.newProfile') }).click();
		await check('a new profile');
		await page.getByRole('button', { name: common('profile.create') }).click();
		await expect(page.getByText(common('profile.nameError.required'))).toBeVisible();
		await check('a new profile without a name');
		await page.getByLabel(common('profile.name'), { exact: true }).fill('Erna');
		await page.getByRole('radio', { name: common('avatar.sun') }).check();
		await page.getByRole('button', { name: common('profile.create') }).click();
		await expect(
			page.getByRole('heading', { name: common('home.greeting', { name: 'Erna' }) })
		).toBeVisible();
		await page.goto('/device');
		await page.getByRole('link', { name: 'Erna' }).click();
		await page.getByRole('button', { name: device('card.make') }).click();
		await expect(page.getByRole('img', { name: device('card.qrLabel') })).toBeVisible();
		await check('the learner card and PIN page');
		await page.getByRole('button', { name: common('app.switchLearner') }).click();
		await expect(page.getByRole('button', { name: 'Erna' })).toBeVisible();
		await check('the picture screen with a learner');

		await page.goto('/card');
		await page.getByRole('button', { name: device('card.redeem') }).click();
		await expect(page.getByRole('alert')).toBeVisible();
		await check('the learner card page with a wrong code');

		await addVolunteer(server, place, 'vera@example.org', 'ein-langes-passwort');
		await openVolunteerMode(page, 'vera@example.org', 'ein-langes-passwort', '480317', lang);
		await check('volunteer mode with the sessions list');
		await page.getByRole('link', { name: sessions('list.new') }).click();
		await check('a new session');
		await page.getByRole('button', { name: sessions('new.save') }).click();
		await expect(page.getByText(sessions('form.problem.title.required'))).toBeVisible();
		await check('a new session with mistakes');
		await page.getByRole('link', { name: sessions('backToVolunteer') }).click();

		const course = loadPack('tablet-basics', lang).title;
		await planSession(page, { title: 'Dienstagsrunde', course, weeks: 2 }, lang);
		await check('an empty session');
		await page.getByRole('button', { name: sessions('signUp.button') }).click();
		await check('signing someone up');
		await page.getByRole('button', { name: sessions('signUp.add', { name: 'Erna' }) }).click();
		await page
			.getByRole('group', { name: 'Erna' })
			.getByRole('button', { name: sessions('mark.present'), exact: true })
			.click();
		await page.getByRole('button', { name: sessions('roster.addNote') }).click();
		await check('the roster with a note being written');

		await page.getByRole('link', { name: sessions('walkIn.button') }).click();
		await check('a walk-in');
		await page.getByLabel(common('profile.name'), { exact: true }).fill('Erna');
		await page.getByRole('button', { name: sessions('walkIn.save') }).click();
		await expect(page.getByRole('alert')).toBeVisible();
		await check('a walk-in with a name already known');
		await page.getByRole('button', { name: sessions('walkIn.newPersonAnyway') }).click();
		await expect(
			page.getByRole('article', { name: device('card.cardLabel', { name: 'Erna' }) })
		).toBeVisible();
		await check('a walk-in with the card to print');
		await page.getByRole('link', { name: sessions('walkIn.backToList') }).click();

		await page.getByRole('link', { name: sessions('session.edit') }).click();
		await check('changing a session of a series');
		await page.getByRole('link', { name: sessions('edit.back') }).click();
		await page.getByRole('button', { name: sessions('close.button') }).click();
		await page.getByRole('button', { name: sessions('close.confirm') }).click();
		await expect(page.getByRole('region', { name: sessions('summary.title') })).toBeVisible();
		await check('a closed session with its summary');

		await page.reload();
		await check('the volunteer PIN pad after a reload');
		await unlockWithPin(page, '480317', lang);
		await page.getByRole('button', { name: device('volunteer.lock') }).click();
		await check('volunteer mode, locked');
		await context.close();
	});
}

test('the certificate page in every interface language has no WCAG violation, also at 200 % text in strong contrast', async ({
	page,
	server
}) => {
	test.setTimeout(300_000);
	// A learner finishes the course in German; the page around her certificate follows the
	// tablet's language, the certificate stays in hers.
	const pack = loadPack('tablet-basics');
	const place = await enrolTabletInGerman(page, server);
	await addVolunteer(server, place, 'vera@example.org', 'ein-langes-passwort');
	await createProfile(page, 'Şükrü');
	await finishCourse(page, pack);
	const learnerId = await page.evaluate(() => sessionStorage.getItem('lernlotse.activeLearner'));
	await page.getByRole('button', { name: words('de', 'common')('app.switchLearner') }).click();
	await openVolunteerMode(page, 'vera@example.org', 'ein-langes-passwort');

	for (const lang of new Set(LANGUAGES.map((l) => l.ui))) {
		const language = LANGUAGES.find((l) => l.code === lang)!;
		await page.goto('/');
		await page.getByRole('button', { name: language.name, exact: true }).click();
		await expect(page.locator('html')).toHaveAttribute('lang', lang);
		await page.goto(`/volunteer/certificate/${learnerId}/${pack.id}`);
		await unlockWithPin(page, '480317', lang);
		await expect(
			page.getByRole('article', { name: words('de', 'sessions')('certificate.heading') })
		).toContainText('Şükrü');
		await expect(page.locator('html')).toHaveAttribute('dir', language.dir);
		await expectNoViolations(page, `the certificate page (${lang})`);
		expect(await smallTargets(page), `small targets on the certificate page (${lang})`).toEqual([]);
		await strongAndLarge(page, `the certificate page (${lang}, 200 % text, strong contrast)`, {
			theme: true
		});
	}
});
