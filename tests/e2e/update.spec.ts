import { appendFileSync, cpSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createProfile, expect, test, waitForServiceWorker, courseCard } from './support/fixtures';
import { BUILD_DIR } from './support/server';
import { loadPack, solveStep } from './support/solver';

// A copy inside the project, so the copied server still finds the project's node_modules.
const NEXT_BUILD = resolve(import.meta.dirname, '.artifacts', `build-next-${process.pid}`);

test.afterAll(() => rmSync(NEXT_BUILD, { recursive: true, force: true }));

// Known and open: on a loaded 2-core machine the reload after "Jetzt aktualisieren" sometimes
// never arrives. A trace shows the 3 s fallback's reload starting, as a request for the page
// that the browser never answers (the new service worker was told to skip waiting and had not
// taken control). About 1 run in 6 when other tests ran beside it, 3 of 3 beside the language
// sweep; it passes alone. So it runs after all other tests (playwright.config.ts) and is retried;
// a run that fails three times still fails.
test.describe.configure({ retries: 2 });

test('a waiting new version never reloads an open lesson, and is offered between lessons', async ({
	page,
	server
}) => {
	const pack = loadPack('tablet-basics');
	const lesson = pack.lessons[0]!;
	await createProfile(page, 'Erna');
	await waitForServiceWorker(page);
	await courseCard(page, pack.title)
		.getByRole('link', { name: /Beginnen/ })
		.click();
	await solveStep(page, lesson.steps[0]!);
	await page.getByRole('button', { name: 'Nächster Schritt' }).click();
	await expect(page.getByText(`Schritt 2 von ${lesson.steps.length}`)).toBeVisible();
	await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));

	// Deploy a new release on the same origin: the service worker script changes.
	rmSync(NEXT_BUILD, { recursive: true, force: true });
	cpSync(BUILD_DIR, NEXT_BUILD, { recursive: true });
	appendFileSync(join(NEXT_BUILD, 'client', 'service-worker.js'), '\n// next release\n');
	rmSync(join(NEXT_BUILD, 'client', 'service-worker.js.gz'), { force: true });
	rmSync(join(NEXT_BUILD, 'client', 'service-worker.js.br'), { force: true });
	await server.stop();
	await server.startFrom(NEXT_BUILD);

	await page.evaluate(async () => {
		const registration = await navigator.serviceWorker.getRegistration();
		await registration?.update();
		for (let i = 0; i < 100 && !registration?.waiting; i++) {
			await new Promise((r) => setTimeout(r, 100));
		}
		if (!registration?.waiting) throw new Error('no new version is waiting');
	});

	// Inside the lesson: no offer, no reload, same step.
	await page.waitForTimeout(1000);
	expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
	await expect(page.getByText(`Schritt 2 von ${lesson.steps.length}`)).toBeVisible();
	await expect(page.getByText('Eine neue Version von Lernlotse ist bereit.')).toHaveCount(0);

	// Between lessons the offer appears; taking it reloads once, into the new version.
	await page.getByRole('link', { name: pack.title }).click();
	await expect(page.getByText('Eine neue Version von Lernlotse ist bereit.')).toBeVisible();
	await Promise.all([
		page.waitForEvent('load'),
		page.getByRole('button', { name: 'Jetzt aktualisieren' }).click()
	]);
	expect(
		await page.evaluate(() => (window as unknown as { marker?: number }).marker)
	).toBeUndefined();
	await expect(page.getByRole('heading', { name: pack.title })).toBeVisible();
	await expect
		.poll(() =>
			page.evaluate(async () => !!(await navigator.serviceWorker.getRegistration())?.waiting)
		)
		.toBe(false);
});
