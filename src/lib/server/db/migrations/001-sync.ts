/** Devices, the mutation log, progress, learner profiles and the change log for pulls. */
import { sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from '../connection';

export function syncTables(dialect: Dialect): Migration {
	return {
		async up(db: Kysely<unknown>) {
			await db.schema
				.createTable('server_meta')
				.addColumn('key', 'text', (c) => c.primaryKey())
				.addColumn('value', 'text', (c) => c.notNull())
				.execute();

			await db.schema
				.createTable('devices')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('first_seen_at', 'text', (c) => c.notNull())
				.addColumn('last_seen_at', 'text', (c) => c.notNull())
				.addColumn('last_seq', 'integer', (c) => c.notNull().defaultTo(0))
				.addColumn('gaps', 'text', (c) => c.notNull().defaultTo('[]'))
				.addColumn('outbox_size', 'integer')
				.addColumn('outbox_oldest_age_s', 'real')
				.execute();

			await db.schema
				.createTable('mutations')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('device_id', 'text', (c) => c.notNull())
				.addColumn('seq', 'integer', (c) => c.notNull())
				.addColumn('kind', 'text', (c) => c.notNull())
				.addColumn('hlc', 'text', (c) => c.notNull())
				.addColumn('schema_version', 'integer', (c) => c.notNull())
				.addColumn('received_at', 'text', (c) => c.notNull())
				.execute();
			await db.schema
				.createIndex('mutations_device_seq')
				.on('mutations')
				.columns(['device_id', 'seq'])
				.execute();

			await db.schema
				.createTable('progress_events')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('learner_id', 'text', (c) => c.notNull())
				.addColumn('course_id', 'text', (c) => c.notNull())
				.addColumn('course_version', 'integer', (c) => c.notNull())
				.addColumn('lesson_id', 'text', (c) => c.notNull())
				.addColumn('step_id', 'text')
				.addColumn('type', 'text', (c) => c.notNull())
				.addColumn('attempts', 'integer')
				.addColumn('checkpoint', 'text')
				.addColumn('hlc', 'text', (c) => c.notNull())
				.addColumn('device_id', 'text', (c) => c.notNull())
				.addColumn('received_at', 'text', (c) => c.notNull())
				.execute();
			await db.schema
				.createIndex('progress_events_learner')
				.on('progress_events')
				.columns(['learner_id', 'course_id', 'lesson_id'])
				.execute();

			await db.schema
				.createTable('learners')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('name', 'text', (c) => c.notNull())
				.addColumn('name_hlc', 'text', (c) => c.notNull())
				.addColumn('avatar', 'text', (c) => c.notNull())
				.addColumn('avatar_hlc', 'text', (c) => c.notNull())
				.addColumn('lang', 'text', (c) => c.notNull())
				.addColumn('lang_hlc', 'text', (c) => c.notNull())
				.addColumn('created_at', 'text', (c) => c.notNull())
				.addColumn('updated_at', 'text', (c) => c.notNull())
				.execute();

			await db.schema
				.createTable('learner_versions')
				.addColumn('mutation_id', 'text', (c) => c.primaryKey())
				.addColumn('learner_id', 'text', (c) => c.notNull())
				.addColumn('device_id', 'text', (c) => c.notNull())
				.addColumn('hlc', 'text', (c) => c.notNull())
				.addColumn('fields', 'text', (c) => c.notNull())
				.addColumn('received_at', 'text', (c) => c.notNull())
				.execute();

			await db.schema
				.createTable('conflicts')
				.addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
					dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()
				)
				.addColumn('entity', 'text', (c) => c.notNull())
				.addColumn('entity_id', 'text', (c) => c.notNull())
				.addColumn('field', 'text', (c) => c.notNull())
				.addColumn('kept', 'text', (c) => c.notNull())
				.addColumn('other', 'text', (c) => c.notNull())
				.addColumn('flagged_at', 'text', (c) => c.notNull())
				.addColumn('resolved_at', 'text')
				.execute();

			await db.schema
				.createTable('device_learners')
				.addColumn('device_id', 'text', (c) => c.notNull())
				.addColumn('learner_id', 'text', (c) => c.notNull())
				.addPrimaryKeyConstraint('device_learners_pk', ['device_id', 'learner_id'])
				.execute();
			await db.schema
				.createIndex('device_learners_learner')
				.on('device_learners')
				.column('learner_id')
				.execute();

			let changeLog = db.schema
				.createTable('change_log')
				.addColumn('seq', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
					dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()
				);
			if (dialect === 'postgres') {
				// The writing transaction's id: a pull reads only what every older transaction
				// has finished, so a change committed late is never skipped (docs/sync-protocol.md).
				changeLog = changeLog.addColumn('xid', sql`xid8`, (c) =>
					c.notNull().defaultTo(sql`pg_current_xact_id()`)
				);
			}
			await changeLog
				.addColumn('entity', 'text', (c) => c.notNull())
				.addColumn('entity_id', 'text', (c) => c.notNull())
				.addColumn('learner_id', 'text', (c) => c.notNull())
				.addColumn('created_at', 'text', (c) => c.notNull())
				.execute();
			await db.schema
				.createIndex('change_log_learner')
				.on('change_log')
				.columns(['learner_id', 'seq'])
				.execute();
			if (dialect === 'postgres') {
				await db.schema
					.createIndex('change_log_xid')
					.on('change_log')
					.columns(['xid', 'seq'])
					.execute();
			}
		},
		async down() {
			throw new Error('migrations only go forward');
		}
	};
}
