import { describe, expect, it } from 'vitest';
import { formatHlc } from '../hlc';
import type { LessonState } from '../progress/derive';
import type { ProgressEvent, ProgressEventType } from '../progress/events';
import type { AttendanceStatus } from './attendance';
import {
	WINDOW_MARGIN_MS,
	currentLesson,
	openHelpCall,
	sessionWindow,
	stampMs,
	summarizeSession,
	type SummaryInput
} from './during';

const MIN = 60_000;
const TABLET = '0192f6a0-0000-7000-8000-00000000000a';

describe('sessionWindow', () => {
	it('has margins of 30 minutes', () => {
		expect(WINDOW_MARGIN_MS).toBe(30 * MIN);
	});

	it('runs from half an hour before the start to half an hour after the end, on the local calendar', () => {
		expect(sessionWindow('2026-05-04', '09:00', '11:30')).toEqual({
			from: new Date(2026, 4, 4, 8, 30).getTime(),
			to: new Date(2026, 4, 4, 12, 0).getTime()
		});
		expect(sessionWindow('2026-01-15', '14:15', '16:45')).toEqual({
			from: new Date(2026, 0, 15, 13, 45).getTime(),
			to: new Date(2026, 0, 15, 17, 15).getTime()
		});
	});

	it('crosses into the previous or next day when the session starts early or ends late', () => {
		expect(sessionWindow('2026-05-04', '00:10', '23:45')).toEqual({
			from: new Date(2026, 4, 3, 23, 40).getTime(),
			to: new Date(2026, 4, 5, 0, 15).getTime()
		});
		// First of the month and of the year: month and year carry over too.
		expect(sessionWindow('2026-01-01', '00:00', '01:00').from).toBe(
			new Date(2025, 11, 31, 23, 30).getTime()
		);
	});

	it('reads single-digit hours', () => {
		expect(sessionWindow('2026-05-04', '9:05', '10:00').from).toBe(
			new Date(2026, 4, 4, 9, 5).getTime() - 30 * MIN
		);
	});

	it('on the day clocks go forward (2026-03-29) builds the times on the local calendar', () => {
		const window = sessionWindow('2026-03-29', '01:00', '04:00');
		expect(window).toEqual({
			from: new Date(2026, 2, 29, 1, 0).getTime() - 30 * MIN,
			to: new Date(2026, 2, 29, 4, 0).getTime() + 30 * MIN
		});
	});

	it('in Europe/Berlin, the window of 01:00–04:00 on 2026-03-29 is 3 hours long (one hour skipped)', () => {
		// Node applies a changed TZ at once; the tablets of a German city run in this zone.
		const before = process.env.TZ;
		process.env.TZ = 'Europe/Berlin';
		try {
			const window = sessionWindow('2026-03-29', '01:00', '04:00');
			// 01:00 CET = 00:00 UTC, minus 30 min; 04:00 CEST = 02:00 UTC, plus 30 min.
			expect(window).toEqual({
				from: Date.UTC(2026, 2, 28, 23, 30),
				to: Date.UTC(2026, 2, 29, 2, 30)
			});
			expect(window.to - window.from).toBe(3 * 60 * MIN);
		} finally {
			if (before === undefined) delete process.env.TZ;
			else process.env.TZ = before;
		}
	});
});

function lessonState(lessonId: string, updatedAt: string): LessonState {
	return {
		learnerId: 'erna',
		courseId: 'course-1',
		lessonId,
		currentStepId: null,
		completedStepIds: [],
		helpStepIds: [],
		helpCount: 0,
		checkpoints: [],
		completed: false,
		startedAt: updatedAt,
		updatedAt,
		completedAt: null
	};
}

const stampAt = (ms: number, counter = 0) => formatHlc({ ms, counter, node: TABLET });

describe('currentLesson', () => {
	it('is null for no lessons', () => {
		expect(currentLesson([])).toBeNull();
	});

	it('is the lesson touched last, wherever it stands in the list', () => {
		const a = lessonState('lesson-a', stampAt(1_000));
		const b = lessonState('lesson-b', stampAt(3_000));
		const c = lessonState('lesson-c', stampAt(2_000, 5));
		expect(currentLesson([a, b, c])).toBe(b);
		expect(currentLesson([b, c, a])).toBe(b);
		expect(currentLesson([c, a, b])).toBe(b);
		expect(currentLesson([a])).toBe(a);
	});

	it('orders by the whole clock stamp: the counter breaks a tie in milliseconds', () => {
		const a = lessonState('lesson-a', stampAt(1_000, 2));
		const b = lessonState('lesson-b', stampAt(1_000, 10));
		expect(currentLesson([b, a])).toBe(b);
		expect(currentLesson([a, b])).toBe(b);
	});
});

let nextId = 0;
function event(
	type: ProgressEventType,
	ms: number,
	over: Partial<ProgressEvent> = {}
): ProgressEvent {
	nextId++;
	return {
		id: `event-${nextId}`,
		learnerId: 'erna',
		courseId: 'course-1',
		courseVersion: 1,
		lessonId: 'lesson-1',
		stepId: 'step-1',
		type,
		hlc: stampAt(ms),
		deviceId: TABLET,
		...over
	};
}

describe('openHelpCall', () => {
	const start = Date.UTC(2026, 4, 4, 7, 0);

	it('is null without any call for help', () => {
		expect(openHelpCall([], start, '')).toBeNull();
		expect(
			openHelpCall(
				[
					event('step-viewed', start + MIN),
					event('step-completed', start + 2 * MIN),
					event('checkpoint-reached', start + 3 * MIN),
					event('lesson-completed', start + 4 * MIN)
				],
				start,
				''
			)
		).toBeNull();
	});

	it('is the latest call for help, among other events', () => {
		const first = event('help-requested', start + 5 * MIN);
		const latest = event('help-requested', start + 20 * MIN, { stepId: 'step-4' });
		const middle = event('help-requested', start + 10 * MIN);
		const after = event('step-viewed', start + 30 * MIN);
		expect(openHelpCall([first, latest, middle, after], start, '')).toBe(latest);
		expect(openHelpCall([after, middle, latest, first], start, '')).toBe(latest);
	});

	it('ignores calls raised before the session started; one at the start counts', () => {
		const before = event('help-requested', start - 1);
		expect(openHelpCall([before], start, '')).toBeNull();
		const atStart = event('help-requested', start);
		expect(openHelpCall([before, atStart], start, '')).toBe(atStart);
	});

	it('ignores calls raised up to the moment a volunteer marked the learner as helped', () => {
		const seen = new Date(start + 15 * MIN).toISOString();
		const answered = event('help-requested', start + 10 * MIN);
		const atSeen = event('help-requested', start + 15 * MIN);
		expect(openHelpCall([answered, atSeen], start, seen)).toBeNull();
		const again = event('help-requested', start + 15 * MIN + 1);
		expect(openHelpCall([answered, again, atSeen], start, seen)).toBe(again);
	});

	it('still applies the start of the session when the last help was before it', () => {
		const seen = new Date(start - 60 * MIN).toISOString();
		const old = event('help-requested', start - 30 * MIN);
		expect(openHelpCall([old], start, seen)).toBeNull();
	});
});

describe('stampMs', () => {
	it('reads the milliseconds of a clock stamp', () => {
		expect(stampMs(stampAt(1_764_000_000_123, 7))).toBe(1_764_000_000_123);
	});
});

describe('summarizeSession', () => {
	const window = sessionWindow('2026-05-04', '09:00', '11:00');
	const inside = window.from + 45 * MIN;
	const iso = (ms: number) => new Date(ms).toISOString();

	const base = (over: Partial<SummaryInput> = {}): SummaryInput => ({
		roster: [],
		marks: new Map(),
		closed: false,
		window,
		walkIns: new Set(),
		createdAt: new Map(),
		events: [],
		...over
	});

	it('counts marks, and leaves the unmarked unmarked while the session is open', () => {
		const input = base({
			roster: ['erna', 'ali', 'hilde', 'kurt', 'ida'],
			marks: new Map<string, AttendanceStatus>([
				['erna', 'present'],
				['ali', 'late'],
				['hilde', 'excused']
			])
		});
		expect(summarizeSession(input)).toEqual({
			present: 1,
			late: 1,
			excused: 1,
			absent: 0,
			unmarked: 2,
			attended: 2,
			newLearners: 0,
			courses: new Map(),
			lessonsCompleted: 0
		});
	});

	it('turns the unmarked into absent when the session is closed', () => {
		const input = base({
			roster: ['erna', 'ali', 'hilde', 'kurt', 'ida'],
			marks: new Map<string, AttendanceStatus>([
				['erna', 'present'],
				['ali', 'late'],
				['hilde', 'absent']
			]),
			closed: true
		});
		expect(summarizeSession(input)).toMatchObject({
			present: 1,
			late: 1,
			excused: 0,
			absent: 3,
			unmarked: 0,
			attended: 2
		});
	});

	it('counts as new: walk-ins and profiles made inside the window, among attendees only', () => {
		const input = base({
			roster: ['walk-present', 'walk-late', 'walk-absent', 'new-present', 'new-excused'],
			marks: new Map<string, AttendanceStatus>([
				['walk-present', 'present'],
				['walk-late', 'late'],
				['walk-absent', 'absent'],
				['new-present', 'present'],
				['new-excused', 'excused'],
				['old-present', 'present'],
				['new-at-from', 'present'],
				['new-at-to', 'present'],
				['new-before', 'late'],
				['new-after', 'present']
			]),
			walkIns: new Set(['walk-present', 'walk-late', 'walk-absent', 'walk-unmarked']),
			createdAt: new Map([
				['new-present', iso(inside)],
				['new-excused', iso(inside)],
				['old-present', '2025-11-01T10:00:00.000Z'],
				['new-at-from', iso(window.from)],
				['new-at-to', iso(window.to)],
				['new-before', iso(window.from - 1)],
				['new-after', iso(window.to + 1)],
				// A walk-in made inside the window counts once.
				['walk-present', iso(inside)]
			])
		});
		// walk-present, walk-late, new-present, new-at-from, new-at-to.
		expect(summarizeSession(input).newLearners).toBe(5);
	});

	it('counts per course the distinct attendees who worked on it inside the window', () => {
		const marks = new Map<string, AttendanceStatus>([
			['erna', 'present'],
			['ali', 'late'],
			['hilde', 'absent'],
			['kurt', 'excused']
		]);
		const events = [
			event('step-viewed', inside, { learnerId: 'erna', courseId: 'whatsapp' }),
			event('step-completed', inside + MIN, { learnerId: 'erna', courseId: 'whatsapp' }),
			event('help-requested', inside + 2 * MIN, { learnerId: 'erna', courseId: 'photos' }),
			event('step-viewed', window.from, { learnerId: 'ali', courseId: 'whatsapp' }),
			event('step-viewed', window.to, { learnerId: 'ali', courseId: 'email' }),
			// Outside the window, or not an attendee: not counted.
			event('step-viewed', window.from - 1, { learnerId: 'ali', courseId: 'photos' }),
			event('step-viewed', window.to + 1, { learnerId: 'erna', courseId: 'email' }),
			event('step-viewed', inside, { learnerId: 'hilde', courseId: 'whatsapp' }),
			event('step-viewed', inside, { learnerId: 'kurt', courseId: 'banking' }),
			event('step-viewed', inside, { learnerId: 'stranger', courseId: 'banking' })
		];
		const summary = summarizeSession(base({ roster: [...marks.keys()], marks, events }));
		expect(summary.courses).toEqual(
			new Map([
				['whatsapp', 2],
				['photos', 1],
				['email', 1]
			])
		);
		expect(summary.courses.has('banking')).toBe(false);
	});

	it('counts distinct lessons completed inside the window by attendees', () => {
		const marks = new Map<string, AttendanceStatus>([
			['erna', 'present'],
			['ali', 'late'],
			['hilde', 'absent']
		]);
		const done = (learnerId: string, courseId: string, lessonId: string, ms: number) =>
			event('lesson-completed', ms, { learnerId, courseId, lessonId, stepId: null });
		const events = [
			done('erna', 'whatsapp', 'lesson-1', inside),
			// The same lesson done again in the session counts once.
			done('erna', 'whatsapp', 'lesson-1', inside + 10 * MIN),
			done('erna', 'whatsapp', 'lesson-2', inside),
			// Same lesson id in another course, and by another learner: each its own.
			done('erna', 'photos', 'lesson-1', inside),
			done('ali', 'whatsapp', 'lesson-1', window.to),
			// Not counted: outside the window, a non-attendee, other event types.
			done('ali', 'whatsapp', 'lesson-2', window.to + 1),
			done('erna', 'whatsapp', 'lesson-3', window.from - 1),
			done('hilde', 'whatsapp', 'lesson-1', inside),
			done('stranger', 'whatsapp', 'lesson-1', inside),
			event('step-completed', inside, {
				learnerId: 'erna',
				courseId: 'whatsapp',
				lessonId: 'lesson-9'
			}),
			event('checkpoint-reached', inside, {
				learnerId: 'ali',
				courseId: 'whatsapp',
				lessonId: 'lesson-8',
				checkpoint: 'half-way'
			})
		];
		const summary = summarizeSession(base({ roster: [...marks.keys()], marks, events }));
		expect(summary.lessonsCompleted).toBe(4);
		expect(summary.courses).toEqual(
			new Map([
				['whatsapp', 2],
				['photos', 1]
			])
		);
	});

	it('sums up a whole closed session', () => {
		const marks = new Map<string, AttendanceStatus>([
			['erna', 'present'],
			['ali', 'late'],
			['neu', 'present'],
			['hilde', 'excused']
		]);
		const summary = summarizeSession({
			roster: ['erna', 'ali', 'hilde', 'kurt'],
			marks,
			closed: true,
			window,
			walkIns: new Set(['neu']),
			createdAt: new Map([
				['neu', iso(inside)],
				['erna', '2025-01-01T00:00:00.000Z']
			]),
			events: [
				event('lesson-completed', inside, { learnerId: 'neu', courseId: 'whatsapp' }),
				event('step-viewed', inside, { learnerId: 'erna', courseId: 'whatsapp' }),
				event('lesson-completed', inside, { learnerId: 'erna', courseId: 'email' })
			]
		});
		expect(summary).toEqual({
			present: 2,
			late: 1,
			excused: 1,
			absent: 1,
			unmarked: 0,
			attended: 3,
			newLearners: 1,
			courses: new Map([
				['whatsapp', 2],
				['email', 1]
			]),
			lessonsCompleted: 2
		});
	});
});
