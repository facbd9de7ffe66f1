/** Stored rows in the shape the wire contract sends them. */
import type { Kysely, Selectable } from 'kysely';
import type { AttendanceField, SessionField } from '../../domain/sessions/records';
import type { LearnerSnapshot } from '../../sync/protocol';
import type { AttendanceConflict, AttendanceSnapshot, SessionSnapshot } from '../../sync/sessions';
import type { Database, LearnersTable } from '../db/schema';
import { attendanceValuesOf, sessionValuesOf } from './sessions';

export function learnerSnapshot(
	l: Selectable<LearnersTable>,
	cards?: LearnerSnapshot['cards']
): LearnerSnapshot {
	// The statistics answers travel only once set: a field never set has no stamp to merge by.
	const optional = (field: 'consent' | 'ageGroup' | 'targetGroup', value: string, stamp: string) =>
		stamp ? { value: { [field]: value }, stamp: { [field]: stamp } } : null;
	const extras = [
		optional('consent', l.consent, l.consent_hlc),
		optional('ageGroup', l.age_group, l.age_group_hlc),
		optional('targetGroup', l.target_group, l.target_group_hlc)
	].filter((e) => e !== null);
	return {
		id: l.id,
		name: l.name,
		avatar: l.avatar,
		lang: l.lang,
		createdAt: l.created_at,
		...Object.assign({}, ...extras.map((e) => e.value)),
		stamps: {
			name: l.name_hlc,
			avatar: l.avatar_hlc,
			lang: l.lang_hlc,
			...Object.assign({}, ...extras.map((e) => e.stamp))
		},
		...(cards ? { cards } : {})
	};
}

/** Profiles with the digests of their cards, for devices that check people in. */
export async function learnerSnapshots(
	db: Kysely<Database>,
	ids: string[]
): Promise<LearnerSnapshot[]> {
	const [learners, cards] = await Promise.all([
		// An erased learner is never sent again: devices got 'learner-erased' instead.
		db
			.selectFrom('learners')
			.selectAll()
			.where('id', 'in', ids)
			.where('erased_at', 'is', null)
			.execute(),
		db
			.selectFrom('learner_cards')
			.select(['learner_id', 'code_hash', 'revoked_at'])
			.where('learner_id', 'in', ids)
			.execute()
	]);
	return learners.map((l) => {
		const own = cards.filter((c) => c.learner_id === l.id);
		const current = own.find((c) => c.revoked_at === null)?.code_hash ?? null;
		const replaced = own.filter((c) => c.revoked_at !== null).map((c) => c.code_hash);
		return learnerSnapshot(l, own.length ? { current, replaced } : undefined);
	});
}

export async function sessionSnapshots(
	db: Kysely<Database>,
	ids: string[]
): Promise<SessionSnapshot[]> {
	const rows = await db
		.selectFrom('training_sessions')
		.selectAll()
		.where('id', 'in', ids)
		.execute();
	return rows.map((row) => ({
		id: row.id,
		locationId: row.location_id,
		seriesId: row.series_id,
		seriesIndex: row.series_index,
		fields: sessionValuesOf(row),
		stamps: JSON.parse(row.stamps) as Partial<Record<SessionField, string>>,
		createdBy: row.created_by,
		createdAt: row.created_at
	}));
}

/** Attendance records by "session/learner" key, with the disagreements still open on them. */
export async function attendanceSnapshots(
	db: Kysely<Database>,
	keys: string[]
): Promise<AttendanceSnapshot[]> {
	const pairs = keys.map((key) => key.split('/') as [string, string]);
	const sessionIds = [...new Set(pairs.map(([sessionId]) => sessionId))];
	const [rows, conflicts] = await Promise.all([
		db.selectFrom('attendance').selectAll().where('session_id', 'in', sessionIds).execute(),
		db
			.selectFrom('conflicts')
			.select(['entity_id', 'field', 'kept', 'other'])
			.where('entity', '=', 'attendance')
			.where('entity_id', 'in', keys)
			.where('resolved_at', 'is', null)
			.orderBy('id')
			.execute()
	]);
	const wanted = new Set(keys);
	return rows
		.filter((row) => wanted.has(`${row.session_id}/${row.learner_id}`))
		.map((row) => {
			const key = `${row.session_id}/${row.learner_id}`;
			return {
				sessionId: row.session_id,
				learnerId: row.learner_id,
				fields: attendanceValuesOf(row),
				stamps: JSON.parse(row.stamps) as Partial<Record<AttendanceField, string>>,
				conflicts: conflicts
					.filter((c) => c.entity_id === key)
					.map((c): AttendanceConflict => ({
						field: c.field as AttendanceField,
						kept: JSON.parse(c.kept),
						other: JSON.parse(c.other)
					}))
			};
		});
}
