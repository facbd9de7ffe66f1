/**
 * Plays lessons as a learner who knows the right answers: it reads the built course pack and
 * then only taps, types and chooses by what is visible on the screen (roles and labels).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import type {
	CoursePack,
	FieldFormat,
	PackIndex,
	PracticeStep,
	SimElement,
	Step
} from '../../../src/lib/domain/course/schema';
import { DEFAULT_CITY, placeholderValues } from '../../../src/lib/domain/city';
import { fillPlaceholders } from '../../../src/lib/domain/text';
import { expect } from './fixtures';
import { BUILD_DIR } from './server';

export const CITY = DEFAULT_CITY.name;
const PACKS = join(BUILD_DIR, 'client');

export function loadIndex(): PackIndex {
	return JSON.parse(readFileSync(join(PACKS, 'packs/index.json'), 'utf8')) as PackIndex;
}

export function loadPack(courseId: string, lang = 'de'): CoursePack {
	const entry = loadIndex().courses.find((c) => c.id === courseId);
	const language = entry?.languages.find((l) => l.lang === lang);
	if (!language) throw new Error(`no pack ${courseId}/${lang} in the build`);
	return JSON.parse(readFileSync(join(PACKS, language.url), 'utf8')) as CoursePack;
}

/** Text as a learner sees it: a fresh office dresses the practice as the default city. */
const fill = (text: string) => fillPlaceholders(text, placeholderValues(DEFAULT_CITY));

const VALID: Record<FieldFormat, string> = {
	text: 'Beispiel',
	name: 'Erna Muster',
	date: '03.03.1950',
	email: 'erna.muster@example.com',
	postcode: '12345',
	phone: '0123 456789',
	number: '3',
	password: 'Sicheres-Passwort-2026'
};

/** The control a person would tap for an element (or option) id on a simulated screen. */
function control(
	device: Locator,
	elements: SimElement[],
	id: string,
	mode: 'tap' | 'practice'
): Locator {
	for (const el of elements) {
		if (el.kind === 'options') {
			const option = el.options.find((o) => o.id === id);
			if (option) {
				const name = fill(option.label);
				return mode === 'tap'
					? device.getByRole('button', { name, exact: true })
					: device.getByRole('radio', { name, exact: true });
			}
		}
		if (el.kind === 'email' && el.link?.id === id) {
			return device.getByRole('button', { name: fill(el.link.label), exact: true });
		}
		if (el.id !== id) continue;
		switch (el.kind) {
			case 'button':
			case 'back':
			case 'app':
				return device.getByRole('button', { name: fill(el.label), exact: true });
			case 'field':
			case 'checkbox':
				return device.getByRole('button', {
					name: fill(el.label) + (el.kind === 'field' && el.required ? ' *' : ''),
					exact: true
				});
			case 'upload':
				// In a tap step the field is one target, named by its label (the button is drawn).
				return device.getByRole('button', {
					name: fill(el.label) + (el.required ? ' *' : ''),
					exact: true
				});
			case 'slots':
				return device
					.getByRole('group', { name: fill(el.label) + (el.required ? ' *' : ''), exact: true })
					.getByRole('button')
					.first();
		}
	}
	throw new Error(`no element ${id} on the screen`);
}

async function fillScreen(device: Locator, elements: SimElement[]): Promise<void> {
	for (const el of elements) {
		const label =
			'label' in el ? fill(el.label) + ('required' in el && el.required ? ' *' : '') : '';
		if (el.kind === 'field') {
			await device.getByLabel(label, { exact: true }).fill(VALID[el.format]);
		} else if (el.kind === 'checkbox') {
			await device.getByLabel(label, { exact: true }).check();
		} else if (el.kind === 'options') {
			await device.getByRole('radio', { name: fill(el.options[0]!.label), exact: true }).check();
		} else if (el.kind === 'upload') {
			// As a person would: open the tablet's file picker, take the file the portal accepts.
			await device.getByRole('button', { name: fill(el.button), exact: true }).click();
			const file = el.files.find((f) => !f.refuse)!;
			await device.getByRole('button', { name: file.name, exact: true }).click();
		} else if (el.kind === 'slots' && el.days.some((d) => d.times.length > 0)) {
			await device
				.getByRole('group', { name: label, exact: true })
				.getByRole('radio')
				.first()
				.check();
		}
	}
}

function edges(el: SimElement): { goto: string; id: string }[] {
	if (el.kind === 'email') return el.link?.goto ? [{ goto: el.link.goto, id: el.link.id }] : [];
	if ((el.kind === 'button' || el.kind === 'app' || el.kind === 'back') && el.goto) {
		return [{ goto: el.goto, id: el.id }];
	}
	return [];
}

/** The shortest way from the start screen to a finish screen, as (screen, control) pairs. */
export function practicePath(step: PracticeStep): { screen: string; press: string }[] {
	const previous = new Map<string, { screen: string; press: string }>();
	const queue = [step.start];
	const seen = new Set(queue);
	while (queue.length > 0) {
		const id = queue.shift()!;
		const screen = step.screens.find((s) => s.id === id)!;
		if (screen.finish) {
			const path: { screen: string; press: string }[] = [];
			for (let at = id; previous.has(at); at = previous.get(at)!.screen)
				path.unshift(previous.get(at)!);
			return path;
		}
		for (const el of screen.elements) {
			for (const edge of edges(el)) {
				if (seen.has(edge.goto)) continue;
				seen.add(edge.goto);
				previous.set(edge.goto, { screen: id, press: edge.id });
				queue.push(edge.goto);
			}
		}
	}
	throw new Error(`practice ${step.id} has no way to a finish screen`);
}

async function moveIntoOrder(
	section: Locator,
	items: { id: string; text: string }[]
): Promise<void> {
	for (let target = 0; target < items.length; target++) {
		const texts = await section.getByRole('listitem').allInnerTexts();
		const at = texts.findIndex((t) => t.includes(items[target]!.text));
		for (let i = at; i > target; i--) {
			await section
				.getByRole('button', { name: `„${items[target]!.text}“ nach oben`, exact: true })
				.click();
		}
	}
}

const ALREADY_DONE = 'Diesen Schritt haben Sie schon geschafft.';

export async function solveStep(page: Page, step: Step): Promise<void> {
	const section = page.locator(`[data-step-id="${step.id}"]`);
	await expect(section).toBeVisible();
	const device = section.locator('.device');
	// A step done on an earlier visit, whose answer the tablet did not keep (the page was left
	// right after answering, before the draft was written): it is done, with nothing to answer.
	if (step.kind !== 'explain' && (await section.getByText(ALREADY_DONE).isVisible())) return;
	switch (step.kind) {
		case 'explain':
			return;
		case 'choice': {
			const right = step.options.find((o) => o.correct)!;
			await section.getByRole('button', { name: right.text, exact: true }).click();
			await expect(section.getByText('Richtig.')).toBeVisible();
			return;
		}
		case 'tap':
			await control(device, step.screen.elements, step.target, 'tap').click();
			await expect(section.getByText('Richtig.')).toBeVisible();
			return;
		case 'input':
			await section.getByLabel(step.field.label, { exact: true }).fill(step.expect ?? step.example);
			await section.getByRole('button', { name: 'Prüfen', exact: true }).click();
			await expect(section.getByText('Richtig.')).toBeVisible();
			return;
		case 'order':
			await moveIntoOrder(section, step.items);
			await section.getByRole('button', { name: 'Prüfen', exact: true }).click();
			await expect(section.getByText('Richtig.')).toBeVisible();
			return;
		case 'practice':
			for (const move of practicePath(step)) {
				const screen = step.screens.find((s) => s.id === move.screen)!;
				await fillScreen(device, screen.elements);
				await control(device, screen.elements, move.press, 'practice').click();
			}
			await expect(section.getByText('Richtig.')).toBeVisible();
			return;
	}
}

/** Which step of the lesson is on screen, from what the learner sees ("Schritt 3 von 8"). */
export async function currentStepIndex(page: Page): Promise<number> {
	const text = await page.getByText(/^Schritt \d+ von \d+$/).innerText();
	return Number(/Schritt (\d+)/.exec(text)![1]) - 1;
}

/** Plays the open lesson from its current step to the completion screen. */
export async function finishLesson(page: Page, pack: CoursePack, lessonId: string): Promise<void> {
	const lesson = pack.lessons.find((l) => l.id === lessonId)!;
	for (let i = await currentStepIndex(page); i < lesson.steps.length; i++) {
		await solveStep(page, lesson.steps[i]!);
		const last = i === lesson.steps.length - 1;
		await page
			.getByRole('button', { name: last ? 'Lektion abschließen' : 'Nächster Schritt' })
			.click();
	}
	await expect(
		page.getByRole('heading', { name: /Lektion geschafft|Kurs geschafft/ })
	).toBeVisible();
}

/** Plays every lesson of a course, in order, from its first step to "Kurs geschafft". */
export async function finishCourse(page: Page, pack: CoursePack): Promise<void> {
	for (const lesson of pack.lessons) {
		await page.goto(`/learn/${pack.id}/${lesson.id}`);
		await finishLesson(page, pack, lesson.id);
	}
	await expect(page.getByRole('heading', { name: 'Kurs geschafft' })).toBeVisible();
}
