import { createProfile, expect, test, waitForServiceWorker, courseCard } from './support/fixtures';
import { finishLesson, loadIndex, loadPack } from './support/solver';

test.setTimeout(300_000);

for (const { id } of loadIndex().courses) {
	test(`every lesson of ${id} can be completed offline, as a learner would`, async ({
		page,
		context,
		server
	}) => {
		const pack = loadPack(id);
		await createProfile(page, 'Erna');
		await waitForServiceWorker(page);
		const card = courseCard(page, pack.title);
		await expect(card.getByText('Auch ohne Internet bereit')).toBeVisible({ timeout: 30_000 });

		await server.stop();
		await context.setOffline(true);

		for (const lesson of pack.lessons) {
			await page.goto(`/learn/${pack.id}/${lesson.id}`);
			await finishLesson(page, pack, lesson.id);
		}
		await expect(page.getByRole('heading', { name: 'Kurs geschafft' })).toBeVisible();
		await page.goto(`/learn/${pack.id}`);
		await expect(
			page.getByText(`${pack.lessons.length} von ${pack.lessons.length} Lektionen geschafft`)
		).toHaveCount(0);
		await expect(page.getByText('Kurs geschafft')).toBeVisible();
	});
}
