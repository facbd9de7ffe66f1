import { createProfile, expect, test, waitForServiceWorker, courseCard } from './support/fixtures';
import { currentStepIndex, finishLesson, loadPack, solveStep } from './support/solver';

const COURSE = 'citizens-office-appointment';

test('a learner takes two booking lessons with the server gone, reloads, and keeps her progress', async ({
	page,
	context,
	server
}) => {
	const pack = loadPack(COURSE);
	const [first, second] = pack.lessons;
	const kinds = new Set([...first!.steps, ...second!.steps].map((s) => s.kind));
	// The two lessons must exercise a tap, a typed field and a choice, or this test proves less.
	expect([...kinds]).toEqual(expect.arrayContaining(['tap', 'input', 'choice']));

	await createProfile(page, 'Erna');
	await waitForServiceWorker(page);
	const card = courseCard(page, pack.title);
	await expect(card.getByText('Auch ohne Internet bereit')).toBeVisible({ timeout: 30_000 });
	await card.getByRole('link', { name: /Beginnen/ }).click();
	await expect(page.locator(`[data-step-id="${first!.steps[0]!.id}"]`)).toBeVisible();

	// The server is really gone: the port refuses connections, and the browser is offline too.
	await server.stop();
	await expect(fetch(server.url)).rejects.toThrow();
	await context.setOffline(true);

	await page.reload();
	await expect(page.locator(`[data-step-id="${first!.steps[0]!.id}"]`)).toBeVisible();

	// Walk to the first typed field, type half an answer, reload: the answer is still there.
	const inputAt = first!.steps.findIndex((s) => s.kind === 'input');
	const inputLesson = inputAt >= 0 ? first! : second!;
	if (inputLesson === second) await finishLessonAndContinue();
	const inputIndex = inputLesson.steps.findIndex((s) => s.kind === 'input');
	for (let i = await currentStepIndex(page); i < inputIndex; i++) {
		await solveStep(page, inputLesson.steps[i]!);
		await page.getByRole('button', { name: 'Nächster Schritt' }).click();
	}
	const inputStep = inputLesson.steps[inputIndex]!;
	if (inputStep.kind !== 'input') throw new Error('unreachable');
	await page.getByLabel(inputStep.field.label, { exact: true }).fill('halb fert');
	await page.waitForTimeout(600); // the draft is written shortly after typing stops
	await page.reload();
	await expect(page.getByLabel(inputStep.field.label, { exact: true })).toHaveValue('halb fert');
	expect(await currentStepIndex(page)).toBe(inputIndex);

	await finishLesson(page, pack, inputLesson.id);
	if (inputLesson === first) {
		await page.getByRole('link', { name: /Nächste Lektion/ }).click();
		await finishLesson(page, pack, second!.id);
	}

	// Close the tab and open the app again, still offline: the picture picker, then progress kept.
	await page.close();
	const again = await context.newPage();
	await again.goto(server.url + '/');
	await again.getByRole('button', { name: 'Erna' }).click();
	const cardAgain = courseCard(again, pack.title);
	await expect(
		cardAgain.getByText(`2 von ${pack.lessons.length} Lektionen geschafft`)
	).toBeVisible();

	// Back online: the app keeps working against the server again.
	await server.startFrom();
	await context.setOffline(false);
	await again.reload();
	await expect(again.getByRole('heading', { name: 'Guten Tag, Erna' })).toBeVisible();

	async function finishLessonAndContinue() {
		await finishLesson(page, pack, first!.id);
		await page.getByRole('link', { name: /Nächste Lektion/ }).click();
	}
});
