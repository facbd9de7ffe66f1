/**
 * Stores a page of changes from the office together with the new cursor, in one transaction:
 * a pull cut off half-way leaves the device exactly as before, and the next pull repeats it.
 */
import { deriveLessonState } from '../../domain/progress/derive';
import type { ProgressEvent } from '../../domain/progress/events';
import { lessonKey } from '../../domain/progress/events';
import { LEARNER_FIELDS } from '../../sync/limits';
import type { Change, LearnerSnapshot } from '../../sync/protocol';
import type { LernlotseDatabase } from '../db/database';
import { lessonLog } from '../db/progress';
import type { LearnerRecord } from '../db/records';
import { mergeSnapshot, splitStamped, stampedOf } from '../../domain/merge/stamped';
import type { AttendanceSnapshot, SessionSnapshot } from '../../sync/sessions';

export const CURSOR = 'syncCursor';

/** The office's merged profile, except fields changed here since (their stamp is newer). */
export function mergeLearner(
	local: LearnerRecord | undefined,
	remote: LearnerSnapshot
): LearnerRecord {
	const merged: LearnerRecord = local
		? { ...local, stamps: { ...local.stamps } }
		: {
				id: remote.id,
				name: remote.name,
				avatar: remote.avatar,
				lang: remote.lang,
				createdAt: remote.createdAt,
				updatedAt: remote.createdAt,
				stamps: { ...remote.stamps },
				// The office sends learners this device does not have only as its place's.
				placeOnly: true
			};
	if (remote.cards) merged.cardDigests = remote.cards;
	for (const f of LEARNER_FIELDS) {
		const mine = merged.stamps?.[f] ?? '';
		const theirs = remote.stamps[f] ?? '';
		if (theirs > mine && remote[f] !== undefined) {
			merged[f] = remote[f];
			merged.stamps = { ...merged.stamps, [f]: theirs };
		}
	}
	return merged;
}

/**
 * `history` is the whole past of learners this device newly works with: stored like any page,
 * and the learners marked as complete here, in the same transaction.
 */
export async function applyPulledPage(
	db: LernlotseDatabase,
	page: Change[],
	cursor: string,
	history: { deviceId: string; learnerIds: string[]; changes: Change[] } | null = null
): Promise<void> {
	const changes = history ? [...history.changes, ...page] : page;
	const tables = [
		db.progress,
		db.lessonState,
		db.learners,
		db.sessions,
		db.attendance,
		db.drafts,
		db.outbox,
		db.meta
	];
	await db.transaction('rw', tables, async () => {
		const events = changes
			.filter((c) => c.entity === 'progress')
			.map((c) => c.data as ProgressEvent);
		const known = new Set(
			(await db.progress.bulkGet(events.map((e) => e.id))).filter(Boolean).map((e) => e!.id)
		);
		// History and page can carry the same event: each is stored once.
		const fresh = [
			...new Map(events.filter((e) => !known.has(e.id)).map((e) => [e.id, e])).values()
		];
		await db.progress.bulkAdd(fresh);
		const lessons = new Map(fresh.map((e) => [lessonKey(e), e]));
		for (const e of lessons.values()) {
			// Pulled events may be older than what is here: derive from the whole log.
			const state = deriveLessonState(await lessonLog(db, e));
			if (state) await db.lessonState.put(state);
		}
		for (const change of changes) {
			if (change.entity !== 'learner') continue;
			await db.learners.put(mergeLearner(await db.learners.get(change.data.id), change.data));
		}
		for (const change of changes) {
			if (change.entity === 'session') await storeSession(db, change.data);
			else if (change.entity === 'attendance') await storeAttendance(db, change.data);
			else if (change.entity === 'learner-erased') await forgetLearner(db, change.data.id);
		}
		for (const id of history?.learnerIds ?? []) {
			await db.learners.update(id, { historyOn: history!.deviceId });
		}
		await db.meta.put({ key: CURSOR, value: cursor });
	});
}

/** Stamped values merged with what is here: a field changed here later stays as it is here. */
function mergeValues<F extends string>(
	local: { fields: Partial<Record<F, string>>; stamps: Partial<Record<F, string>> } | undefined,
	remote: { fields: Partial<Record<F, string>>; stamps: Partial<Record<F, string>> }
) {
	const merged = mergeSnapshot(
		local ? stampedOf(local.fields, local.stamps) : {},
		stampedOf(remote.fields, remote.stamps)
	);
	const { values, stamps } = splitStamped(merged);
	return { fields: values, stamps };
}

async function storeSession(db: LernlotseDatabase, remote: SessionSnapshot): Promise<void> {
	const local = await db.sessions.get(remote.id);
	const { fields, stamps } = mergeValues(local, remote);
	await db.sessions.put({
		id: remote.id,
		locationId: remote.locationId,
		seriesId: remote.seriesId,
		seriesIndex: remote.seriesIndex,
		date: fields.date ?? '',
		fields,
		stamps,
		createdBy: remote.createdBy,
		createdAt: remote.createdAt
	});
}

async function storeAttendance(db: LernlotseDatabase, remote: AttendanceSnapshot): Promise<void> {
	const local = await db.attendance.get([remote.sessionId, remote.learnerId]);
	await db.attendance.put({
		sessionId: remote.sessionId,
		learnerId: remote.learnerId,
		...mergeValues(local, remote),
		conflicts: remote.conflicts
	});
}

/**
 * The learner's data was erased at the office (on request, or after the retention period):
 * nothing of theirs may stay on this device either, including changes not yet sent.
 */
async function forgetLearner(db: LernlotseDatabase, learnerId: string): Promise<void> {
	await db.learners.delete(learnerId);
	await db.progress.where('learnerId').equals(learnerId).delete();
	await db.lessonState.where('learnerId').equals(learnerId).delete();
	await db.drafts.where('learnerId').equals(learnerId).delete();
	await db.attendance.where('learnerId').equals(learnerId).delete();
	await db.outbox
		.filter((row) => {
			const payload = row.payload as { id?: string; learnerId?: string } | null;
			return (
				payload?.learnerId === learnerId || (row.kind === 'learner' && payload?.id === learnerId)
			);
		})
		.delete();
}
