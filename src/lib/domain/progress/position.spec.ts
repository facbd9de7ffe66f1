import { describe, expect, it } from 'vitest';
import { buildPack, explainStep, lessonInput } from '../course/test-factory';
import type { CoursePack, Lesson } from '../course/schema';
import { formatHlc } from '../hlc';
import type { LessonState } from './derive';
import { courseProgress, lessonStepsDone, resumeStepIndex } from './position';

const at = (ms: number) => formatHlc({ ms, counter: 0, node: 'dev-a' });

/** A course with lessons of plain explain steps: `{ one: ['a', 'b'] }`. */
function course(lessons: Record<string, string[]>): CoursePack {
	return buildPack({
		lessons: Object.entries(lessons).map(([id, steps]) =>
			lessonInput({ id, steps: steps.map((s) => explainStep({ id: s })) })
		)
	});
}

function lessonOf(pack: CoursePack, id: string): Lesson {
	const lesson = pack.lessons.find((l) => l.id === id);
	if (!lesson) throw new Error(`no lesson ${id}`);
	return lesson;
}

function state(lessonId: string, overrides: Partial<LessonState> = {}): LessonState {
	return {
		learnerId: 'anna',
		courseId: 'test-course',
		lessonId,
		currentStepId: null,
		completedStepIds: [],
		helpStepIds: [],
		helpCount: 0,
		checkpoints: [],
		completed: false,
		startedAt: at(1),
		updatedAt: at(1),
		completedAt: null,
		...overrides
	};
}

describe('lessonStepsDone', () => {
	const pack = course({ one: ['a', 'b', 'c'] });
	const lesson = lessonOf(pack, 'one');

	it('is 0 for a lesson never started', () => {
		expect(lessonStepsDone(lesson, undefined)).toBe(0);
	});

	it('counts the completed steps the lesson still has', () => {
		expect(lessonStepsDone(lesson, state('one', { completedStepIds: ['a', 'c'] }))).toBe(2);
	});

	it('skips completed steps that a newer pack removed', () => {
		const done = state('one', { completedStepIds: ['a', 'removed-1', 'removed-2'] });
		expect(lessonStepsDone(lesson, done)).toBe(1);
	});
});

describe('courseProgress', () => {
	it('reports a course nobody started', () => {
		const progress = courseProgress(course({ one: ['a', 'b'], two: ['c'] }), []);
		expect(progress).toEqual({
			lessonsDone: 0,
			lessonsTotal: 2,
			stepsDone: 0,
			stepsTotal: 3,
			nextLessonId: 'one',
			started: false,
			complete: false
		});
	});

	it('measures against the newer pack: removed steps are skipped, new steps count as not done', () => {
		// Version 1 had a, b, old; version 2 dropped "old" and added "new".
		const v2 = course({ one: ['a', 'b', 'new'] });
		const progress = courseProgress(v2, [
			state('one', { completedStepIds: ['a', 'b', 'old'], currentStepId: 'old' })
		]);
		expect(progress.stepsDone).toBe(2);
		expect(progress.stepsTotal).toBe(3);
		expect(progress.nextLessonId).toBe('one');
	});

	it('ignores the state of a lesson the newer pack removed', () => {
		const progress = courseProgress(course({ one: ['a'] }), [
			state('gone', { completed: true, completedStepIds: ['x', 'y'] })
		]);
		expect(progress.lessonsDone).toBe(0);
		expect(progress.stepsDone).toBe(0);
		expect(progress.complete).toBe(false);
		expect(progress.nextLessonId).toBe('one');
	});

	it('continues with the most recently touched unfinished lesson, not the first one', () => {
		const pack = course({ one: ['a'], two: ['b'], three: ['c'], four: ['d'] });
		const progress = courseProgress(pack, [
			state('two', { updatedAt: at(20) }),
			state('four', { updatedAt: at(40), completed: true }),
			state('three', { updatedAt: at(30) })
		]);
		expect(progress.nextLessonId).toBe('three');
		expect(progress.started).toBe(true);
	});

	it('continues with the first unfinished lesson when every touched lesson is finished', () => {
		const pack = course({ one: ['a'], two: ['b'], three: ['c'] });
		const progress = courseProgress(pack, [
			state('one', { completed: true, completedStepIds: ['a'], updatedAt: at(10) }),
			state('three', { completed: true, completedStepIds: ['c'], updatedAt: at(30) })
		]);
		expect(progress.nextLessonId).toBe('two');
		expect(progress.lessonsDone).toBe(2);
		expect(progress.complete).toBe(false);
	});

	it('is complete, with no next lesson, when every lesson is completed', () => {
		const pack = course({ one: ['a', 'b'], two: ['c'] });
		const progress = courseProgress(pack, [
			state('one', { completed: true, completedStepIds: ['a', 'b'] }),
			state('two', { completed: true, completedStepIds: ['c'] })
		]);
		expect(progress).toMatchObject({
			lessonsDone: 2,
			stepsDone: 3,
			stepsTotal: 3,
			nextLessonId: null,
			complete: true
		});
	});
});

describe('resumeStepIndex', () => {
	const lesson = lessonOf(course({ one: ['a', 'b', 'c', 'd'] }), 'one');

	it('opens a lesson never started at its first step', () => {
		expect(resumeStepIndex(lesson, undefined)).toBe(0);
	});

	it('opens at the step the learner last looked at', () => {
		expect(resumeStepIndex(lesson, state('one', { currentStepId: 'c' }))).toBe(2);
	});

	it('opens a completed lesson at its start, to go through it again', () => {
		const done = state('one', { completed: true, currentStepId: 'd', completedStepIds: ['a'] });
		expect(resumeStepIndex(lesson, done)).toBe(0);
	});

	it('opens at the first step not done when the last viewed step was removed', () => {
		const was = state('one', { currentStepId: 'removed', completedStepIds: ['a', 'b', 'removed'] });
		expect(resumeStepIndex(lesson, was)).toBe(2);
	});

	it('treats a step new in the newer pack as not done', () => {
		const v2 = lessonOf(course({ one: ['a', 'inserted', 'b', 'c'] }), 'one');
		const was = state('one', { currentStepId: 'gone', completedStepIds: ['a', 'b', 'c'] });
		expect(resumeStepIndex(v2, was)).toBe(1);
	});

	it('falls back to the first step when all remaining steps are done', () => {
		const was = state('one', { currentStepId: 'gone', completedStepIds: ['a', 'b', 'c', 'd'] });
		expect(resumeStepIndex(lesson, was)).toBe(0);
	});
});
