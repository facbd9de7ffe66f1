import type { Page } from '@playwright/test';
import type { PracticeStep } from '../../src/lib/domain/course/schema';
import { createProfile, expect, test } from './support/fixtures';
import { fillDemoCity } from '../../scripts/demo';
import { addVolunteer, enrolTablet, withOffice } from './support/office';
import { currentStepIndex, finishLesson, loadPack, solveStep } from './support/solver';
import { axeViolations } from './support/axe';
import { WCAG, checkPage, expectNoViolations, smallTargets } from './support/checks';

// axe is injected as a script, which the app's Content-Security-Policy would rightly block.
test.use({ bypassCSP: true });

test('the checks find what they look for: a nameless button, a missing label, a small target', async ({
	page
}) => {
	// The same checks that pass on every page of the app, on a page made to fail them.
	await page.setContent(`<html lang="de"><head><title>Probe</title></head><body><main>
		<button style="width:30px;height:30px"></button>
		<input type="text" style="box-sizing:border-box;width:200px;height:40px">
		<a href="#" style="display:inline-block;width:20px;height:20px">x</a>
	</main></body></html>`);
	const found = (await axeViolations(page, WCAG)).map((v) => v.id).sort();
	expect(found).toEqual(['button-name', 'label']);
	expect(await smallTargets(page)).toEqual(['BUTTON "" 30x30', 'INPUT "" 200x40', 'A "x" 20x20']);
});

test('every learner page, and every step kind, has no WCAG 2.2 A/AA violations', async ({
	page
}) => {
	test.setTimeout(300_000); // axe on some 30 pages, on 2 busy cores
	await page.goto('/');
	await expect(page.getByRole('heading', { name: 'Wer lernt heute?' })).toBeVisible();
	await expectNoViolations(page, 'the picture picker (empty)');

	await page.getByRole('link', { name: 'Neues Profil anlegen' }).click();
	await expectNoViolations(page, 'the new profile form');
	await page.getByRole('button', { name: 'Profil anlegen' }).click();
	await expect(page.getByText('Bitte schreiben Sie einen Namen in das Feld.')).toBeVisible();
	await expectNoViolations(page, 'the new profile form with an error');

	await createProfile(page, 'Erna');
	await expectNoViolations(page, 'the learner home');
	await page.getByRole('button', { name: 'Person wechseln' }).click();
	await expect(page.getByRole('button', { name: 'Erna' })).toBeVisible();
	await expectNoViolations(page, 'the picture picker with a learner');
	await page.getByRole('button', { name: 'Erna' }).click();

	for (const courseId of ['tablet-basics', 'citizens-office-appointment']) {
		const pack = loadPack(courseId);
		await page.goto(`/learn/${courseId}`);
		await expect(page.getByRole('heading', { name: pack.title, level: 1 })).toBeVisible();
		await expectNoViolations(page, `the overview of ${courseId}`);

		// One lesson page per step kind, before and after answering.
		const checked = new Set<string>();
		for (const lesson of pack.lessons) {
			for (const [index, step] of lesson.steps.entries()) {
				if (checked.has(step.kind)) continue;
				checked.add(step.kind);
				await page.goto(`/learn/${courseId}/${lesson.id}`);
				// The lesson opens where this learner left it, never past the step we want.
				for (let i = await currentStepIndex(page); i < index; i++) {
					await solveStep(page, lesson.steps[i]!);
					await page.getByRole('button', { name: 'Nächster Schritt' }).click();
				}
				await expectNoViolations(page, `${courseId}/${lesson.id}/${step.id} (${step.kind})`);
				await solveStep(page, step);
				await expectNoViolations(page, `${courseId}/${lesson.id}/${step.id} answered`);
			}
		}
	}

	const tablet = loadPack('tablet-basics');
	await page.goto(`/learn/${tablet.id}/${tablet.lessons[0]!.id}`);
	await finishLesson(page, tablet, tablet.lessons[0]!.id);
	await expectNoViolations(page, 'the lesson completion page');
});

test('at 200 % text size the lesson still fits and its controls stay usable', async ({ page }) => {
	const pack = loadPack('tablet-basics');
	await createProfile(page, 'Erna');
	await page.goto(`/learn/${pack.id}/${pack.lessons[0]!.id}`);
	await page.addStyleTag({ content: 'html { font-size: 200% !important; }' });
	await expectNoViolations(page, 'a lesson at 200 % text');
	const overflow = await page.evaluate(
		() => document.documentElement.scrollWidth - window.innerWidth
	);
	expect(overflow, 'no sideways scrolling at 200 % text').toBeLessThanOrEqual(0);
	await solveStep(page, pack.lessons[0]!.steps[0]!);
	await page.getByRole('button', { name: 'Nächster Schritt' }).click();
	await expect(page.getByText(`Schritt 2 von ${pack.lessons[0]!.steps.length}`)).toBeVisible();
});

test('touch targets of the lesson player are at least 48 by 48 CSS pixels', async ({ page }) => {
	const pack = loadPack('citizens-office-appointment');
	await createProfile(page, 'Erna');
	const lesson = pack.lessons.find((l) => l.steps.some((s) => s.kind === 'order'))!;
	await page.goto(`/learn/${pack.id}/${lesson.id}`);
	const small = await page.evaluate(() =>
		[...document.querySelectorAll<HTMLElement>('main button, main a, main input')]
			.filter(
				(el) =>
					el.offsetParent !== null &&
					!(el instanceof HTMLInputElement && (el.type === 'radio' || el.type === 'checkbox'))
			)
			.map((el) => ({ el, box: el.getBoundingClientRect() }))
			.filter(({ box }) => box.width < 48 || box.height < 48)
			.map(({ el, box }) => `${el.tagName} "${el.textContent?.trim()}" ${box.width}x${box.height}`)
	);
	expect(small).toEqual([]);
});

// The office face, signed in as the first admin, made through the setup page as a person would.

async function setUpOffice(page: Page, setupCode: string): Promise<void> {
	await page.getByLabel('Einrichtungscode', { exact: true }).fill(setupCode);
	await page.getByLabel('Name', { exact: true }).fill('Rita Reger');
	await page.getByLabel('E-Mail-Adresse').fill('rita.reger@stadt.example');
	await page.getByLabel('Passwort', { exact: true }).fill('Kaffee am Morgen 7');
	await page.getByLabel('Name des Ortes').fill('Stadtbibliothek Mitte');
	await page.getByRole('button', { name: 'Lernlotse einrichten' }).click();
}

test('every office page has no WCAG 2.2 A/AA violations and targets of at least 48 pixels', async ({
	page,
	server
}) => {
	test.setTimeout(180_000);
	const check = (where: string) => checkPage(page, where);
	const heading = (name: string) => page.getByRole('heading', { name, level: 1 });

	await page.goto('/office');
	await expect(heading('Lernlotse einrichten')).toBeVisible();
	await check('the setup page');
	await setUpOffice(page, 'AAAA-AAAA');
	await expect(page.getByText('Dieser Einrichtungscode stimmt nicht.')).toBeVisible();
	await check('the setup page with an error');
	await setUpOffice(page, await server.setupCode());
	await expect(heading('Übersicht')).toBeVisible();
	await check('the office home');

	await page.goto('/office/locations');
	await expect(heading('Orte')).toBeVisible();
	await page.getByRole('button', { name: 'Ort anlegen' }).click();
	await expect(page.getByText('Der Name braucht 2 bis 100 Zeichen.')).toBeVisible();
	await page.getByRole('button', { name: 'Bearbeiten: Stadtbibliothek Mitte' }).click();
	await check('the places, with an error and a place open for editing');

	await page.goto('/office/staff');
	await expect(heading('Mitarbeitende')).toBeVisible();
	await page.getByRole('button', { name: 'Konto anlegen' }).click();
	await expect(
		page.getByText('Bitte geben Sie eine vollständige E-Mail-Adresse ein')
	).toBeVisible();
	await page.getByRole('button', { name: 'Bearbeiten: Rita Reger' }).click();
	await check('the staff, with an error and an account open for editing');
	const create = page.locator('form', { has: page.getByRole('button', { name: 'Konto anlegen' }) });
	await create.getByLabel('Name', { exact: true }).fill('Kai Koordination');
	await create.getByLabel('E-Mail-Adresse').fill('kai@stadt.example');
	await create.getByLabel('Erstes Passwort').fill('Erstes Passwort 2026');
	await create.getByLabel('Rolle').selectOption({ label: 'Koordination' });
	await page.getByRole('button', { name: 'Konto anlegen' }).click();
	await expect(page.getByText('Das Konto ist angelegt.')).toBeVisible();
	await page.getByRole('button', { name: 'Passwort zurücksetzen: Kai Koordination' }).click();
	await check('the staff with the question before a password reset');
	await page
		.getByRole('button', { name: 'Ja, neues Passwort erstellen: Kai Koordination' })
		.click();
	await expect(page.getByText('Das neue Einmal-Passwort für Kai Koordination:')).toBeVisible();
	await check('the staff with a one-time password');
	const temporary = (await page.locator('.password').textContent())!.trim();

	await page.getByRole('button', { name: 'Abmelden' }).click();
	await expect(heading('Anmelden')).toBeVisible();
	await check('the sign-in page');
	await page.getByLabel('E-Mail-Adresse').fill('kai@stadt.example');
	await page.getByLabel('Passwort', { exact: true }).fill('falsch und falsch');
	await page.getByRole('button', { name: 'Anmelden' }).click();
	await expect(page.getByText('E-Mail-Adresse oder Passwort stimmen nicht.')).toBeVisible();
	await check('the sign-in page with an error');
	await page.getByLabel('Passwort', { exact: true }).fill(temporary);
	await page.getByRole('button', { name: 'Anmelden' }).click();
	await expect(heading('Mein Konto')).toBeVisible();
	await check('the account page asking for a new password');
	await page.getByLabel('Bisheriges Passwort').fill(temporary);
	await page.getByLabel('Neues Passwort').fill('kurz');
	await page.getByRole('button', { name: 'Passwort ändern' }).click();
	await expect(page.getByText('Das Passwort ist zu kurz.')).toBeVisible();
	await check('the account page with an error');
	await page.getByLabel('Bisheriges Passwort').fill(temporary);
	await page.getByLabel('Neues Passwort').fill('Kaffee am Abend 8');
	await page.getByRole('button', { name: 'Passwort ändern' }).click();
	await expect(page.getByText('Ihr Passwort ist geändert.')).toBeVisible();
	await check('the account page after the change');

	await page.goto('/office/devices');
	await expect(heading('Geräte')).toBeVisible();
	await page.getByRole('button', { name: 'Code erstellen' }).click();
	await expect(page.getByRole('img', { name: 'QR-Code zum Einrichten des Tablets' })).toBeVisible();
	const code = (await page.getByText(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/).textContent())!.trim();
	const enrolled = await page.request.post('/api/devices/enrol', {
		data: { code, deviceId: crypto.randomUUID(), name: 'Tablet 1' }
	});
	expect(enrolled.status()).toBe(200);
	await page.reload();
	await page.getByRole('button', { name: 'Sperren: Tablet 1' }).click();
	await check('the devices, with a device and the question before blocking it');

	await page.goto('/office/audit');
	await expect(heading('Das geht leider nicht')).toBeVisible();
	await check('the office error page (a coordinator may not read the log)');

	await page.getByRole('button', { name: 'Abmelden' }).click();
	await page.getByLabel('E-Mail-Adresse').fill('rita.reger@stadt.example');
	await page.getByLabel('Passwort', { exact: true }).fill('Kaffee am Morgen 7');
	await page.getByRole('button', { name: 'Anmelden' }).click();
	await expect(heading('Übersicht')).toBeVisible();
	await page.goto('/office/audit');
	await expect(heading('Protokoll')).toBeVisible();
	await check('the log');
});

test('office pages at 200 % text do not scroll sideways', async ({ page, server }) => {
	await page.goto('/office/setup');
	await setUpOffice(page, await server.setupCode());
	await expect(page.getByRole('heading', { name: 'Übersicht', level: 1 })).toBeVisible();
	for (const path of [
		'/office',
		'/office/staff',
		'/office/locations',
		'/office/devices',
		'/office/courses',
		'/office/courses/tablet-basics?edit=de',
		'/office/city'
	]) {
		await page.goto(path);
		await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
		await page.addStyleTag({ content: 'html { font-size: 200% !important; }' });
		const overflow = await page.evaluate(
			() => document.documentElement.scrollWidth - window.innerWidth
		);
		expect(overflow, `no sideways scrolling at 200 % text on ${path}`).toBeLessThanOrEqual(0);
	}
});

test('the course and city pages of the office, with their problems and the preview, have no WCAG 2.2 A/AA violations and large targets', async ({
	page,
	server
}) => {
	test.setTimeout(180_000);
	const check = (where: string) => checkPage(page, where);
	await page.goto('/office/setup');
	await setUpOffice(page, await server.setupCode());
	await expect(page.getByRole('heading', { name: 'Übersicht', level: 1 })).toBeVisible();

	await page.goto('/office/courses');
	await expect(page.getByRole('heading', { name: 'Kurse', level: 1 })).toBeVisible();
	await check('the course list');
	await page.getByRole('button', { name: 'Hochladen und prüfen' }).click();
	await expect(page.getByText('Bitte wählen Sie ein ZIP-Archiv aus.')).toBeVisible();
	await check('the course list with an upload refused');

	const pack = loadPack('job-application');
	await page.getByRole('link', { name: pack.title }).click();
	await page.getByRole('link', { name: 'Deutsch', exact: true }).click();
	const editor = page.getByLabel('Kursdatei: Deutsch');
	await editor.fill((await editor.inputValue()).replace('kind: explain', 'kind: video'));
	await page.getByRole('button', { name: 'Prüfen und als Entwurf speichern' }).click();
	await expect(page.getByRole('alert')).toContainText('unknown step kind');
	await check('a course being edited, with its problems');
	await editor.fill((await editor.inputValue()).replace('kind: video', 'kind: explain'));
	await page.getByRole('button', { name: 'Prüfen und als Entwurf speichern' }).click();
	await expect(page.getByText('Der Entwurf ist geprüft')).toBeVisible();
	await check('a course with a draft');

	// The preview, on a lesson with the file upload practice, in German and in Arabic.
	await page
		.getByRole('link', { name: /^Ansehen/ })
		.first()
		.click();
	const lessonIndex = pack.lessons.findIndex((l) => l.steps.some((st) => st.id === 'upload-cv'));
	const lesson = pack.lessons[lessonIndex]!;
	await page.getByRole('button', { name: lesson.title }).click();
	const stepIndex = lesson.steps.findIndex((st) => st.id === 'upload-cv');
	for (let i = 0; i < stepIndex; i++) {
		await page.getByRole('button', { name: 'Nächster Schritt' }).click();
	}
	// From the start screen to the one with the upload, as the practice leads there.
	const practice = lesson.steps[stepIndex]! as PracticeStep;
	const start = practice.screens.find((x) => x.id === practice.start)!;
	const next = start.elements.find(
		(e) =>
			e.kind === 'button' &&
			practice.screens.find((x) => x.id === e.goto)?.elements.some((u) => u.kind === 'upload')
	)! as { label: string };
	await page.getByRole('button', { name: next.label, exact: true }).click();
	await page.getByRole('button', { name: 'Datei auswählen' }).first().click();
	await check('the preview of a practice with the file picker open');
	await page.getByRole('link', { name: 'العربية' }).click();
	await expect(page.locator('section.learner[dir="rtl"]')).toBeVisible();
	await check('the preview in Arabic');

	await page.goto('/office/city');
	await page.getByLabel('Internetadresse der Stadt').fill('keine adresse');
	await page.getByRole('button', { name: 'Speichern', exact: true }).click();
	await expect(
		page.getByText('Bitte geben Sie eine Internetadresse wie musterstadt.de ein.')
	).toBeVisible();
	await check('the city page with an error');
});

// The tablet's own pages: enrolment, learner cards, PINs, volunteer mode.

test('the tablet pages have no WCAG 2.2 A/AA violations and targets of at least 48 pixels', async ({
	page,
	server
}) => {
	test.setTimeout(180_000);
	const check = (where: string) => checkPage(page, where);
	await page.goto('/device');
	await expect(page.getByRole('heading', { name: 'Dieses Tablet', level: 1 })).toBeVisible();
	await check('the tablet page, not enrolled');
	await page.getByLabel('Code vom Büro').fill('KMQ4');
	await page.getByRole('button', { name: 'Tablet verbinden' }).click();
	await expect(page.getByRole('alert')).toBeVisible();
	await check('the tablet page with a wrong code');

	await page.goto('/card');
	await page.getByRole('button', { name: 'Weiterlernen' }).click();
	await expect(page.getByRole('alert')).toBeVisible();
	await check('the learner card page with a wrong code');

	const place = await enrolTablet(page, server);
	await check('the tablet page, enrolled');
	await createProfile(page, 'Erna');
	await page.getByRole('link', { name: 'Erna' }).click();
	await page.getByRole('button', { name: 'Lernkarte erstellen' }).click();
	await expect(page.getByRole('img', { name: 'QR-Code der Lernkarte' })).toBeVisible();
	await check('the learner card and PIN page');
	await page.getByRole('button', { name: 'PIN festlegen' }).click();
	await check('choosing a learner PIN');
	await page.getByLabel('Neue PIN (4 Ziffern)').fill('2580');
	await expect(page.getByText('Die PIN ist gespeichert.')).toBeVisible();
	await page.getByRole('button', { name: 'Person wechseln' }).click();
	await page.getByRole('button', { name: 'Erna' }).click();
	await page.getByLabel('PIN für Erna').fill('1111');
	await expect(page.getByRole('alert')).toBeVisible();
	await check('the picture screen asking for a PIN, after a wrong one');
	await page.getByRole('button', { name: 'Abbrechen' }).click();

	await addVolunteer(server, place, 'vera@example.org', 'ein-langes-passwort');
	await page.getByRole('link', { name: 'Begleitmodus' }).click();
	await check('volunteer sign-in');
	await page.getByLabel('E-Mail-Adresse').fill('vera@example.org');
	await page.getByLabel('Passwort').fill('ein-langes-passwort');
	await page.getByRole('button', { name: 'Anmelden' }).click();
	await expect(page.getByLabel('Neue PIN (6 Ziffern)')).toBeVisible();
	await check('choosing a volunteer PIN');
	await page.getByLabel('Neue PIN (6 Ziffern)').fill('480317');
	await page.getByLabel('Bitte geben Sie die PIN noch einmal ein').fill('480317');
	await expect(page.getByRole('listitem').filter({ hasText: 'Erna' })).toBeVisible();
	await check('volunteer mode with the learners of this tablet');
	await page.getByRole('button', { name: 'Lernkarte zeigen' }).click();
	await check('volunteer mode showing a learner card');
	await page.getByRole('button', { name: 'Begleitmodus schließen' }).click();
	await check('volunteer PIN unlock');
});

// The volunteer session pages, in every language: tablet-languages.spec.ts.

// The office report on the demo city, as its coordinator reads it.

test('the report, its sessions and an attendance list have no WCAG 2.2 A/AA violations, large targets, and the report fits at 200 % text', async ({
	page,
	server
}) => {
	test.setTimeout(180_000);
	// Soft, so that one run names every problem of the pages, not only the first.
	const check = async (where: string) => {
		const violations = await axeViolations(page, WCAG);
		expect
			.soft(
				violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
				`axe violations on ${where}`
			)
			.toEqual([]);
		expect.soft(await smallTargets(page), `small targets on ${where}`).toEqual([]);
	};
	const city = await withOffice(server, (office) =>
		fillDemoCity(office, { now: new Date(2026, 9, 10, 12, 0), seed: 'e2e' })
	);
	await page.goto('/office/sign-in');
	await page.getByLabel('E-Mail-Adresse').fill(city.coordinator);
	await page.getByLabel('Passwort', { exact: true }).fill(city.password);
	await page.getByRole('button', { name: 'Anmelden' }).click();
	await expect(page.getByRole('heading', { name: 'Übersicht', level: 1 })).toBeVisible();

	const report = '/office/reports?period=quarter&value=2026-Q3';
	await page.goto(report);
	const chart = page.getByRole('img', { name: 'Teilnahmen und Lernende nach Monaten' });
	// The chart is drawn when it comes near the screen, as a person scrolls to it.
	await page.getByRole('figure').scrollIntoViewIfNeeded();
	await expect(chart).toBeVisible();
	await expect(page.getByRole('table', { name: 'Nach Orten' }).getByRole('rowheader')).toHaveCount(
		3
	);
	await check('the report with a quarter of the demo city');

	await page
		.getByRole('table', { name: 'Nach Orten' })
		.getByRole('link', { name: /Termine: Seniorentreff Nord$/ })
		.click();
	await expect(page.getByRole('heading', { name: 'Termine im Bericht', level: 1 })).toBeVisible();
	await check('the sessions behind a figure');

	await page.getByRole('table').getByRole('link').first().click();
	await expect(page.getByRole('heading', { name: 'Anwesenheitsliste', level: 1 })).toBeVisible();
	await check('an attendance list');

	await page.goto(report);
	await page.getByRole('figure').scrollIntoViewIfNeeded();
	await expect(chart).toBeVisible();
	await page.addStyleTag({ content: 'html { font-size: 200% !important; }' });
	const overflow = await page.evaluate(
		() => document.documentElement.scrollWidth - window.innerWidth
	);
	expect(overflow, 'no sideways scrolling at 200 % text on the report').toBeLessThanOrEqual(0);

	// The data protection pages, as a coordinator (learners) and an admin (retention) see them.
	await page.goto('/office/learners?q=an');
	await expect(page.getByRole('table').getByRole('link').first()).toBeVisible();
	await check('the learner search');
	await page.getByRole('table').getByRole('link').first().click();
	await expect(page.getByRole('button', { name: 'Endgültig löschen' })).toBeVisible();
	await check('a learner’s data');
	await page.context().clearCookies();
	await page.goto('/office/sign-in');
	await page.getByLabel('E-Mail-Adresse').fill('admin@demo.lernlotse.example');
	await page.getByLabel('Passwort', { exact: true }).fill(city.password);
	await page.getByRole('button', { name: 'Anmelden' }).click();
	await expect(page.getByRole('heading', { name: 'Übersicht', level: 1 })).toBeVisible();
	await page.goto('/office/privacy');
	await expect(page.getByLabel('Aufbewahren für (Monate)')).toBeVisible();
	await check('the retention setting');
});
