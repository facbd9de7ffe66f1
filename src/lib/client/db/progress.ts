/**
 * Records what a learner did: the events, the derived lesson state and the outbox entries
 * are written in one transaction, so they can never disagree.
 */
import { v7 as uuidv7 } from 'uuid';
import { deriveLessonState } from '../../domain/progress/derive';
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
		const lessons = new Map(events.map((e) => [lessonKey(e), e]));
		for (const e of lessons.values()) {
			const log = await db.progress
				.where('[learnerId+courseId]')
				.equals([e.learnerId, e.courseId])
				.filter((p) => p.lessonId === e.lessonId)
				.toArray();
			const state = deriveLessonState(log);
			if (state) await db.lessonState.put(state);
		}
		await db.meta.put({ key: LAST_STAMP, value: last.hlc });
	});
	return events;
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
