/**
 * Fresh offices for the engine and model tests, closed tidily: on PostgreSQL the pool's
 * connections are given time to go before the database is dropped. (Dropping it `with (force)`
 * while a connection is still closing makes the pool emit an error nobody listens to, which
 * fails the run as an unhandled error.)
 */
import pg from 'pg';
import type { Dialect } from '../../../src/lib/server/db/connection';
import { freshOffice, postgresUrl, type TestOffice } from './databases';

export async function openOffice(dialect: Dialect): Promise<TestOffice> {
	return freshOffice(dialect);
}

export async function closeOffice(office: TestOffice): Promise<void> {
	if (office.dialect === 'postgres' && office.url) {
		await office.close(); // dispose closes again: Kysely's destroy is idempotent
		const name = new URL(office.url).pathname.slice(1);
		const admin = new pg.Client({ connectionString: postgresUrl() });
		await admin.connect();
		try {
			for (let i = 0; i < 100; i++) {
				const { rows } = await admin.query<{ n: string }>(
					'select count(*) as n from pg_stat_activity where datname = $1',
					[name]
				);
				if (Number(rows[0]?.n) === 0) break;
				await new Promise((resolve) => setTimeout(resolve, 10));
			}
		} finally {
			await admin.end();
		}
	}
	await office.dispose();
}
