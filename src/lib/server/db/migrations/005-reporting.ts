/**
 * Reporting (issue 6): the attributes a learner may agree to give for the city's statistics,
 * each merged like the profile's other fields, and the indexes the reports read by. Learners
 * erased on request or after the retention period keep an id and their anonymous activity,
 * nothing that names them (`erased_at`).
 */
import type { Kysely, Migration } from 'kysely';

export function reportingTables(): Migration {
	return {
		async up(db: Kysely<unknown>) {
			for (const column of ['consent', 'age_group', 'target_group']) {
				await db.schema
					.alterTable('learners')
					.addColumn(column, 'text', (c) => c.notNull().defaultTo(''))
					.execute();
				await db.schema
					.alterTable('learners')
					.addColumn(`${column}_hlc`, 'text', (c) => c.notNull().defaultTo(''))
					.execute();
			}
			await db.schema.alterTable('learners').addColumn('erased_at', 'text').execute();
			// Lessons completed in a period: the reports look for one event type in a time range.
			await db.schema
				.createIndex('progress_events_type_hlc')
				.on('progress_events')
				.columns(['type', 'hlc'])
				.execute();
			await db.schema
				.createIndex('attendance_session_status')
				.on('attendance')
				.columns(['session_id', 'status'])
				.execute();
		},
		async down() {
			throw new Error('migrations only go forward');
		}
	};
}
