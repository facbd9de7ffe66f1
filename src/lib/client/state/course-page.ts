/** Loads one course and the learner's lesson states for the course pages. */
import { dressWithCity } from '../../domain/city';
import { courseFor } from '../db/courses';
import { lessonStatesOf } from '../db/progress';
import type { CourseRecord, LessonStateRecord } from '../db/records';
import type { AppState } from './app.svelte';

export interface CourseView {
	course: CourseRecord | null;
	states: LessonStateRecord[];
}

export async function loadCourseView(app: AppState, courseId: string): Promise<CourseView> {
	const learner = app.learner;
	if (!learner) return { course: null, states: [] };
	const [course, states] = await Promise.all([
		app.guard(() => courseFor(app.db, courseId, learner.lang)),
		app.guard(() => lessonStatesOf(app.db, learner.id, courseId))
	]);
	// Filled in once here, so titles, prompts, screens and read-aloud all name the city.
	const dressed = course?.pack ? { ...course, pack: dressWithCity(course.pack, app.city) } : course;
	return { course: dressed ?? null, states: states ?? [] };
}
