/**
 * The shape of a course, as a volunteer writes it (one YAML file per language) and as the
 * compiled pack carries it. One schema serves the build, the device and, later, the server.
 */
import * as v from 'valibot';

/** Ids are stable across versions and languages: progress is recorded against them. */
export const Id = v.pipe(
	v.string(),
	v.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'id: use lower-case letters, digits and dashes only')
);
const Text = v.pipe(v.string(), v.trim(), v.minLength(1, 'text must not be empty'));
const Lang = v.pipe(
	v.string(),
	// BCP 47: "de", "de-AT", or private use like "de-x-simple" (plain German).
	v.regex(/^[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$/, 'not a language code')
);

export const Image = v.strictObject({
	src: Text,
	alt: Text
});

export const FIELD_FORMATS = [
	'text',
	'name',
	'date',
	'email',
	'postcode',
	'phone',
	'number',
	'password'
] as const;
export const FieldFormat = v.picklist(FIELD_FORMATS);

export const APP_ICONS = [
	'browser',
	'mail',
	'camera',
	'photos',
	'settings',
	'calendar',
	'video',
	'library',
	'phone',
	'messages',
	'maps',
	'clock'
] as const;

const withId = { id: Id };
const optionalId = { id: v.optional(Id) };

/** The pieces of a simulated screen. Rendered as real, accessible HTML, never as a picture. */
export const SimElement = v.variant('kind', [
	v.strictObject({ kind: v.literal('heading'), ...optionalId, text: Text }),
	v.strictObject({ kind: v.literal('text'), ...optionalId, text: Text }),
	v.strictObject({
		kind: v.literal('notice'),
		...optionalId,
		tone: v.optional(v.picklist(['info', 'warning', 'error', 'success']), 'info'),
		text: Text
	}),
	v.strictObject({
		kind: v.literal('button'),
		...withId,
		label: Text,
		goto: v.optional(Id),
		/** Fields checked before `goto` is followed: the friction of a real form. */
		validate: v.optional(v.array(Id)),
		style: v.optional(v.picklist(['primary', 'secondary', 'link']), 'primary')
	}),
	v.strictObject({
		kind: v.literal('field'),
		...withId,
		label: Text,
		format: v.optional(FieldFormat, 'text'),
		required: v.optional(v.boolean(), false),
		placeholder: v.optional(Text),
		hint: v.optional(Text)
	}),
	v.strictObject({
		kind: v.literal('checkbox'),
		...withId,
		label: Text,
		required: v.optional(v.boolean(), false)
	}),
	v.strictObject({
		kind: v.literal('options'),
		...withId,
		label: Text,
		required: v.optional(v.boolean(), false),
		options: v.pipe(
			v.array(v.strictObject({ id: Id, label: Text })),
			v.minLength(2, 'give at least 2 options')
		)
	}),
	v.strictObject({
		kind: v.literal('slots'),
		...withId,
		label: Text,
		required: v.optional(v.boolean(), false),
		/** A day without times shows `emptyText`: "no appointment free" is part of the lesson. */
		days: v.pipe(
			v.array(v.strictObject({ label: Text, times: v.array(Text) })),
			v.minLength(1, 'give at least 1 day')
		),
		emptyText: v.optional(Text)
	}),
	v.strictObject({
		kind: v.literal('upload'),
		...withId,
		label: Text,
		/** The portal's button that opens the tablet's file picker, e.g. „Datei auswählen“. */
		button: Text,
		required: v.optional(v.boolean(), false),
		/** The files "on the tablet" to choose from; a refused one gets the portal's error. */
		files: v.pipe(
			v.array(
				v.strictObject({
					id: Id,
					name: Text,
					/** Why the portal refuses this file: wrong type or too large. */
					refuse: v.optional(v.picklist(['type', 'size']))
				})
			),
			v.minLength(1, 'give at least 1 file')
		)
	}),
	v.strictObject({
		kind: v.literal('email'),
		...optionalId,
		from: Text,
		subject: Text,
		body: Text,
		link: v.optional(v.strictObject({ id: Id, label: Text, goto: v.optional(Id) }))
	}),
	v.strictObject({
		kind: v.literal('app'),
		...withId,
		label: Text,
		icon: v.picklist(APP_ICONS),
		goto: v.optional(Id)
	}),
	v.strictObject({ kind: v.literal('back'), ...withId, label: Text, goto: v.optional(Id) })
]);

const screenFields = {
	/** Heading of the simulated page, e.g. the portal's name. `{city}` becomes the city's name. */
	title: v.optional(Text),
	/** The address shown in a simulated browser bar; spotting a wrong one is a lesson in itself. */
	address: v.optional(Text),
	elements: v.pipe(v.array(SimElement), v.minLength(1, 'a screen needs at least 1 element'))
};
export const Screen = v.strictObject(screenFields);

const stepBase = { id: Id, title: v.optional(Text) };

export const ExplainStep = v.strictObject({
	...stepBase,
	kind: v.literal('explain'),
	text: Text,
	image: v.optional(Image)
});

export const ChoiceStep = v.strictObject({
	...stepBase,
	kind: v.literal('choice'),
	question: Text,
	text: v.optional(Text),
	image: v.optional(Image),
	options: v.pipe(
		v.array(
			v.strictObject({
				id: Id,
				text: Text,
				correct: v.optional(v.boolean(), false),
				feedback: Text
			})
		),
		v.minLength(2, 'a question needs at least 2 options')
	)
});

export const TapStep = v.strictObject({
	...stepBase,
	kind: v.literal('tap'),
	prompt: Text,
	screen: Screen,
	/** The id of the element to tap. */
	target: Id,
	/** Shown after the second miss; after the third the answer is highlighted. */
	hint: Text,
	success: v.optional(Text)
});

export const InputStep = v.strictObject({
	...stepBase,
	kind: v.literal('input'),
	prompt: Text,
	text: v.optional(Text),
	field: v.strictObject({
		label: Text,
		format: v.optional(FieldFormat, 'text'),
		placeholder: v.optional(Text),
		hint: v.optional(Text)
	}),
	/** The exact answer, when there is one (compared without case and extra spaces). */
	expect: v.optional(Text),
	/** A right answer, shown after the third try so no learner gets stuck. */
	example: Text,
	success: v.optional(Text)
});

export const OrderStep = v.strictObject({
	...stepBase,
	kind: v.literal('order'),
	prompt: Text,
	/** In the right order; the player shuffles them. */
	items: v.pipe(
		v.array(v.strictObject({ id: Id, text: Text })),
		v.minLength(3, 'put at least 3 items in order')
	),
	success: v.optional(Text)
});

export const PracticeScreen = v.strictObject({
	id: Id,
	/** What the learner should do on this screen, in the lesson's voice. */
	task: Text,
	/** Reaching this screen is a checkpoint with this name. */
	checkpoint: v.optional(Text),
	/** Reaching this screen completes the practice. */
	finish: v.optional(v.boolean(), false),
	...screenFields
});

export const PracticeStep = v.strictObject({
	...stepBase,
	kind: v.literal('practice'),
	prompt: Text,
	text: v.optional(Text),
	start: Id,
	screens: v.pipe(v.array(PracticeScreen), v.minLength(2, 'a practice needs at least 2 screens')),
	success: v.optional(Text)
});

export const STEP_KINDS = ['explain', 'choice', 'tap', 'input', 'order', 'practice'] as const;

export const Step = v.variant(
	'kind',
	[ExplainStep, ChoiceStep, TapStep, InputStep, OrderStep, PracticeStep],
	`unknown step kind: use one of ${STEP_KINDS.join(', ')}`
);

export const Lesson = v.strictObject({
	id: Id,
	title: Text,
	summary: Text,
	/** What the learner can do now, shown on the completion screen. */
	outcome: Text,
	steps: v.pipe(v.array(Step), v.minLength(1, 'a lesson needs at least 1 step'))
});

export const GlossaryEntry = v.strictObject({
	/** The official German term as the real service shows it. */
	term: Text,
	explanation: Text
});

export const CourseSource = v.strictObject({
	id: Id,
	version: v.pipe(v.number(), v.integer(), v.minValue(1)),
	lang: Lang,
	/** Place in the list of courses: lower comes first. */
	order: v.optional(v.pipe(v.number(), v.integer()), 100),
	title: Text,
	summary: Text,
	image: v.optional(Image),
	lessons: v.pipe(v.array(Lesson), v.minLength(1, 'a course needs at least 1 lesson')),
	glossary: v.optional(v.array(GlossaryEntry), []),
	/** The steps to repeat at home on the real site, printed on the step card. */
	stepCard: v.optional(v.array(Text), [])
});

export const PACK_FORMAT = 1;

/** A compiled course pack: the source with media paths resolved to their built URLs. */
export const CoursePack = v.strictObject({
	...CourseSource.entries,
	format: v.literal(PACK_FORMAT),
	/** Content hash of this pack; a new hash with the same version means a rebuilt pack. */
	hash: Text,
	media: v.array(Text)
});

export const PackIndexEntry = v.strictObject({
	id: Id,
	version: v.pipe(v.number(), v.integer(), v.minValue(1)),
	languages: v.array(v.strictObject({ lang: Lang, url: Text, hash: Text, title: Text })),
	media: v.array(Text)
});

/** How the practice pages are dressed: the city's settings (see `domain/city.ts`). */
export const CityDressing = v.strictObject({
	name: Text,
	domain: Text,
	officeAddress: Text,
	officeHours: Text,
	libraryName: Text,
	libraryHours: Text,
	arms: v.nullable(Text)
});

export const PackIndex = v.strictObject({
	format: v.literal(PACK_FORMAT),
	courses: v.array(PackIndexEntry),
	/** Sent by the office with the courses; the build's own index has none. */
	city: v.optional(CityDressing)
});

export type SimElement = v.InferOutput<typeof SimElement>;
export type Screen = v.InferOutput<typeof Screen>;
export type PracticeScreen = v.InferOutput<typeof PracticeScreen>;
export type Step = v.InferOutput<typeof Step>;
export type StepKind = Step['kind'];
export type ExplainStep = v.InferOutput<typeof ExplainStep>;
export type ChoiceStep = v.InferOutput<typeof ChoiceStep>;
export type TapStep = v.InferOutput<typeof TapStep>;
export type InputStep = v.InferOutput<typeof InputStep>;
export type OrderStep = v.InferOutput<typeof OrderStep>;
export type PracticeStep = v.InferOutput<typeof PracticeStep>;
export type Lesson = v.InferOutput<typeof Lesson>;
export type CourseSource = v.InferOutput<typeof CourseSource>;
export type CoursePack = v.InferOutput<typeof CoursePack>;
export type PackIndex = v.InferOutput<typeof PackIndex>;
export type PackIndexEntry = v.InferOutput<typeof PackIndexEntry>;
export type FieldFormat = v.InferOutput<typeof FieldFormat>;
export type AppIcon = (typeof APP_ICONS)[number];
