import { appendFileSync, cpSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { createProfile, expect, test, waitForServiceWorker, courseCard } from './support/fixtures';
import { BUILD_DIR, type TestServer } from './support/server';
import { loadPack, solveStep } from './support/solver';
import { words } from './support/checks';

const say = words('de', 'common');

// Copies inside the project, so a copied server still finds the project's node_modules.
const nextBuild = (name: string) =>
	resolve(import.meta.dirname, '.artifacts', `build-${name}-${process.pid}`);
const copies: string[] = [];

test.afterAll(() => {
	for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

// These tests replace the server under an open page; they run after all other tests, alone
// (playwright.config.ts), so that no other test's load decides when a service worker activates.

/**
 * A learner is in the second step of the first lesson of the first course; then a new release
 * of the app is deployed on the same origin (its service worker script differs, by `extra`)
 * and the tablet has found it: it waits.
 */
async function newVersionWaitsInLesson(page: Page, server: TestServer, name: string, extra = '') {
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

	const dir = nextBuild(name);
	copies.push(dir);
	rmSync(dir, { recursive: true, force: true });
	cpSync(BUILD_DIR, dir, { recursive: true });
	appendFileSync(join(dir, 'client', 'service-worker.js'), `\n// next release\n${extra}\n`);
	rmSync(join(dir, 'client', 'service-worker.js.gz'), { force: true });
	rmSync(join(dir, 'client', 'service-worker.js.br'), { force: true });
	await server.stop();
	await server.startFrom(dir);

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
	await expect(page.getByText(say('update.ready'))).toHaveCount(0);

	// Between lessons the offer appears.
	await page.getByRole('link', { name: pack.title }).click();
	await expect(page.getByText(say('update.ready'))).toBeVisible();
	return pack;
}

test('a waiting new version never reloads an open lesson, and is offered between lessons', async ({
	page,
	server
}) => {
	const pack = await newVersionWaitsInLesson(page, server, 'next');
	// Taking it reloads once, into the new version.
	await Promise.all([
		page.waitForEvent('load'),
		page.getByRole('button', { name: say('update.apply') }).click()
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

test('a new version that never takes over costs a reload into the version the tablet had, and nothing else', async ({
	page,
	server
}) => {
	// This release's worker never activates when asked (as when the browser holds a switch):
	// the reload must still come, into a working page with nothing lost, and the offer stays.
	const pack = await newVersionWaitsInLesson(
		page,
		server,
		'parked',
		'self.skipWaiting = () => Promise.resolve();'
	);
	await Promise.all([
		page.waitForEvent('load'),
		page.getByRole('button', { name: say('update.apply') }).click()
	]);
	expect(
		await page.evaluate(() => (window as unknown as { marker?: number }).marker)
	).toBeUndefined();
	await expect(page.getByText(say('update.ready'))).toBeVisible();
	await expect(page.getByText('Angefangen: 1 von 8 Schritten')).toBeVisible();
	await page
		.getByRole('link', { name: /^Weiterlernen/ })
		.first()
		.click();
	await expect(page.getByText(`Schritt 2 von ${pack.lessons[0]!.steps.length}`)).toBeVisible();
});
