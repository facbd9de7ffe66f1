import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { checkCourse, checkTranslation } from './check';
import { CoursePack, CourseSource, STEP_KINDS } from './schema';
import {
	buildCourse,
	buildPack,
	choiceStep,
	courseInput,
	courseWithSteps,
	explainStep,
	formScreen,
	lessonInput,
	orderStep,
	practiceStep,
	tapStep
} from './test-factory';

/** Schema problems as `path: message`, the way a volunteer reads them. */
function schemaIssues(input: unknown): string[] {
	const result = v.safeParse(CourseSource, input);
	if (result.success) return [];
	return result.issues.map(
		(i) => `${(i.path ?? []).map((p) => String(p.key)).join('.')}: ${i.message}`
	);
}

/** Cross-check problems of a course that passes the schema. */
function crossIssues(input: unknown) {
	return checkCourse(v.parse(CourseSource, input));
}

const doneScreen = {
	id: 'done',
	task: 'Fertig.',
	finish: true,
	elements: [{ kind: 'text' as const, text: 'Danke.' }]
};

describe('the test factory', () => {
	it('builds a course that passes the schema and every cross check', () => {
		expect(schemaIssues(courseInput())).toEqual([]);
		expect(checkCourse(buildCourse())).toEqual([]);
	});

	it('uses every step kind, so the checks below start from a complete course', () => {
		const kinds = buildCourse().lessons.flatMap((l) => l.steps.map((s) => s.kind));
		expect([...kinds].sort()).toEqual([...STEP_KINDS].sort());
	});

	it('builds a pack that passes the pack schema', () => {
		expect(v.safeParse(CoursePack, buildPack({}, { hash: 'abc', media: ['/x.svg'] })).success).toBe(
			true
		);
	});
});

describe('course schema', () => {
	it('fills in defaults a volunteer may leave out', () => {
		const course = buildCourse();
		expect(course.order).toBe(100);
		expect(course.glossary).toEqual([]);
		expect(course.stepCard).toEqual([]);
		const choice = course.lessons[0]!.steps.find((s) => s.kind === 'choice');
		expect(choice?.kind === 'choice' && choice.options.map((o) => o.correct)).toEqual([
			true,
			false
		]);
	});

	it('names an unknown step kind and lists the known ones', () => {
		const broken = courseWithSteps([
			explainStep(),
			{ ...explainStep({ id: 'video' }), kind: 'video' }
		]);
		expect(schemaIssues(broken)).toEqual([
			'lessons.0.steps.1.kind: unknown step kind: use one of explain, choice, tap, input, order, practice'
		]);
	});

	it('refuses an id with capitals or spaces', () => {
		expect(schemaIssues(courseWithSteps([explainStep({ id: 'Mein Schritt' })]))).toEqual([
			'lessons.0.steps.0.id: id: use lower-case letters, digits and dashes only'
		]);
	});

	it('refuses a key the schema does not know, such as a misspelling', () => {
		const typo = { ...explainStep(), txet: 'Hallo' };
		const issues = schemaIssues(courseWithSteps([typo]));
		expect(issues).toHaveLength(1);
		expect(issues[0]).toMatch(/^lessons\.0\.steps\.0\.txet: /);
	});

	it('refuses empty or blank text', () => {
		expect(schemaIssues(courseWithSteps([explainStep({ text: '   ' })]))).toEqual([
			'lessons.0.steps.0.text: text must not be empty'
		]);
	});

	it('refuses a course without lessons and a lesson without steps', () => {
		expect(schemaIssues(courseInput({ lessons: [] }))).toEqual([
			'lessons: a course needs at least 1 lesson'
		]);
		expect(schemaIssues(courseWithSteps([]))).toEqual([
			'lessons.0.steps: a lesson needs at least 1 step'
		]);
	});

	it('wants at least 2 options, 3 items and 2 screens', () => {
		const oneOption = choiceStep({
			options: [{ id: 'only', text: 'Nur eine', correct: true, feedback: 'Ja.' }]
		});
		const twoItems = orderStep({
			items: [
				{ id: 'a', text: 'A' },
				{ id: 'b', text: 'B' }
			]
		});
		const oneScreen = practiceStep({ screens: [doneScreen], start: 'done' });
		expect(schemaIssues(courseWithSteps([oneOption, twoItems, oneScreen]))).toEqual([
			'lessons.0.steps.0.options: a question needs at least 2 options',
			'lessons.0.steps.1.items: put at least 3 items in order',
			'lessons.0.steps.2.screens: a practice needs at least 2 screens'
		]);
	});

	it('refuses a version that is not a whole number from 1', () => {
		expect(schemaIssues(courseInput({ version: 0 }))).toHaveLength(1);
		expect(schemaIssues(courseInput({ version: 1.5 }))).toHaveLength(1);
	});
});

describe('checkCourse', () => {
	it('finds a duplicate step id', () => {
		const course = courseWithSteps([explainStep({ id: 'same' }), choiceStep({ id: 'same' })]);
		expect(crossIssues(course)).toEqual([
			{ path: ['lessons', 0, 'steps'], message: 'step id "same" is used twice' }
		]);
	});

	it('finds a duplicate lesson id', () => {
		const course = courseInput({ lessons: [lessonInput(), lessonInput()] });
		expect(crossIssues(course)).toEqual([
			{ path: ['lessons'], message: 'lesson id "basics" is used twice' }
		]);
	});

	it('finds a tap target missing from the screen', () => {
		const course = courseWithSteps([explainStep(), tapStep({ target: 'weiter' })]);
		expect(crossIssues(course)).toEqual([
			{
				path: ['lessons', 0, 'steps', 1, 'target'],
				message: 'no element on the screen has the id "weiter"'
			}
		]);
	});

	it('accepts an option or an e-mail link as the tap target', () => {
		const screen = {
			elements: [
				{
					kind: 'options' as const,
					id: 'service',
					label: 'Anliegen',
					options: [
						{ id: 'passport', label: 'Reisepass' },
						{ id: 'id-card', label: 'Personalausweis' }
					]
				},
				{
					kind: 'email' as const,
					from: 'a@stadt.de',
					subject: 'Hallo',
					body: 'Text',
					link: { id: 'confirm', label: 'Bestätigen' }
				}
			]
		};
		const course = courseWithSteps([
			tapStep({ id: 'tap-option', screen, target: 'id-card' }),
			tapStep({ id: 'tap-link', screen, target: 'confirm' })
		]);
		expect(crossIssues(course)).toEqual([]);
	});

	it('finds a duplicate element id on a screen', () => {
		const screen = {
			elements: [
				{ kind: 'button' as const, id: 'start', label: 'Start' },
				{ kind: 'button' as const, id: 'start', label: 'Noch ein Start' }
			]
		};
		expect(crossIssues(courseWithSteps([tapStep({ screen })]))).toEqual([
			{
				path: ['lessons', 0, 'steps', 0, 'screen', 'elements'],
				message: 'element id "start" is used twice'
			}
		]);
	});

	it('finds an upload with a file id used twice or no file the portal accepts', () => {
		const upload = {
			kind: 'upload' as const,
			id: 'cv',
			label: 'Lebenslauf',
			button: 'Datei auswählen',
			files: [
				{ id: 'photo', name: 'Urlaub.jpg', refuse: 'type' as const },
				{ id: 'photo', name: 'Urlaub2.jpg', refuse: 'size' as const }
			]
		};
		const form = formScreen({
			elements: [upload, { kind: 'button', id: 'send', label: 'Senden', goto: 'done' }]
		});
		const course = courseWithSteps([practiceStep({ screens: [form, doneScreen] })]);
		const at = ['lessons', 0, 'steps', 0, 'screens', 0, 'elements', 0, 'files'];
		expect(crossIssues(course)).toEqual([
			{ path: at, message: 'file id "photo" is used twice' },
			{ path: at, message: 'every file is refused: give at least 1 file the portal accepts' }
		]);
	});

	it('finds a placeholder that no city setting fills, wherever it is', () => {
		const course = courseWithSteps([
			explainStep({ text: 'Willkommen in {city}. Sprechzeiten: {officeHours}.' }),
			explainStep({ id: 'two', text: 'Die Seite {citty} ist falsch geschrieben.' })
		]);
		expect(crossIssues(course)).toEqual([
			{
				path: ['lessons', 0, 'steps', 1, 'text'],
				message:
					'unknown placeholder "{citty}": use {city}, {domain}, {officeAddress}, {officeHours}, {libraryName}, {libraryHours}'
			}
		]);
	});

	it('finds a practice goto to a missing screen', () => {
		const form = formScreen({
			elements: [{ kind: 'button', id: 'send', label: 'Absenden', goto: 'confirmation' }]
		});
		const course = courseWithSteps([practiceStep({ screens: [form, doneScreen] })]);
		expect(crossIssues(course)).toEqual([
			{
				path: ['lessons', 0, 'steps', 0, 'screens', 0, 'elements', 0, 'goto'],
				message: 'no screen has the id "confirmation"'
			}
		]);
	});

	it('finds an e-mail link going to a missing screen', () => {
		const mail = {
			id: 'mail',
			task: 'Lesen Sie die E-Mail.',
			elements: [
				{ kind: 'text' as const, text: 'Posteingang' },
				{
					kind: 'email' as const,
					from: 'a@stadt.de',
					subject: 'Bestätigung',
					body: 'Bitte bestätigen.',
					link: { id: 'confirm', label: 'Bestätigen', goto: 'nowhere' }
				}
			]
		};
		const course = courseWithSteps([practiceStep({ start: 'mail', screens: [mail, doneScreen] })]);
		expect(crossIssues(course)).toEqual([
			{
				path: ['lessons', 0, 'steps', 0, 'screens', 0, 'elements', 1, 'goto'],
				message: 'no screen has the id "nowhere"'
			}
		]);
	});

	it('finds a practice without a finish screen', () => {
		const notFinished = { ...doneScreen, finish: false };
		const form = formScreen({
			elements: [{ kind: 'button', id: 'send', label: 'Weiter', goto: 'done' }]
		});
		const course = courseWithSteps([practiceStep({ screens: [form, notFinished] })]);
		expect(crossIssues(course)).toEqual([
			{ path: ['lessons', 0, 'steps', 0, 'screens'], message: 'no screen is marked "finish: true"' }
		]);
	});

	it('finds a practice whose start screen does not exist', () => {
		const course = courseWithSteps([practiceStep({ start: 'beginning' })]);
		expect(crossIssues(course)).toEqual([
			{ path: ['lessons', 0, 'steps', 0, 'start'], message: 'no screen has the id "beginning"' }
		]);
	});

	it('finds a duplicate screen id', () => {
		const course = courseWithSteps([
			practiceStep({ screens: [formScreen(), doneScreen, { ...doneScreen }] })
		]);
		expect(crossIssues(course)).toContainEqual({
			path: ['lessons', 0, 'steps', 0, 'screens'],
			message: 'screen id "done" is used twice'
		});
	});

	it('finds a button that validates something that is not a field on its screen', () => {
		const form = formScreen({
			elements: [
				{ kind: 'text', id: 'intro', text: 'Bitte ausfüllen.' },
				{ kind: 'field', id: 'name', label: 'Name' },
				{
					kind: 'button',
					id: 'send',
					label: 'Weiter',
					goto: 'done',
					validate: ['name', 'intro', 'email']
				}
			]
		});
		const course = courseWithSteps([practiceStep({ screens: [form, doneScreen] })]);
		const at = ['lessons', 0, 'steps', 0, 'screens', 0, 'elements', 2, 'validate'];
		expect(crossIssues(course)).toEqual([
			{ path: at, message: '"intro" is not a field on this screen' },
			{ path: at, message: '"email" is not a field on this screen' }
		]);
	});

	it('finds a choice without a correct option', () => {
		const course = courseWithSteps([
			choiceStep({
				options: [
					{ id: 'a', text: 'A', feedback: 'Nein.' },
					{ id: 'b', text: 'B', correct: false, feedback: 'Auch nicht.' }
				]
			})
		]);
		expect(crossIssues(course)).toEqual([
			{ path: ['lessons', 0, 'steps', 0, 'options'], message: 'mark 1 option "correct: true"' }
		]);
	});

	it('finds duplicate option and item ids', () => {
		const course = courseWithSteps([
			choiceStep({
				options: [
					{ id: 'a', text: 'A', correct: true, feedback: 'Ja.' },
					{ id: 'a', text: 'B', feedback: 'Nein.' }
				]
			}),
			orderStep({
				items: [
					{ id: 'x', text: 'Eins' },
					{ id: 'y', text: 'Zwei' },
					{ id: 'x', text: 'Drei' }
				]
			})
		]);
		expect(crossIssues(course)).toEqual([
			{ path: ['lessons', 0, 'steps', 0, 'options'], message: 'option id "a" is used twice' },
			{ path: ['lessons', 0, 'steps', 1, 'items'], message: 'item id "x" is used twice' }
		]);
	});

	it('reports every problem of a course, not only the first', () => {
		const course = courseWithSteps([
			explainStep({ id: 'x' }),
			explainStep({ id: 'x' }),
			tapStep({ target: 'missing' })
		]);
		expect(crossIssues(course).map((i) => i.message)).toEqual([
			'step id "x" is used twice',
			'no element on the screen has the id "missing"'
		]);
	});
});

describe('checkTranslation', () => {
	const german = buildCourse();
	const english = (overrides: Parameters<typeof buildCourse>[0] = {}) =>
		buildCourse({ lang: 'en', title: 'Test course', ...overrides });

	it('accepts a translation with the same lessons and steps', () => {
		expect(checkTranslation(german, english())).toEqual([]);
	});

	it('finds a translation with different step ids', () => {
		const renamed = english({
			lessons: [
				lessonInput({ steps: [explainStep({ id: 'hello' }), choiceStep(), tapStep(), orderStep()] })
			]
		});
		const reference = buildCourse({
			lessons: [lessonInput({ steps: [explainStep(), choiceStep(), tapStep(), orderStep()] })]
		});
		expect(checkTranslation(reference, renamed)).toEqual([
			{
				path: ['lessons', 0, 'steps'],
				message:
					'steps must be welcome (explain), pick-one (choice), tap-start (tap), put-in-order (order), as in the de file'
			}
		]);
	});

	it('finds a step of another kind with the same id', () => {
		const changed = english({
			lessons: [lessonInput({ steps: [choiceStep({ id: 'welcome' })] })]
		});
		const reference = buildCourse({ lessons: [lessonInput({ steps: [explainStep()] })] });
		expect(checkTranslation(reference, changed)).toEqual([
			{
				path: ['lessons', 0, 'steps'],
				message: 'steps must be welcome (explain), as in the de file'
			}
		]);
	});

	it('finds steps in another order', () => {
		const reference = buildCourse({
			lessons: [lessonInput({ steps: [explainStep(), choiceStep()] })]
		});
		const swapped = english({ lessons: [lessonInput({ steps: [choiceStep(), explainStep()] })] });
		expect(checkTranslation(reference, swapped)).toHaveLength(1);
	});

	it('finds different lessons and stops there', () => {
		const other = english({ lessons: [lessonInput({ id: 'other' })] });
		expect(checkTranslation(german, other)).toEqual([
			{ path: ['lessons'], message: 'lessons must be basics, as in the de file' }
		]);
	});

	it('finds a different id or version', () => {
		expect(checkTranslation(german, english({ id: 'other-course', version: 2 }))).toEqual([
			{ path: ['id'], message: 'id "other-course" differs from the de file' },
			{ path: ['version'], message: 'version 2 differs from the de file (1)' }
		]);
	});
});
