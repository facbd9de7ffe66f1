/**
 * Records what a learner did: the events, the derived lesson state and the outbox entries
 * are written in one transaction, so they can never disagree.
 */
import { v7 as uuidv7 } from 'uuid';
import { deriveLessonState, extendLessonState } from '../../domain/progress/derive';
import { lessonKey, type NewProgressEvent, type ProgressEvent } from '../../domain/progress/events';
import type { LernlotseDatabase } from './database';
import type { Device } from './device';
import { LAST_STAMP } from './device';
import type { LessonStateRecord } from './records';

export async function recordProgress(
	db: LernlotseDatabase,
	device: Device,
	input: NewProgressEvent[]
): Promise<ProgressEvent[]> {
	const events: ProgressEvent[] = input.map((e) => ({
		...e,
		id: uuidv7(),
		hlc: device.clock.tick(),
		deviceId: device.id
	}));
	const last = events.at(-1);
	if (!last) return events;
	const createdAt = new Date().toISOString();
	await db.transaction('rw', [db.progress, db.lessonState, db.outbox, db.meta], async () => {
		await db.progress.bulkAdd(events);
		await db.outbox.bulkAdd(
			events.map((e) => ({
				mutationId: e.id,
				kind: 'progress' as const,
				payload: e,
				hlc: e.hlc,
				createdAt
			}))
		);
		const byLesson = new Map<string, ProgressEvent[]>();
		for (const e of events) byLesson.set(lessonKey(e), [...(byLesson.get(lessonKey(e)) ?? []), e]);
		for (const group of byLesson.values()) {
			const e = group[0]!;
			const stored = await db.lessonState.get([e.learnerId, e.courseId, e.lessonId]);
			// New local events sort last: extend the stored state instead of re-reading the log.
			const state =
				(stored && extendLessonState(stored, group)) ?? deriveLessonState(await lessonLog(db, e));
			if (state) await db.lessonState.put(state);
		}
		await db.meta.put({ key: LAST_STAMP, value: last.hlc });
	});
	return events;
}

/** Every event of one learner's lesson. */
export function lessonLog(
	db: LernlotseDatabase,
	e: { learnerId: string; courseId: string; lessonId: string }
): Promise<ProgressEvent[]> {
	return db.progress
		.where('[learnerId+courseId]')
		.equals([e.learnerId, e.courseId])
		.filter((p) => p.lessonId === e.lessonId)
		.toArray();
}

export function lessonStatesOf(
	db: LernlotseDatabase,
	learnerId: string,
	courseId?: string
): Promise<LessonStateRecord[]> {
	return courseId
		? db.lessonState.where('[learnerId+courseId]').equals([learnerId, courseId]).toArray()
		: db.lessonState.where('learnerId').equals(learnerId).toArray();
}
