/**
 * An office database as the previous release left it: migrated up to the migration before the
 * newest, and filled through plain SQL with the rows that release wrote for a place, a
 * coordinator, an enrolled tablet, a learner with progress, and a session with attendance.
 * Columns later migrations add are left to their defaults, as they would be.
 */
import { Migrator } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { digest, newToken } from '../../../src/lib/server/auth/tokens';
import type { OfficeDatabase } from '../../../src/lib/server/db/connection';
import { migrations } from '../../../src/lib/server/db/migrations';
import type { ProgressPayload } from '../../../src/lib/sync/protocol';
import { FakeDevice } from './factories';

export interface PreviousReleaseData {
	/** The migration the previous release ended with. */
	lastMigration: string;
	/** Migrations the current release adds. */
	newMigrations: string[];
	device: FakeDevice;
	credential: string;
	learnerId: string;
	sessionId: string;
	/** The progress mutations the tablet pushed, as it would send them again. */
	progress: ReturnType<FakeDevice['progress']>[];
}

export async function previousReleaseOffice(office: OfficeDatabase): Promise<PreviousReleaseData> {
	const names = Object.keys(migrations(office.dialect));
	const lastMigration = names.at(-2)!;
	const migrator = new Migrator({
		db: office.db,
		provider: { getMigrations: async () => migrations(office.dialect) }
	});
	const { error } = await migrator.migrateTo(lastMigration);
	if (error) throw error;

	const db = office.db;
	const now = new Date().toISOString();
	const locationId = uuidv7();
	const staffId = uuidv7();
	const device = new FakeDevice();
	const credential = newToken();
	const learnerId = uuidv7();
	const sessionId = uuidv7();
	const stamp = device.clock.tick();

	await db
		.insertInto('locations')
		.values({
			id: locationId,
			name: 'Stadtbibliothek Mitte',
			kind: 'library',
			address: '',
			created_at: now,
			archived_at: null
		})
		.execute();
	await db
		.insertInto('staff')
		.values({
			id: staffId,
			email: 'koordination@stadt.example',
			display_name: 'Koordination',
			role: 'coordinator',
			password_hash: 'not-a-real-hash',
			must_change_password: 0,
			created_at: now,
			password_changed_at: now,
			disabled_at: null
		})
		.execute();
	await db
		.insertInto('devices')
		.values({
			id: device.id,
			first_seen_at: now,
			last_seen_at: now,
			last_seq: 4,
			gaps: '[]',
			kind: 'location',
			location_id: locationId,
			name: 'Tablet 1',
			credential_hash: digest(credential),
			enrolled_at: now,
			enrolled_by: staffId,
			revoked_at: null,
			revoked_by: null
		})
		.execute();
	await db
		.insertInto('learners')
		.values({
			id: learnerId,
			name: 'Erna',
			name_hlc: stamp,
			avatar: 'sun',
			avatar_hlc: stamp,
			lang: 'de',
			lang_hlc: stamp,
			created_at: now,
			updated_at: now,
			home_location_id: locationId
		})
		.execute();
	await db
		.insertInto('device_learners')
		.values({ device_id: device.id, learner_id: learnerId })
		.execute();
	await db
		.insertInto('location_learners')
		.values({ location_id: locationId, learner_id: learnerId })
		.execute();
	await db
		.insertInto('change_log')
		.values({ entity: 'learner', entity_id: learnerId, learner_id: learnerId, created_at: now })
		.execute();

	const progress = [1, 2, 3].map((n) => device.progress(learnerId, { stepId: `step-${n}` }));
	const batchId = uuidv7();
	await db
		.insertInto('progress_events')
		.values(
			progress.map((mutation) => {
				const e = mutation.payload as ProgressPayload;
				return {
					id: e.id,
					learner_id: e.learnerId,
					course_id: e.courseId,
					course_version: e.courseVersion,
					lesson_id: e.lessonId,
					step_id: e.stepId,
					type: e.type,
					attempts: e.attempts ?? null,
					checkpoint: null,
					hlc: e.hlc,
					device_id: e.deviceId,
					received_at: now,
					batch_id: batchId
				};
			})
		)
		.execute();
	await db
		.insertInto('change_log')
		.values({
			entity: 'progress-batch',
			entity_id: batchId,
			learner_id: learnerId,
			created_at: now,
			size: 3
		})
		.execute();

	const sessionStamps = JSON.stringify(
		Object.fromEntries(
			[
				'title',
				'courseIds',
				'date',
				'start',
				'end',
				'room',
				'volunteerIds',
				'capacity',
				'status'
			].map((field) => [field, stamp])
		)
	);
	await db
		.insertInto('training_sessions')
		.values({
			id: sessionId,
			location_id: locationId,
			series_id: null,
			series_index: null,
			title: 'Tablet-Sprechstunde',
			course_ids: 'tablet-basics',
			date: now.slice(0, 10),
			start_time: '10:00',
			end_time: '11:30',
			room: 'Lesesaal',
			volunteer_ids: staffId,
			capacity: 12,
			status: 'planned',
			stamps: sessionStamps,
			created_by: staffId,
			created_at: now,
			updated_at: now
		})
		.execute();
	await db
		.insertInto('attendance')
		.values({
			session_id: sessionId,
			learner_id: learnerId,
			roster: 'signed-up',
			status: 'present',
			note: '',
			help_seen: '',
			stamps: JSON.stringify({ roster: stamp, status: stamp }),
			updated_by: staffId,
			updated_at: now
		})
		.execute();
	for (const [entity, entityId, learner] of [
		['session', sessionId, ''],
		['attendance', `${sessionId}/${learnerId}`, learnerId]
	] as const) {
		await db
			.insertInto('change_log')
			.values({
				entity,
				entity_id: entityId,
				learner_id: learner,
				location_id: locationId,
				created_at: now
			})
			.execute();
	}
	return {
		lastMigration,
		newMigrations: names.slice(names.indexOf(lastMigration) + 1),
		device,
		credential,
		learnerId,
		sessionId,
		progress
	};
}
