/**
 * Deleting a staff account (issue 6): the row keeps its id, because sessions, attendance marks,
 * report facts and the audit log refer to it and the figures must not change; its name,
 * e-mail address and password go, and `deleted_at` says when. A plain nullable column: the
 * same statement on SQLite and PostgreSQL, and every existing account is not deleted.
 */
import type { Kysely, Migration } from 'kysely';

export function staffDeletion(): Migration {
	return {
		async up(db: Kysely<unknown>) {
			await db.schema.alterTable('staff').addColumn('deleted_at', 'text').execute();
		},
		async down() {
			throw new Error('migrations only go forward');
		}
	};
}
