import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { createProfile, expect, test } from './support/fixtures';
import { currentStepIndex, finishLesson, loadPack, solveStep } from './support/solver';

// axe is injected as a script, which the app's Content-Security-Policy would rightly block.
test.use({ bypassCSP: true });

const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

async function expectNoViolations(page: Page, where: string): Promise<void> {
	const { violations } = await new AxeBuilder({ page }).withTags(WCAG).analyze();
	const summary = violations.map(
		(v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`
	);
	expect(summary, `axe violations on ${where}`).toEqual([]);
}

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
