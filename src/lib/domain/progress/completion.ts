/**
 * When a learner has completed a course: every lesson the course has now is completed. The
 * date is when the last of them was completed, so a certificate printed later says when.
 */
import type { LessonState } from './derive';

export interface CourseCompletion {
	courseId: string;
	lessons: number;
	/** Clock stamp of the last lesson completed. */
	completedAt: string;
}

export function courseCompletion(
	courseId: string,
	lessonIds: readonly string[],
	states: readonly LessonState[]
): CourseCompletion | null {
	if (lessonIds.length === 0) return null;
	let completedAt = '';
	for (const lessonId of lessonIds) {
		const state = states.find(
			(s) => s.courseId === courseId && s.lessonId === lessonId && s.completed
		);
		if (!state?.completedAt) return null;
		if (state.completedAt > completedAt) completedAt = state.completedAt;
	}
	return { courseId, lessons: lessonIds.length, completedAt };
}
