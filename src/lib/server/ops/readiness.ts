/**
 * Whether this instance can serve: its database answers and carries every migration this
 * release knows. A database a newer release migrated further is still served (migrations
 * only add), and said so, so an upgrade can run old and new instances side by side.
 */
import { sql } from 'kysely';
import { migrationStatus } from '../db/migrate';
import { errorFields, log } from '../log';
import { office } from '../office';

export type Readiness =
	| { status: 'ready'; database: string; newerMigrations: string[] }
	| { status: 'unavailable'; reason: string };

export async function readiness(): Promise<Readiness> {
	try {
		const current = await office();
		await sql`select 1`.execute(current.db);
		const migrations = await migrationStatus(current);
		if (migrations.pending.length > 0) {
			return {
				status: 'unavailable',
				reason: `migrations pending: ${migrations.pending.join(', ')}`
			};
		}
		return { status: 'ready', database: current.dialect, newerMigrations: migrations.unknown };
	} catch (error) {
		log.warn('not ready', errorFields(error));
		return { status: 'unavailable', reason: 'the database does not answer' };
	}
}
