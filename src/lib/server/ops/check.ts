/**
 * `npm run admin -- check`: is the office database reachable, at this release's schema, and
 * (SQLite) sound? Reads only; a monitoring job or an upgrade script can run it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { isPostgresUrl, openDatabase, type DatabaseConfig } from '../db/connection';
import { migrationStatus } from '../db/migrate';
import { SQLITE_FILE } from './backup';

export interface Finding {
	check: 'reachable' | 'migrations' | 'integrity';
	ok: boolean;
	detail: string;
}

export async function checkDatabase(config: DatabaseConfig): Promise<Finding[]> {
	const postgres = isPostgresUrl(config.databaseUrl);
	if (!postgres) {
		const file = join(config.dataDir, SQLITE_FILE);
		// Opening a missing file would make an empty database: say it is missing instead.
		if (!existsSync(file))
			return [{ check: 'reachable', ok: false, detail: `no database at ${file}` }];
	}
	const office = openDatabase(config);
	const findings: Finding[] = [];
	try {
		try {
			await sql`select 1`.execute(office.db);
			findings.push({ check: 'reachable', ok: true, detail: postgres ? 'PostgreSQL' : 'SQLite' });
		} catch (error) {
			findings.push({ check: 'reachable', ok: false, detail: (error as Error).message });
			return findings;
		}
		const { pending, unknown } = await migrationStatus(office);
		findings.push(
			pending.length > 0
				? {
						check: 'migrations',
						ok: false,
						detail: `pending: ${pending.join(', ')} (start the server to apply them)`
					}
				: unknown.length > 0
					? {
							check: 'migrations',
							ok: false,
							detail: `the database is newer than this release: ${unknown.join(', ')}`
						}
					: { check: 'migrations', ok: true, detail: 'current' }
		);
		if (!postgres) {
			const { rows } = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(
				office.db
			);
			const problems = rows.map((r) => r.integrity_check).filter((line) => line !== 'ok');
			findings.push(
				problems.length === 0
					? { check: 'integrity', ok: true, detail: 'ok' }
					: { check: 'integrity', ok: false, detail: problems.slice(0, 10).join('; ') }
			);
		}
		return findings;
	} finally {
		await office.close();
	}
}
