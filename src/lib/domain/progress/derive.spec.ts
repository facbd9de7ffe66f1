import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatHlc } from '../hlc';
import { deriveAll, deriveLessonState, extendLessonState } from './derive';
import { PROGRESS_EVENT_TYPES, type ProgressEvent } from './events';

const at = (ms: number, counter = 0, node = 'dev-a') => formatHlc({ ms, counter, node });

let nextId = 0;
function event(
	overrides: Partial<ProgressEvent> & Pick<ProgressEvent, 'type' | 'hlc'>
): ProgressEvent {
	return {
		id: `ev-${String(++nextId).padStart(4, '0')}`,
		learnerId: 'anna',
		courseId: 'tablet-basics',
		courseVersion: 1,
		lessonId: 'tapping',
		stepId: null,
		deviceId: 'dev-a',
		...overrides
	};
}

describe('deriveLessonState', () => {
	it('returns null when there are no events', () => {
		expect(deriveLessonState([])).toBeNull();
	});

	it('names the learner, course and lesson of the events', () => {
		const state = deriveLessonState([event({ type: 'step-viewed', stepId: 'a', hlc: at(10) })]);
		expect(state).toMatchObject({
			learnerId: 'anna',
			courseId: 'tablet-basics',
			lessonId: 'tapping'
		});
	});

	it('lists every completed step once, sorted', () => {
		const state = deriveLessonState([
			event({ type: 'step-completed', stepId: 'b', hlc: at(10), attempts: 1 }),
			event({ type: 'step-completed', stepId: 'a', hlc: at(20), attempts: 2 }),
			event({ type: 'step-completed', stepId: 'b', hlc: at(30), attempts: 1 })
		]);
		expect(state?.completedStepIds).toEqual(['a', 'b']);
	});

	it('takes the current step from the last step-viewed by clock, not by array order', () => {
		const state = deriveLessonState([
			event({ type: 'step-viewed', stepId: 'third', hlc: at(30) }),
			event({ type: 'step-viewed', stepId: 'first', hlc: at(10) }),
			event({ type: 'step-viewed', stepId: 'second', hlc: at(20) })
		]);
		expect(state?.currentStepId).toBe('third');
	});

	it('orders stamps of the same millisecond by their counter', () => {
		const state = deriveLessonState([
			event({ type: 'step-viewed', stepId: 'later', hlc: at(10, 2) }),
			event({ type: 'step-viewed', stepId: 'earlier', hlc: at(10, 1) })
		]);
		expect(state?.currentStepId).toBe('later');
	});

	it('ignores completions and help when choosing the current step', () => {
		const state = deriveLessonState([
			event({ type: 'step-viewed', stepId: 'a', hlc: at(10) }),
			event({ type: 'step-completed', stepId: 'b', hlc: at(20) }),
			event({ type: 'help-requested', stepId: 'c', hlc: at(30) })
		]);
		expect(state?.currentStepId).toBe('a');
	});

	it('has no current step when nothing was viewed', () => {
		const state = deriveLessonState([event({ type: 'step-completed', stepId: 'a', hlc: at(10) })]);
		expect(state?.currentStepId).toBeNull();
	});

	it('counts each help request, and lists the steps that needed help once', () => {
		const state = deriveLessonState([
			event({ type: 'help-requested', stepId: 'tap-start', hlc: at(10) }),
			event({ type: 'help-requested', stepId: 'tap-start', hlc: at(20) }),
			event({ type: 'help-requested', stepId: 'order', hlc: at(30) })
		]);
		expect(state?.helpCount).toBe(3);
		expect(state?.helpStepIds).toEqual(['order', 'tap-start']);
	});

	it('does not count a replayed help request twice', () => {
		const help = event({ type: 'help-requested', stepId: 'tap-start', hlc: at(10) });
		const state = deriveLessonState([help, { ...help }, help]);
		expect(state?.helpCount).toBe(1);
	});

	it('collects checkpoints once each, sorted', () => {
		const state = deriveLessonState([
			event({ type: 'checkpoint-reached', checkpoint: 'mail-confirmed', hlc: at(20) }),
			event({ type: 'checkpoint-reached', checkpoint: 'form-sent', hlc: at(10) }),
			event({ type: 'checkpoint-reached', checkpoint: 'form-sent', hlc: at(30) })
		]);
		expect(state?.checkpoints).toEqual(['form-sent', 'mail-confirmed']);
	});

	it('is not completed until a lesson-completed event arrives', () => {
		const state = deriveLessonState([event({ type: 'step-completed', stepId: 'a', hlc: at(10) })]);
		expect(state?.completed).toBe(false);
		expect(state?.completedAt).toBeNull();
	});

	it('is completed at the first lesson-completed event, even if completed again later', () => {
		const state = deriveLessonState([
			event({ type: 'lesson-completed', hlc: at(50) }),
			event({ type: 'lesson-completed', hlc: at(30) }),
			event({ type: 'step-viewed', stepId: 'a', hlc: at(60) })
		]);
		expect(state?.completed).toBe(true);
		expect(state?.completedAt).toBe(at(30));
	});

	it('starts at the earliest stamp and was updated at the latest one', () => {
		const state = deriveLessonState([
			event({ type: 'step-viewed', stepId: 'b', hlc: at(20) }),
			event({ type: 'step-viewed', stepId: 'c', hlc: at(30) }),
			event({ type: 'step-viewed', stepId: 'a', hlc: at(10) })
		]);
		expect(state?.startedAt).toBe(at(10));
		expect(state?.updatedAt).toBe(at(30));
	});
});

describe('deriveAll', () => {
	it('derives one state per learner and lesson from a mixed log', () => {
		const states = deriveAll([
			event({ type: 'step-viewed', stepId: 'a', hlc: at(10) }),
			event({ type: 'step-viewed', stepId: 'x', hlc: at(11), lessonId: 'scrolling' }),
			event({ type: 'step-viewed', stepId: 'b', hlc: at(12) }),
			event({ type: 'step-viewed', stepId: 'y', hlc: at(13), learnerId: 'ben' })
		]);
		const summary = states.map((s) => `${s.learnerId}/${s.lessonId}@${s.currentStepId}`).sort();
		expect(summary).toEqual(['anna/scrolling@x', 'anna/tapping@b', 'ben/tapping@y']);
	});

	it('keeps courses apart even where lesson ids are the same', () => {
		const states = deriveAll([
			event({ type: 'lesson-completed', hlc: at(10), courseId: 'one' }),
			event({ type: 'step-viewed', stepId: 'a', hlc: at(11), courseId: 'two' })
		]);
		expect(states).toHaveLength(2);
		expect(states.find((s) => s.courseId === 'one')?.completed).toBe(true);
		expect(states.find((s) => s.courseId === 'two')?.completed).toBe(false);
	});

	it('gives nothing for an empty log', () => {
		expect(deriveAll([])).toEqual([]);
	});
});

describe('deriveLessonState property: only the set of events matters', () => {
	const stepId = fc.constantFrom('s1', 's2', 's3', 's4');
	const rawEvent = fc.record({
		type: fc.constantFrom(...PROGRESS_EVENT_TYPES),
		stepId: fc.option(stepId, { nil: null }),
		checkpoint: fc.option(fc.constantFrom('form-sent', 'mail-confirmed'), { nil: undefined }),
		// Few distinct values, so equal stamps and equal milliseconds happen often.
		ms: fc.integer({ min: 1, max: 6 }),
		counter: fc.integer({ min: 0, max: 2 }),
		node: fc.constantFrom('dev-a', 'dev-b')
	});
	const lessonLog = fc.array(rawEvent, { minLength: 1, maxLength: 25 }).map((raws) =>
		raws.map((r, i): ProgressEvent => ({
			id: `event-${String(i).padStart(3, '0')}`,
			learnerId: 'anna',
			courseId: 'tablet-basics',
			courseVersion: 1,
			lessonId: 'tapping',
			stepId: r.stepId,
			type: r.type,
			...(r.checkpoint === undefined ? {} : { checkpoint: r.checkpoint }),
			hlc: formatHlc({ ms: r.ms, counter: r.counter, node: r.node }),
			deviceId: r.node
		}))
	);
	/** The log, reordered, with some events delivered more than once (as copies). */
	const reordered = lessonLog.chain((events) =>
		fc.record({
			events: fc.constant(events),
			delivered: fc
				.tuple(fc.constant(events), fc.array(fc.nat({ max: events.length - 1 }), { maxLength: 10 }))
				.map(([all, again]) => [...all, ...again.map((i) => ({ ...all[i]! }))])
				.chain((withCopies) =>
					fc.shuffledSubarray(withCopies, {
						minLength: withCopies.length,
						maxLength: withCopies.length
					})
				)
		})
	);

	it('any permutation and duplication gives a deep-equal state', () => {
		fc.assert(
			fc.property(reordered, ({ events, delivered }) => {
				expect(deriveLessonState(delivered)).toStrictEqual(deriveLessonState(events));
			})
		);
	});

	it('any permutation alone gives a deep-equal state', () => {
		const permuted = lessonLog.chain((events) =>
			fc.tuple(
				fc.constant(events),
				fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length })
			)
		);
		fc.assert(
			fc.property(permuted, ([events, shuffled]) => {
				expect(deriveLessonState(shuffled)).toStrictEqual(deriveLessonState(events));
			})
		);
	});

	it('the help count equals the number of distinct help events', () => {
		fc.assert(
			fc.property(reordered, ({ events, delivered }) => {
				const helpIds = new Set(events.filter((e) => e.type === 'help-requested').map((e) => e.id));
				expect(deriveLessonState(delivered)?.helpCount).toBe(helpIds.size);
			})
		);
	});

	it('extending a state with newer events equals deriving from the whole log', () => {
		const split = lessonLog.chain((events) =>
			fc.tuple(fc.constant(events), fc.nat({ max: events.length - 1 }))
		);
		fc.assert(
			fc.property(split, ([events, cut]) => {
				const sorted = [...events].sort((a, b) =>
					a.hlc < b.hlc ? -1 : a.hlc > b.hlc ? 1 : a.id < b.id ? -1 : 1
				);
				const before = sorted.slice(0, cut + 1);
				const last = before.at(-1)!.hlc;
				const after = sorted.slice(cut + 1).filter((e) => e.hlc > last);
				const extended = extendLessonState(deriveLessonState(before)!, after);
				expect(extended).toStrictEqual(deriveLessonState([...before, ...after]));
			})
		);
	});

	it('refuses to extend with an event that is not newer', () => {
		fc.assert(
			fc.property(lessonLog, (events) => {
				const state = deriveLessonState(events)!;
				const old = events.find((e) => e.hlc <= state.updatedAt)!;
				expect(extendLessonState(state, [{ ...old, id: 'late-arrival' }])).toBeNull();
			})
		);
	});
});
