/** The one, forward-only list of migrations, the same for SQLite and PostgreSQL. */
import type { Migration } from 'kysely';
import type { Dialect } from '../connection';
import { syncTables } from './001-sync';
import { accountTables } from './002-accounts';
import { progressBatches } from './003-progress-batches';

export function migrations(dialect: Dialect): Record<string, Migration> {
	return {
		'001-sync': syncTables(dialect),
		'002-accounts': accountTables(dialect),
		'003-progress-batches': progressBatches()
	};
}
