/** Unfinished answers, one per learner and lesson: the step being worked on and its input. */
import type { LernlotseDatabase } from './database';
import type { DraftRecord } from './records';

export type LessonRef = { learnerId: string; courseId: string; lessonId: string };

export function getDraft(db: LernlotseDatabase, ref: LessonRef): Promise<DraftRecord | undefined> {
	return db.drafts.get([ref.learnerId, ref.courseId, ref.lessonId]);
}

export async function saveDraft(
	db: LernlotseDatabase,
	ref: LessonRef,
	stepId: string,
	value: unknown
): Promise<void> {
	await db.drafts.put({ ...ref, stepId, value, updatedAt: new Date().toISOString() });
}

export async function clearDraft(db: LernlotseDatabase, ref: LessonRef): Promise<void> {
	await db.drafts.delete([ref.learnerId, ref.courseId, ref.lessonId]);
}
