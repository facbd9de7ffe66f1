/**
 * Everything the office holds on one learner, as JSON, for a request to see one's data: the
 * profile and its history, consented attributes, cards (dates, never codes), the places and
 * devices they learned at, every attendance with its session, staff notes, and every progress
 * event. Reading it is written into the audit log by the caller.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

export async function exportLearner(db: Kysely<Database>, learnerId: string) {
	const learner = await db
		.selectFrom('learners')
		.selectAll()
		.where('id', '=', learnerId)
		.executeTakeFirst();
	if (!learner) return null;
	const [versions, cards, places, devices, attendance, progress] = await Promise.all([
		db
			.selectFrom('learner_versions')
			.select(['hlc', 'fields', 'received_at', 'device_id'])
			.where('learner_id', '=', learnerId)
			.orderBy('hlc')
			.execute(),
		db
			.selectFrom('learner_cards')
			.select(['issued_at', 'revoked_at'])
			.where('learner_id', '=', learnerId)
			.orderBy('issued_at')
			.execute(),
		db
			.selectFrom('location_learners as ll')
			.innerJoin('locations as l', 'l.id', 'll.location_id')
			.select(['l.name'])
			.where('ll.learner_id', '=', learnerId)
			.execute(),
		db
			.selectFrom('device_learners as dl')
			.innerJoin('devices as d', 'd.id', 'dl.device_id')
			.select(['d.name', 'd.kind'])
			.where('dl.learner_id', '=', learnerId)
			.execute(),
		db
			.selectFrom('attendance as a')
			.innerJoin('training_sessions as s', 's.id', 'a.session_id')
			.innerJoin('locations as l', 'l.id', 's.location_id')
			.select([
				's.date',
				's.start_time',
				's.end_time',
				's.title',
				'l.name as place',
				'a.roster',
				'a.status',
				'a.note'
			])
			.where('a.learner_id', '=', learnerId)
			.orderBy('s.date')
			.execute(),
		db
			.selectFrom('progress_events')
			.select(['course_id', 'lesson_id', 'step_id', 'type', 'attempts', 'hlc', 'received_at'])
			.where('learner_id', '=', learnerId)
			.orderBy('hlc')
			.execute()
	]);
	return {
		exportedAt: new Date().toISOString(),
		learner: {
			id: learner.id,
			name: learner.name,
			picture: learner.avatar,
			language: learner.lang,
			createdAt: learner.created_at,
			updatedAt: learner.updated_at,
			erasedAt: learner.erased_at,
			statistics:
				learner.consent === 'yes'
					? { consent: true, ageGroup: learner.age_group, targetGroup: learner.target_group }
					: { consent: false }
		},
		profileHistory: versions.map((v) => ({
			at: v.received_at,
			fields: JSON.parse(v.fields) as unknown
		})),
		cards,
		places: places.map((p) => p.name),
		devices: devices.map((d) => ({ name: d.name, kind: d.kind })),
		attendance,
		progress: progress.map((p) => ({
			...p,
			at: new Date(Number(p.hlc.slice(0, 15))).toISOString()
		}))
	};
}
