/**
 * Small, valid course objects for tests. Every builder returns the shape a volunteer writes
 * (the schema's input); pass overrides to change a part, or build a broken variant from them.
 * `buildCourse` parses through the schema, so defaults are filled in as in the real app.
 */
import * as v from 'valibot';
import {
	ChoiceStep,
	CoursePack,
	CourseSource,
	ExplainStep,
	InputStep,
	Lesson,
	OrderStep,
	PACK_FORMAT,
	PracticeScreen,
	PracticeStep,
	Step,
	TapStep
} from './schema';

export type CourseInput = v.InferInput<typeof CourseSource>;
export type PackInput = v.InferInput<typeof CoursePack>;
export type LessonInput = v.InferInput<typeof Lesson>;
export type StepInput = v.InferInput<typeof Step>;
export type ExplainInput = v.InferInput<typeof ExplainStep>;
export type ChoiceInput = v.InferInput<typeof ChoiceStep>;
export type TapInput = v.InferInput<typeof TapStep>;
export type InputInput = v.InferInput<typeof InputStep>;
export type OrderInput = v.InferInput<typeof OrderStep>;
export type PracticeInput = v.InferInput<typeof PracticeStep>;
export type PracticeScreenInput = v.InferInput<typeof PracticeScreen>;

export function explainStep(overrides: Partial<ExplainInput> = {}): ExplainInput {
	return { id: 'welcome', kind: 'explain', text: 'Hallo. **Willkommen!**', ...overrides };
}

export function choiceStep(overrides: Partial<ChoiceInput> = {}): ChoiceInput {
	return {
		id: 'pick-one',
		kind: 'choice',
		question: 'Welche Adresse ist echt?',
		options: [
			{ id: 'real', text: 'stadt.de', correct: true, feedback: 'Richtig.' },
			{ id: 'fake', text: 'stadt-de.info', feedback: 'Schauen Sie genau hin.' }
		],
		...overrides
	};
}

export function tapStep(overrides: Partial<TapInput> = {}): TapInput {
	return {
		id: 'tap-start',
		kind: 'tap',
		prompt: 'Tippen Sie auf „Start“.',
		screen: {
			title: 'Willkommen',
			elements: [
				{ kind: 'text', text: 'Unten ist ein Knopf.' },
				{ kind: 'button', id: 'start', label: 'Start' }
			]
		},
		target: 'start',
		hint: 'Der Knopf ist unter dem Text.',
		...overrides
	};
}

export function inputStep(overrides: Partial<InputInput> = {}): InputInput {
	return {
		id: 'type-name',
		kind: 'input',
		prompt: 'Schreiben Sie „Anna Muster“.',
		field: { label: 'Name', format: 'name' },
		expect: 'Anna Muster',
		example: 'Anna Muster',
		...overrides
	};
}

export function orderStep(overrides: Partial<OrderInput> = {}): OrderInput {
	return {
		id: 'put-in-order',
		kind: 'order',
		prompt: 'Bringen Sie die Schritte in die richtige Reihenfolge.',
		items: [
			{ id: 'open', text: 'Seite öffnen' },
			{ id: 'fill', text: 'Formular ausfüllen' },
			{ id: 'send', text: 'Absenden' }
		],
		...overrides
	};
}

/** The form screen of the default practice: every kind of input, one validating button. */
export function formScreen(overrides: Partial<PracticeScreenInput> = {}): PracticeScreenInput {
	return {
		id: 'form',
		task: 'Füllen Sie das Formular aus.',
		title: 'Termin buchen',
		elements: [
			{ kind: 'field', id: 'name', label: 'Name', format: 'name', required: true },
			{ kind: 'field', id: 'email', label: 'E-Mail', format: 'email', required: true },
			{ kind: 'field', id: 'phone', label: 'Telefon', format: 'phone' },
			{ kind: 'checkbox', id: 'privacy', label: 'Ich stimme zu.', required: true },
			{
				kind: 'options',
				id: 'service',
				label: 'Anliegen',
				required: true,
				options: [
					{ id: 'passport', label: 'Reisepass' },
					{ id: 'id-card', label: 'Personalausweis' }
				]
			},
			{
				kind: 'slots',
				id: 'slot',
				label: 'Termin',
				required: true,
				days: [{ label: 'Montag', times: ['09:00', '10:00'] }]
			},
			{
				kind: 'button',
				id: 'send',
				label: 'Absenden',
				goto: 'mail',
				validate: ['name', 'email', 'phone', 'privacy', 'service', 'slot']
			},
			{ kind: 'button', id: 'cancel', label: 'Abbrechen', style: 'secondary' }
		],
		...overrides
	};
}

export function practiceStep(overrides: Partial<PracticeInput> = {}): PracticeInput {
	return {
		id: 'book-appointment',
		kind: 'practice',
		prompt: 'Buchen Sie einen Termin.',
		start: 'form',
		screens: [
			formScreen(),
			{
				id: 'mail',
				task: 'Bestätigen Sie die E-Mail.',
				checkpoint: 'form-sent',
				elements: [
					{
						kind: 'email',
						from: 'buergerbuero@stadt.de',
						subject: 'Bitte bestätigen',
						body: 'Tippen Sie auf den Link.',
						link: { id: 'confirm', label: 'Termin bestätigen', goto: 'done' }
					}
				]
			},
			{
				id: 'done',
				task: 'Geschafft.',
				finish: true,
				elements: [{ kind: 'notice', tone: 'success', text: 'Ihr Termin ist gebucht.' }]
			}
		],
		...overrides
	};
}

export function lessonInput(overrides: Partial<LessonInput> = {}): LessonInput {
	return {
		id: 'basics',
		title: 'Grundlagen',
		summary: 'Die ersten Schritte.',
		outcome: 'Sie kennen jetzt die Grundlagen.',
		steps: [explainStep(), choiceStep(), tapStep(), inputStep(), orderStep(), practiceStep()],
		...overrides
	};
}

export function courseInput(overrides: Partial<CourseInput> = {}): CourseInput {
	return {
		id: 'test-course',
		version: 1,
		lang: 'de',
		title: 'Testkurs',
		summary: 'Ein kleiner Kurs für Tests.',
		lessons: [lessonInput()],
		...overrides
	};
}

/** A valid course as the schema outputs it (defaults filled in). */
export function buildCourse(overrides: Partial<CourseInput> = {}): CourseSource {
	return v.parse(CourseSource, courseInput(overrides));
}

/** A compiled pack as the build writes it, ready to be served as JSON. */
export function packInput(
	overrides: Partial<CourseInput> = {},
	pack: { hash?: string; media?: string[] } = {}
): PackInput {
	return {
		...courseInput(overrides),
		format: PACK_FORMAT,
		hash: pack.hash ?? 'hash0000',
		media: pack.media ?? []
	};
}

/** A valid pack as the schema outputs it. */
export function buildPack(
	overrides: Partial<CourseInput> = {},
	pack: { hash?: string; media?: string[] } = {}
): CoursePack {
	return v.parse(CoursePack, packInput(overrides, pack));
}

/** A course whose only lesson has exactly these steps; unknown values make broken variants. */
export function courseWithSteps(
	steps: unknown[],
	overrides: Partial<CourseInput> = {}
): CourseInput {
	return courseInput({ lessons: [lessonInput({ steps: steps as StepInput[] })], ...overrides });
}
