/**
 * Where to take a learner next, measured against the course as it is now: steps removed in a
 * newer version are skipped, new ones count as not done.
 */
import type { CoursePack, Lesson } from '../course/schema';
import type { LessonState } from './derive';

export interface CourseProgress {
	lessonsDone: number;
	lessonsTotal: number;
	stepsDone: number;
	stepsTotal: number;
	/** Lesson to continue with, or null when the course is complete. */
	nextLessonId: string | null;
	started: boolean;
	complete: boolean;
}

export function lessonStepsDone(lesson: Lesson, state: LessonState | undefined): number {
	if (!state) return 0;
	const done = new Set(state.completedStepIds);
	return lesson.steps.filter((s) => done.has(s.id)).length;
}

export function courseProgress(course: CoursePack, states: readonly LessonState[]): CourseProgress {
	const byLesson = new Map(states.map((s) => [s.lessonId, s]));
	let lessonsDone = 0;
	let stepsDone = 0;
	let stepsTotal = 0;
	for (const lesson of course.lessons) {
		const state = byLesson.get(lesson.id);
		if (state?.completed) lessonsDone++;
		stepsDone += lessonStepsDone(lesson, state);
		stepsTotal += lesson.steps.length;
	}
	const touched = course.lessons
		.map((l) => byLesson.get(l.id))
		.filter((s): s is LessonState => !!s && !s.completed)
		.sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : -1));
	const nextLessonId =
		touched[0]?.lessonId ?? course.lessons.find((l) => !byLesson.get(l.id)?.completed)?.id ?? null;
	return {
		lessonsDone,
		lessonsTotal: course.lessons.length,
		stepsDone,
		stepsTotal,
		nextLessonId,
		started: states.length > 0,
		complete: lessonsDone === course.lessons.length
	};
}

/** The step to open a lesson at: where the learner was, else the first one not yet done. */
export function resumeStepIndex(lesson: Lesson, state: LessonState | undefined): number {
	if (!state || state.completed) return 0;
	const current = lesson.steps.findIndex((s) => s.id === state.currentStepId);
	if (current >= 0) return current;
	const done = new Set(state.completedStepIds);
	const firstOpen = lesson.steps.findIndex((s) => !done.has(s.id));
	return firstOpen >= 0 ? firstOpen : 0;
}
