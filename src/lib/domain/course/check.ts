/**
 * Rules a schema cannot express: ids that must be unique, references that must resolve,
 * and languages of one course that must match step for step.
 */
import { PLACEHOLDERS } from '../city';
import { unknownPlaceholders } from '../city-rules';
import type { CourseSource, PracticeStep, Screen, SimElement, Step } from './schema';

export type Path = (string | number)[];
export interface CourseIssue {
	path: Path;
	message: string;
}

const INPUT_KINDS = new Set<SimElement['kind']>([
	'field',
	'checkbox',
	'options',
	'slots',
	'upload'
]);

function duplicates(ids: string[]): string[] {
	const seen = new Set<string>();
	const twice = new Set<string>();
	for (const id of ids) (seen.has(id) ? twice : seen).add(id);
	return [...twice];
}

function elementIds(screen: Screen): string[] {
	const ids: string[] = [];
	for (const el of screen.elements) {
		if (el.id) ids.push(el.id);
		if (el.kind === 'email' && el.link) ids.push(el.link.id);
		// An option can be the thing to tap ("tap „Personalausweis beantragen“").
		if (el.kind === 'options') ids.push(...el.options.map((o) => o.id));
	}
	return ids;
}

function checkScreen(screen: Screen, path: Path, issues: CourseIssue[]): void {
	for (const id of duplicates(elementIds(screen))) {
		issues.push({ path: [...path, 'elements'], message: `element id "${id}" is used twice` });
	}
	screen.elements.forEach((el, i) => {
		if (el.kind !== 'upload') return;
		for (const id of duplicates(el.files.map((f) => f.id))) {
			issues.push({
				path: [...path, 'elements', i, 'files'],
				message: `file id "${id}" is used twice`
			});
		}
		if (el.files.every((f) => f.refuse)) {
			issues.push({
				path: [...path, 'elements', i, 'files'],
				message: 'every file is refused: give at least 1 file the portal accepts'
			});
		}
	});
}

function gotoTargets(screen: Screen): { goto: string; index: number }[] {
	const out: { goto: string; index: number }[] = [];
	screen.elements.forEach((el, index) => {
		if ('goto' in el && el.goto) out.push({ goto: el.goto, index });
		if (el.kind === 'email' && el.link?.goto) out.push({ goto: el.link.goto, index });
	});
	return out;
}

function checkPractice(step: PracticeStep, path: Path, issues: CourseIssue[]): void {
	const screenIds = step.screens.map((s) => s.id);
	for (const id of duplicates(screenIds)) {
		issues.push({ path: [...path, 'screens'], message: `screen id "${id}" is used twice` });
	}
	if (!screenIds.includes(step.start)) {
		issues.push({ path: [...path, 'start'], message: `no screen has the id "${step.start}"` });
	}
	if (!step.screens.some((s) => s.finish)) {
		issues.push({ path: [...path, 'screens'], message: 'no screen is marked "finish: true"' });
	}
	step.screens.forEach((screen, s) => {
		const screenPath = [...path, 'screens', s];
		checkScreen(screen, screenPath, issues);
		for (const { goto, index } of gotoTargets(screen)) {
			if (!screenIds.includes(goto)) {
				issues.push({
					path: [...screenPath, 'elements', index, 'goto'],
					message: `no screen has the id "${goto}"`
				});
			}
		}
		const inputs = new Set(
			screen.elements.filter((el) => INPUT_KINDS.has(el.kind)).map((el) => el.id)
		);
		screen.elements.forEach((el, i) => {
			if (el.kind !== 'button') return;
			for (const ref of el.validate ?? []) {
				if (!inputs.has(ref)) {
					issues.push({
						path: [...screenPath, 'elements', i, 'validate'],
						message: `"${ref}" is not a field on this screen`
					});
				}
			}
		});
	});
}

function checkStep(step: Step, path: Path, issues: CourseIssue[]): void {
	switch (step.kind) {
		case 'choice':
			for (const id of duplicates(step.options.map((o) => o.id))) {
				issues.push({ path: [...path, 'options'], message: `option id "${id}" is used twice` });
			}
			if (!step.options.some((o) => o.correct)) {
				issues.push({ path: [...path, 'options'], message: 'mark 1 option "correct: true"' });
			}
			break;
		case 'tap':
			checkScreen(step.screen, [...path, 'screen'], issues);
			if (!elementIds(step.screen).includes(step.target)) {
				issues.push({
					path: [...path, 'target'],
					message: `no element on the screen has the id "${step.target}"`
				});
			}
			break;
		case 'order':
			for (const id of duplicates(step.items.map((o) => o.id))) {
				issues.push({ path: [...path, 'items'], message: `item id "${id}" is used twice` });
			}
			break;
		case 'practice':
			checkPractice(step, path, issues);
			break;
	}
}

/** Every text of a course with its path, for checks that apply to all of them. */
function* texts(value: unknown, path: Path): Generator<{ text: string; path: Path }> {
	if (typeof value === 'string') yield { text: value, path };
	else if (Array.isArray(value)) {
		for (const [i, item] of value.entries()) yield* texts(item, [...path, i]);
	} else if (value && typeof value === 'object') {
		for (const [key, item] of Object.entries(value)) yield* texts(item, [...path, key]);
	}
}

const KNOWN = Object.keys(PLACEHOLDERS)
	.map((k) => `{${k}}`)
	.join(', ');

/** Checks one language file of a course. */
export function checkCourse(course: CourseSource): CourseIssue[] {
	const issues: CourseIssue[] = [];
	for (const { text, path } of texts(course, [])) {
		for (const name of unknownPlaceholders(text)) {
			issues.push({ path, message: `unknown placeholder "{${name}}": use ${KNOWN}` });
		}
	}
	for (const id of duplicates(course.lessons.map((l) => l.id))) {
		issues.push({ path: ['lessons'], message: `lesson id "${id}" is used twice` });
	}
	course.lessons.forEach((lesson, l) => {
		for (const id of duplicates(lesson.steps.map((s) => s.id))) {
			issues.push({ path: ['lessons', l, 'steps'], message: `step id "${id}" is used twice` });
		}
		lesson.steps.forEach((step, s) => checkStep(step, ['lessons', l, 'steps', s], issues));
	});
	return issues;
}

/**
 * A translation must have the same lessons and steps, in the same order and of the same kind,
 * or progress recorded in one language would not fit the other.
 */
export function checkTranslation(reference: CourseSource, other: CourseSource): CourseIssue[] {
	const issues: CourseIssue[] = [];
	const where = `the ${reference.lang} file`;
	if (other.id !== reference.id) {
		issues.push({ path: ['id'], message: `id "${other.id}" differs from ${where}` });
	}
	if (other.version !== reference.version) {
		issues.push({
			path: ['version'],
			message: `version ${other.version} differs from ${where} (${reference.version})`
		});
	}
	const refLessons = reference.lessons.map((l) => l.id).join(', ');
	if (other.lessons.map((l) => l.id).join(', ') !== refLessons) {
		issues.push({ path: ['lessons'], message: `lessons must be ${refLessons}, as in ${where}` });
		return issues;
	}
	other.lessons.forEach((lesson, l) => {
		const ref = reference.lessons[l]!;
		const shape = (steps: Step[]) => steps.map((s) => `${s.id} (${s.kind})`).join(', ');
		if (shape(lesson.steps) !== shape(ref.steps)) {
			issues.push({
				path: ['lessons', l, 'steps'],
				message: `steps must be ${shape(ref.steps)}, as in ${where}`
			});
		}
	});
	return issues;
}
