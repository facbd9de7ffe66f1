/**
 * Training sessions and attendance (issue 5). Both are small records that tablets edit offline
 * and the office merges field by field: each row keeps the clock stamp of every field, and
 * `session_history` keeps every edit as it arrived, so a disagreement can always be traced.
 * A place's tablets see the place's sessions, rosters and learners: the change log names the
 * place, and `location_learners` lists who belongs to it.
 */
import { sql, type Kysely, type Migration } from 'kysely';

export function sessionTables(): Migration {
	return {
		async up(db: Kysely<unknown>) {
			await db.schema
				.createTable('training_sessions')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('location_id', 'text', (c) => c.notNull())
				.addColumn('series_id', 'text')
				.addColumn('series_index', 'integer')
				.addColumn('title', 'text', (c) => c.notNull())
				.addColumn('course_ids', 'text', (c) => c.notNull())
				.addColumn('date', 'text', (c) => c.notNull())
				.addColumn('start_time', 'text', (c) => c.notNull())
				.addColumn('end_time', 'text', (c) => c.notNull())
				.addColumn('room', 'text', (c) => c.notNull())
				.addColumn('volunteer_ids', 'text', (c) => c.notNull())
				.addColumn('capacity', 'integer', (c) => c.notNull())
				.addColumn('status', 'text', (c) => c.notNull())
				.addColumn('stamps', 'text', (c) => c.notNull())
				.addColumn('created_by', 'text', (c) => c.notNull())
				.addColumn('created_at', 'text', (c) => c.notNull())
				.addColumn('updated_at', 'text', (c) => c.notNull())
				.execute();
			await db.schema
				.createIndex('training_sessions_place_date')
				.on('training_sessions')
				.columns(['location_id', 'date'])
				.execute();

			await db.schema
				.createTable('attendance')
				.addColumn('session_id', 'text', (c) => c.notNull())
				.addColumn('learner_id', 'text', (c) => c.notNull())
				.addColumn('roster', 'text', (c) => c.notNull())
				.addColumn('status', 'text', (c) => c.notNull())
				.addColumn('note', 'text', (c) => c.notNull())
				.addColumn('help_seen', 'text', (c) => c.notNull())
				.addColumn('stamps', 'text', (c) => c.notNull())
				.addColumn('updated_by', 'text', (c) => c.notNull())
				.addColumn('updated_at', 'text', (c) => c.notNull())
				.addPrimaryKeyConstraint('attendance_pk', ['session_id', 'learner_id'])
				.execute();
			await db.schema
				.createIndex('attendance_learner')
				.on('attendance')
				.column('learner_id')
				.execute();

			await db.schema
				.createTable('session_history')
				.addColumn('mutation_id', 'text', (c) => c.primaryKey())
				.addColumn('entity', 'text', (c) => c.notNull())
				.addColumn('entity_id', 'text', (c) => c.notNull())
				.addColumn('device_id', 'text', (c) => c.notNull())
				.addColumn('staff_id', 'text', (c) => c.notNull())
				.addColumn('hlc', 'text', (c) => c.notNull())
				.addColumn('fields', 'text', (c) => c.notNull())
				.addColumn('received_at', 'text', (c) => c.notNull())
				.execute();
			await db.schema
				.createIndex('session_history_entity')
				.on('session_history')
				.columns(['entity', 'entity_id'])
				.execute();

			await db.schema
				.createTable('location_learners')
				.addColumn('location_id', 'text', (c) => c.notNull())
				.addColumn('learner_id', 'text', (c) => c.notNull())
				.addPrimaryKeyConstraint('location_learners_pk', ['location_id', 'learner_id'])
				.execute();
			// Learners made on a place's tablets belong to that place from the start.
			await sql`insert into location_learners (location_id, learner_id)
				select home_location_id, id from learners where home_location_id is not null`.execute(db);

			// Rows about a place's sessions name the place; learner rows leave it empty.
			await db.schema.alterTable('change_log').addColumn('location_id', 'text').execute();
			await db.schema
				.createIndex('change_log_location')
				.on('change_log')
				.columns(['location_id', 'seq'])
				.execute();
		},
		async down() {
			throw new Error('migrations only go forward');
		}
	};
}
