/**
 * The education department corrects a lesson in the office, looks at it as a learner would
 * and publishes it; a tablet where a learner is half-way through the course gets the new
 * version at its next sync and keeps the learner's progress. A change with a problem is
 * refused with the file, line and problem, and what was typed stays in the editor.
 */
import type { Browser, Page } from '@playwright/test';
import type { TestServer } from './support/server';
import { zipSync } from 'fflate';
import { stringify } from 'yaml';
import {
	courseInput,
	explainStep,
	lessonInput,
	tapStep
} from '../../src/lib/domain/course/test-factory';
import { courseCard, createProfile, expect, test, waitForServiceWorker } from './support/fixtures';
import { addCoordinator, enrolTablet, seedPlace, signInToOffice } from './support/office';
import { finishLesson, loadPack, solveStep } from './support/solver';

const CLARA = { email: 'clara@stadt.example', password: 'Kurse frisch halten 2026' };
const OLD = 'Eine Internetseite ist oft länger als der Bildschirm.';
const NEW = 'Eine Internetseite ist meistens länger als Ihr Bildschirm.';

/** Clara, a coordinator, signed in to the office in a browser of her own. */
async function openOffice(browser: Browser, server: TestServer) {
	await addCoordinator(server, CLARA.email, CLARA.password);
	const context = await browser.newContext();
	const office = await context.newPage();
	await signInToOffice(office, CLARA.email, CLARA.password);
	return { office, close: () => context.close() };
}

/** Changes the text in the editor and sends it to be checked and saved as a draft. */
async function saveEditor(office: Page, change: (text: string) => string): Promise<void> {
	const editor = office.getByLabel('Kursdatei: Deutsch');
	await editor.fill(change(await editor.inputValue()));
	await office.getByRole('button', { name: 'Prüfen und als Entwurf speichern' }).click();
}

test('a corrected lesson reaches a learner mid-course at the next sync, and the progress stays', async ({
	page,
	browser,
	server
}) => {
	test.setTimeout(180_000);
	const pack = loadPack('tablet-basics');

	// Erna finished the first lesson on the library's tablet.
	await enrolTablet(page, server);
	await createProfile(page, 'Erna');
	await waitForServiceWorker(page);
	await page.goto(`/learn/${pack.id}/${pack.lessons[0]!.id}`);
	await finishLesson(page, pack, pack.lessons[0]!.id);
	await page.goto(`/learn/${pack.id}/${pack.lessons[1]!.id}`);
	await expect(page.getByText(OLD)).toBeVisible();

	// Clara corrects a sentence of the second lesson in the office.
	const { office, close: closeOffice } = await openOffice(browser, server);
	await office
		.getByRole('navigation', { name: 'Bereiche des Büros' })
		.getByRole('link', { name: 'Kurse' })
		.click();
	await office.getByRole('link', { name: pack.title }).click();
	await expect(office.getByRole('heading', { name: pack.title, level: 1 })).toBeVisible();

	// First a slip: a step id used twice. Refused, named, and her text is still there.
	const slip = (text: string) => text.replace('- id: why-scroll\n', '- id: how-to-scroll\n');
	await office.getByRole('link', { name: 'Deutsch', exact: true }).click();
	await saveEditor(office, (text) => slip(text).replace(OLD, NEW));
	const problems = office.getByRole('alert');
	await expect(problems).toContainText('Der Kurs hat');
	await expect(problems).toContainText(
		/tablet-basics\/de\.yaml:\d+:\d+ lessons\[1\]\.steps: step id "how-to-scroll" is used twice/
	);
	await expect(office.getByLabel('Kursdatei: Deutsch')).toHaveValue(/Ihr Bildschirm/);

	// Then right: saved as a draft, looked at as a learner would, published.
	await saveEditor(office, (text) =>
		text.replace(
			"- id: how-to-scroll\n        kind: explain\n        title: 'Warum",
			"- id: why-scroll\n        kind: explain\n        title: 'Warum"
		)
	);
	await expect(
		office.getByRole('status').filter({ hasText: 'Der Entwurf ist geprüft' })
	).toBeVisible();
	await office
		.getByRole('link', { name: /^Ansehen/ })
		.first()
		.click();
	await office.getByRole('button', { name: pack.lessons[1]!.title }).click();
	await expect(office.getByText(NEW)).toBeVisible();
	await office.getByRole('link', { name: 'Zurück zum Kurs' }).click();
	await office
		.getByRole('button', { name: /^Veröffentlichen/ })
		.first()
		.click();
	await office.getByRole('button', { name: /^Ja, veröffentlichen/ }).click();
	await expect(office.getByRole('status').filter({ hasText: 'ist veröffentlicht' })).toBeVisible();
	await expect(office.getByText('Veröffentlicht als Fassung 2')).toBeVisible();
	await closeOffice();

	// The tablet syncs when it starts again; the course is the new version, Erna's lesson done.
	await page.goto('/learn');
	await expect(page.getByText(NEW)).toHaveCount(0);
	await expect
		.poll(
			async () => {
				await page.goto(`/learn/${pack.id}/${pack.lessons[1]!.id}`);
				return page.getByText(NEW).count();
			},
			{ timeout: 60_000, intervals: [2_000] }
		)
		.toBe(1);
	await page.goto(`/learn/${pack.id}`);
	await expect(page.getByText(`1 von ${pack.lessons.length} Lektionen geschafft`)).toBeVisible();
	await page.goto('/learn');
	await expect(courseCard(page, pack.title)).toBeVisible();
});

test('a course withdrawn in the office leaves the tablet at its next sync, and comes back', async ({
	page,
	browser,
	server
}) => {
	test.setTimeout(120_000);
	const pack = loadPack('video-call');
	await enrolTablet(page, server);
	await createProfile(page, 'Erna');
	await expect(courseCard(page, pack.title)).toBeVisible();

	const { office, close: closeOffice } = await openOffice(browser, server);
	await office.goto('/office/courses');
	const withdraw = async (label: RegExp, confirm: RegExp, done: string) => {
		await office.getByRole('button', { name: label }).click();
		await office.getByRole('button', { name: confirm }).click();
		await expect(office.getByRole('status').filter({ hasText: done })).toBeVisible();
	};
	await withdraw(
		new RegExp(`^Zurückziehen: ${pack.title}`),
		/^Ja, zurückziehen/,
		'ist zurückgezogen'
	);
	await expect
		.poll(
			async () => {
				await page.goto('/learn');
				return courseCard(page, pack.title).count();
			},
			{ timeout: 60_000, intervals: [2_000] }
		)
		.toBe(0);

	await withdraw(
		new RegExp(`^Wieder anbieten: ${pack.title}`),
		/^Ja, wieder anbieten/,
		'wird wieder angeboten'
	);
	await closeOffice();
	await expect
		.poll(
			async () => {
				await page.goto('/learn');
				return courseCard(page, pack.title).count();
			},
			{ timeout: 60_000, intervals: [2_000] }
		)
		.toBe(1);
});

test('a course uploaded with script in it is shown as the letters typed, never run', async ({
	page,
	server
}) => {
	test.setTimeout(120_000);
	const HOSTILE = '<script>window.hacked = 1</script><img src=x onerror="window.hacked = 2">';
	const lessons = [
		lessonInput({
			title: `Lektion ${HOSTILE}`,
			steps: [
				explainStep({ text: `Achtung: ${HOSTILE} **<b>fett</b>**` }),
				tapStep({
					prompt: `Tippen Sie auf javascript:alert(1)`,
					screen: {
						title: '<iframe src="javascript:alert(1)"></iframe>',
						address: 'javascript:alert(1)',
						elements: [{ kind: 'button', id: 'go', label: '<a href="javascript:alert(1)">Los</a>' }]
					},
					target: 'go'
				})
			]
		})
	];
	const files: Record<string, Uint8Array> = {};
	for (const lang of ['de', 'en']) {
		files[`hostile-course/${lang}.yaml`] = new TextEncoder().encode(
			stringify(courseInput({ id: 'hostile-course', lang, title: 'Ein Kurs mit Fallen', lessons }))
		);
	}
	await seedPlace(server); // an office that is set up: an admin and a place
	await addCoordinator(server, CLARA.email, CLARA.password);
	await signInToOffice(page, CLARA.email, CLARA.password);
	await page.goto('/office/courses');
	await page.getByLabel('ZIP-Archiv des Kursordners').setInputFiles({
		name: 'hostile-course.zip',
		mimeType: 'application/zip',
		buffer: Buffer.from(zipSync(files))
	});
	await page.getByRole('button', { name: 'Hochladen und prüfen' }).click();
	await expect(page.getByText('Der Entwurf ist geprüft')).toBeVisible();

	await page
		.getByRole('link', { name: /^Ansehen/ })
		.first()
		.click();
	await expect(page.getByText(`Achtung: ${HOSTILE} <b>fett</b>`)).toBeVisible();
	await page.getByRole('button', { name: 'Nächster Schritt' }).click();
	await expect(
		page.getByRole('button', { name: '<a href="javascript:alert(1)">Los</a>' })
	).toBeVisible();
	await expect(page.getByText('<iframe src="javascript:alert(1)"></iframe>')).toBeVisible();
	expect(await page.evaluate(() => (window as { hacked?: number }).hacked)).toBeUndefined();
	await expect(
		page.locator('main script, main iframe, main img[src="x"], main a[href^="javascript"]')
	).toHaveCount(0);

	// An archive larger than the server takes is refused in words, not with a bare error.
	await page.goto('/office/courses');
	await page.getByLabel('ZIP-Archiv des Kursordners').setInputFiles({
		name: 'big.zip',
		mimeType: 'application/zip',
		buffer: Buffer.alloc(600 * 1024, 1)
	});
	await page.getByRole('button', { name: 'Hochladen und prüfen' }).click();
	await expect(page.getByText('Die Datei ist größer, als dieser Server annimmt.')).toBeVisible();
});

test('the city set in the office dresses the practice pages on the tablet after its next sync', async ({
	page,
	browser,
	server
}) => {
	test.setTimeout(150_000);
	const pack = loadPack('citizens-office-appointment');
	const lesson = pack.lessons[0]!;
	const tap = lesson.steps.findIndex((s) => s.id === 'find-booking');
	await enrolTablet(page, server);
	await createProfile(page, 'Erna');
	await expect(courseCard(page, pack.title).getByText('Auch ohne Internet bereit')).toBeVisible({
		timeout: 30_000
	});
	await page.goto(`/learn/${pack.id}/${lesson.id}`);
	for (let i = 0; i < tap; i++) {
		await solveStep(page, lesson.steps[i]!);
		await page.getByRole('button', { name: 'Nächster Schritt' }).click();
	}
	await expect(page.getByText('Stadt Musterstadt – Bürgerbüro')).toBeVisible();

	const { office, close: closeOffice } = await openOffice(browser, server);
	await office.goto('/office/city');
	await office.getByLabel('Name der Stadt', { exact: true }).fill('Beispielstadt');
	await office.getByLabel('Internetadresse der Stadt').fill('https://www.Beispielstadt.de/');
	await office.getByRole('button', { name: 'Speichern', exact: true }).click();
	await expect(
		office.getByRole('status').filter({ hasText: 'Die Angaben sind gespeichert' })
	).toBeVisible();
	await expect(office.getByLabel('Internetadresse der Stadt')).toHaveValue('beispielstadt.de');

	// The office's own look at the course as learners have it now, dressed the same way.
	await office.goto(`/office/courses/${pack.id}`);
	await office.getByRole('link', { name: 'So sehen Lernende ihn jetzt' }).click();
	for (let i = 0; i < tap; i++)
		await office.getByRole('button', { name: 'Nächster Schritt' }).click();
	await expect(office.getByText('Stadt Beispielstadt – Bürgerbüro')).toBeVisible();
	await closeOffice();

	await expect
		.poll(
			async () => {
				await page.reload();
				return page.getByText('Stadt Beispielstadt – Bürgerbüro').count();
			},
			{ timeout: 60_000, intervals: [2_000] }
		)
		.toBe(1);
	await expect(page.getByText('www.beispielstadt.de/buergerbuero')).toBeVisible();
});
