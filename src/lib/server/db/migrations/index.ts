/** The one, forward-only list of migrations, the same for SQLite and PostgreSQL. */
import type { Migration } from 'kysely';
import type { Dialect } from '../connection';
import { syncTables } from './001-sync';
import { accountTables } from './002-accounts';
import { progressBatches } from './003-progress-batches';
import { sessionTables } from './004-sessions';
import { reportingTables } from './005-reporting';
import { reportFacts } from './006-report-facts';
import { courseReleases } from './007-course-releases';
import { staffDeletion } from './008-staff-deletion';
import { reportCells } from './009-report-cells';

export function migrations(dialect: Dialect): Record<string, Migration> {
	return {
		'001-sync': syncTables(dialect),
		'002-accounts': accountTables(dialect),
		'003-progress-batches': progressBatches(),
		'004-sessions': sessionTables(),
		'005-reporting': reportingTables(),
		'006-report-facts': reportFacts(dialect),
		'007-course-releases': courseReleases(),
		'008-staff-deletion': staffDeletion(),
		'009-report-cells': reportCells(dialect)
	};
}
