import { createProfile, expect, test, courseCard } from './support/fixtures';
import { finishLesson, loadPack } from './support/solver';

test('two learners on one tablet keep separate progress', async ({ page }) => {
	const pack = loadPack('tablet-basics');
	const lesson = pack.lessons[0]!;
	const card = () => courseCard(page, pack.title);

	await createProfile(page, 'Erna', 'Sonne');
	await card()
		.getByRole('link', { name: /Beginnen/ })
		.click();
	await finishLesson(page, pack, lesson.id);
	await page.getByRole('link', { name: 'Meine Kurse' }).click();
	await expect(card().getByText(`1 von ${pack.lessons.length} Lektionen geschafft`)).toBeVisible();

	await page.getByRole('button', { name: 'Person wechseln' }).click();
	await createProfile(page, 'Ali', 'Boot');
	await expect(card().getByText(`0 von ${pack.lessons.length} Lektionen geschafft`)).toBeVisible();
	await card()
		.getByRole('link', { name: /Beginnen/ })
		.click();
	await expect(page.getByText(`Schritt 1 von ${lesson.steps.length}`)).toBeVisible();

	await page.getByRole('button', { name: 'Person wechseln' }).click();
	await page.getByRole('button', { name: 'Erna' }).click();
	await expect(card().getByText(`1 von ${pack.lessons.length} Lektionen geschafft`)).toBeVisible();
});

test('a learner who asks for help gets a calm answer, and the request is kept', async ({
	page
}) => {
	const pack = loadPack('tablet-basics');
	await createProfile(page, 'Hilde', 'Baum');
	await courseCard(page, pack.title)
		.getByRole('link', { name: /Beginnen/ })
		.click();
	await page.getByRole('button', { name: 'Ich brauche Hilfe' }).click();
	await expect(page.getByText('Ihre Frage ist notiert.')).toBeVisible();
	const help = await page.evaluate(async () => {
		const open = indexedDB.open('lernlotse');
		const db = await new Promise<IDBDatabase>((r) => (open.onsuccess = () => r(open.result)));
		const all = db.transaction('progress').objectStore('progress').getAll();
		const rows = await new Promise<{ type: string }[]>(
			(r) => (all.onsuccess = () => r(all.result))
		);
		return rows.filter((e) => e.type === 'help-requested').length;
	});
	expect(help).toBe(1);
});

test.describe('without a service worker, so the test holds the course index itself', () => {
	test.use({ serviceWorkers: 'block' });

	test('a lesson opened by its address while the courses still install appears once they are in', async ({
		page
	}) => {
		const pack = loadPack('tablet-basics');
		const lesson = pack.lessons[0]!;
		// The first start: the course index waits until the learner has opened the lesson.
		let release!: () => void;
		const held = new Promise<void>((resolve) => (release = resolve));
		await page.route('**/packs/index.json', async (route) => {
			await held;
			await route.continue();
		});
		await createProfile(page, 'Erna', 'Sonne');
		await page.goto(`/learn/${pack.id}/${lesson.id}`);
		// Not "this lesson is not here": it is on its way.
		await expect(
			page
				.getByRole('status')
				.filter({ hasText: 'Die Kurse werden gerade auf dieses Tablet geladen.' })
		).toBeVisible();
		await expect(page.getByText('Diese Lektion gibt es hier nicht')).toHaveCount(0);
		release();
		const first = lesson.steps[0]!;
		await expect(
			page.getByRole('heading', { name: 'title' in first ? first.title : lesson.title })
		).toBeVisible();
		await expect(page.getByText('Diese Lektion gibt es hier nicht')).toHaveCount(0);
	});
});
