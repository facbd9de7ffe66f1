/**
 * Places, staff and their sessions, enrolled devices, learner cards, rate limits and the
 * audit log (issue 4). Secrets are stored only as hashes: argon2id for passwords, SHA-256
 * for the long random tokens and short codes (see docs/decisions.md).
 */
import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../connection';

export function accountTables(dialect: Dialect): Migration {
	const serial = dialect === 'postgres' ? 'bigserial' : 'integer';
	return {
		async up(db: Kysely<unknown>) {
			await db.schema
				.createTable('locations')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('name', 'text', (c) => c.notNull().unique())
				.addColumn('kind', 'text', (c) => c.notNull())
				.addColumn('address', 'text')
				.addColumn('created_at', 'text', (c) => c.notNull())
				.addColumn('archived_at', 'text')
				.execute();

			await db.schema
				.createTable('staff')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('email', 'text', (c) => c.notNull().unique())
				.addColumn('display_name', 'text', (c) => c.notNull())
				.addColumn('role', 'text', (c) => c.notNull())
				.addColumn('password_hash', 'text', (c) => c.notNull())
				.addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
				.addColumn('created_at', 'text', (c) => c.notNull())
				.addColumn('password_changed_at', 'text', (c) => c.notNull())
				.addColumn('disabled_at', 'text')
				.execute();

			await db.schema
				.createTable('staff_locations')
				.addColumn('staff_id', 'text', (c) => c.notNull())
				.addColumn('location_id', 'text', (c) => c.notNull())
				.addPrimaryKeyConstraint('staff_locations_pk', ['staff_id', 'location_id'])
				.execute();

			await db.schema
				.createTable('staff_sessions')
				.addColumn('token_hash', 'text', (c) => c.primaryKey())
				.addColumn('staff_id', 'text', (c) => c.notNull())
				.addColumn('created_at', 'text', (c) => c.notNull())
				.addColumn('last_seen_at', 'text', (c) => c.notNull())
				.addColumn('expires_at', 'text', (c) => c.notNull())
				.addColumn('device_id', 'text')
				.execute();
			await db.schema
				.createIndex('staff_sessions_staff')
				.on('staff_sessions')
				.column('staff_id')
				.execute();

			await db.schema
				.createTable('rate_limits')
				.addColumn('key', 'text', (c) => c.primaryKey())
				.addColumn('count', 'integer', (c) => c.notNull())
				.addColumn('window_started_at', 'text', (c) => c.notNull())
				.addColumn('locked_until', 'text')
				.execute();

			await db.schema
				.createTable('enrolment_codes')
				.addColumn('code_hash', 'text', (c) => c.primaryKey())
				.addColumn('location_id', 'text', (c) => c.notNull())
				.addColumn('created_by', 'text', (c) => c.notNull())
				.addColumn('created_at', 'text', (c) => c.notNull())
				.addColumn('expires_at', 'text', (c) => c.notNull())
				.addColumn('used_at', 'text')
				.addColumn('used_by_device', 'text')
				.execute();

			for (const [column, type] of [
				['kind', 'text'],
				['location_id', 'text'],
				['name', 'text'],
				['credential_hash', 'text'],
				['enrolled_at', 'text'],
				['enrolled_by', 'text'],
				['revoked_at', 'text'],
				['revoked_by', 'text']
			] as const) {
				await db.schema.alterTable('devices').addColumn(column, type).execute();
			}

			// The place where a learner first came: reports and a volunteer's scope use it.
			await db.schema.alterTable('learners').addColumn('home_location_id', 'text').execute();

			await db.schema
				.createTable('learner_cards')
				.addColumn('code_hash', 'text', (c) => c.primaryKey())
				.addColumn('learner_id', 'text', (c) => c.notNull())
				.addColumn('hlc', 'text', (c) => c.notNull())
				.addColumn('issued_by_device', 'text', (c) => c.notNull())
				.addColumn('issued_at', 'text', (c) => c.notNull())
				.addColumn('revoked_at', 'text')
				.execute();
			await db.schema
				.createIndex('learner_cards_learner')
				.on('learner_cards')
				.column('learner_id')
				.execute();

			await db.schema
				.createTable('audit_log')
				.addColumn('id', serial, (c) =>
					dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()
				)
				.addColumn('at', 'text', (c) => c.notNull())
				.addColumn('staff_id', 'text')
				.addColumn('device_id', 'text')
				.addColumn('action', 'text', (c) => c.notNull())
				.addColumn('outcome', 'text', (c) => c.notNull())
				.addColumn('target', 'text')
				.addColumn('location_id', 'text')
				.addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
				.execute();
			await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();
		},
		async down() {
			throw new Error('migrations only go forward');
		}
	};
}
