/** Playwright fixtures: a private server per test and helpers a person's actions map onto. */
import { test as base, expect, type Locator, type Page } from '@playwright/test';
import { TestServer } from './server';

export const test = base.extend<{ server: TestServer }>({
	// eslint-disable-next-line no-empty-pattern -- Playwright reads the fixtures a function names
	server: async ({}, use) => {
		const server = await TestServer.start();
		await use(server);
		await server.dispose();
	},
	baseURL: async ({ server }, use) => {
		await use(server.url);
	},
	// An error the app throws and nobody catches fails the test, even when the page looks fine
	// (an effect that reruns without end, say). Pages of contexts a test opens itself are its own
	// business.
	context: async ({ context }, use) => {
		const thrown: string[] = [];
		context.on('weberror', (error) =>
			thrown.push(`${error.page()?.url()}: ${error.error().message}`)
		);
		await use(context);
		expect(thrown, 'uncaught errors in the app').toEqual([]);
	}
});

export { expect };

/** Waits until the service worker controls the page: only then can it serve us offline. */
export async function waitForServiceWorker(page: Page): Promise<void> {
	await page.evaluate(async () => {
		await navigator.serviceWorker.ready;
		if (navigator.serviceWorker.controller) return;
		await new Promise<void>((resolve) =>
			navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true })
		);
	});
}

export async function createProfile(page: Page, name: string, picture = 'Sonne'): Promise<void> {
	await page.goto('/');
	await page.getByRole('link', { name: 'Neues Profil anlegen' }).click();
	await page.getByLabel('Ihr Vorname oder ein Spitzname').fill(name);
	await page.getByRole('radio', { name: picture }).check();
	await page.getByRole('button', { name: 'Profil anlegen' }).click();
	await expect(page.getByRole('heading', { name: `Guten Tag, ${name}` })).toBeVisible();
}

/** A course's card on the learner home, found by its title as a person would. */
export function courseCard(page: Page, title: string): Locator {
	return page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: title }) });
}
