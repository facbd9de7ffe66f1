import { describe, expect, it } from 'vitest';
import type { LessonState } from './derive';
import { courseCompletion } from './completion';

function state(lessonId: string, completedAt: string | null, courseId = 'c'): LessonState {
	return {
		learnerId: 'l',
		courseId,
		lessonId,
		currentStepId: null,
		completedStepIds: [],
		helpStepIds: [],
		helpCount: 0,
		checkpoints: [],
		completed: completedAt !== null,
		startedAt: '000000000000001-00000-a',
		updatedAt: completedAt ?? '000000000000001-00000-a',
		completedAt
	};
}

describe('courseCompletion', () => {
	it('is complete when every lesson is, dated by the last one', () => {
		const states = [state('a', '000000000000003-00000-x'), state('b', '000000000000009-00000-x')];
		expect(courseCompletion('c', ['a', 'b'], states)).toEqual({
			courseId: 'c',
			lessons: 2,
			completedAt: '000000000000009-00000-x'
		});
	});

	it('is not complete while a lesson is open or missing', () => {
		expect(courseCompletion('c', ['a', 'b'], [state('a', '000000000000003-00000-x')])).toBeNull();
		expect(
			courseCompletion('c', ['a', 'b'], [state('a', '000000000000003-00000-x'), state('b', null)])
		).toBeNull();
	});

	it('does not count lessons of another course, nor a course without lessons', () => {
		const other = [state('a', '000000000000003-00000-x', 'other')];
		expect(courseCompletion('c', ['a'], other)).toBeNull();
		expect(courseCompletion('c', [], [])).toBeNull();
	});
});
