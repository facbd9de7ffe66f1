/** Finds and rewrites the images a course refers to, so the build can hash and precache them. */
import type { CourseSource } from './schema';
import type { Path } from './check';

export interface MediaRef {
	path: Path;
	src: string;
}

export function mediaRefs(course: CourseSource): MediaRef[] {
	const refs: MediaRef[] = [];
	if (course.image) refs.push({ path: ['image', 'src'], src: course.image.src });
	course.lessons.forEach((lesson, l) =>
		lesson.steps.forEach((step, s) => {
			if ((step.kind === 'explain' || step.kind === 'choice') && step.image) {
				refs.push({ path: ['lessons', l, 'steps', s, 'image', 'src'], src: step.image.src });
			}
		})
	);
	return refs;
}

/** A copy of the course with every image source replaced through `resolve`. */
export function rewriteMedia(course: CourseSource, resolve: (src: string) => string): CourseSource {
	return {
		...course,
		image: course.image && { ...course.image, src: resolve(course.image.src) },
		lessons: course.lessons.map((lesson) => ({
			...lesson,
			steps: lesson.steps.map((step) =>
				(step.kind === 'explain' || step.kind === 'choice') && step.image
					? { ...step, image: { ...step.image, src: resolve(step.image.src) } }
					: step
			)
		}))
	};
}
