/**
 * A fresh, migrated office database per test on each engine: a SQLite file in a temporary
 * directory, and a new database on the PostgreSQL server named by TEST_DATABASE_URL (which
 * `npm test` starts). Without that variable the PostgreSQL half fails: it is never skipped.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import {
	openDatabase,
	type Dialect,
	type OfficeDatabase
} from '../../../src/lib/server/db/connection';
import { migrateToLatest } from '../../../src/lib/server/db/migrate';

export const DIALECTS: Dialect[] = ['sqlite', 'postgres'];

export interface TestOffice extends OfficeDatabase {
	url?: string;
	dataDir?: string;
	dispose(): Promise<void>;
}

let counter = 0;

export function postgresUrl(): string {
	const url = process.env.TEST_DATABASE_URL;
	if (!url)
		throw new Error(
			'TEST_DATABASE_URL is not set: run the tests with `npm test`, which starts PostgreSQL'
		);
	return url;
}

export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
	const admin = postgresUrl();
	const name = `lernlotse_test_${process.pid}_${Date.now()}_${++counter}`;
	const client = new pg.Client({ connectionString: admin });
	await client.connect();
	await client.query(`create database ${name}`);
	await client.end();
	const url = new URL(admin);
	url.pathname = `/${name}`;
	return {
		url: url.toString(),
		async drop() {
			const c = new pg.Client({ connectionString: admin });
			await c.connect();
			// Let closing pools finish first: forcing them off makes a pool emit an error nobody hears.
			for (let i = 0; i < 100; i++) {
				const { rows } = await c.query<{ n: string }>(
					'select count(*) as n from pg_stat_activity where datname = $1',
					[name]
				);
				if (Number(rows[0]?.n) === 0) break;
				await new Promise((resolve) => setTimeout(resolve, 10));
			}
			await c.query(`drop database if exists ${name} with (force)`);
			await c.end();
		}
	};
}

export async function freshOffice(
	dialect: Dialect,
	options: { migrate?: boolean } = {}
): Promise<TestOffice> {
	if (dialect === 'sqlite') {
		const dataDir = mkdtempSync(join(tmpdir(), 'lernlotse-it-'));
		const office = openDatabase({ dataDir });
		if (options.migrate !== false) await migrateToLatest(office);
		return {
			...office,
			dataDir,
			async dispose() {
				await office.close();
				rmSync(dataDir, { recursive: true, force: true });
			}
		};
	}
	const database = await createPostgresDatabase();
	const office = openDatabase({ databaseUrl: database.url, dataDir: '' });
	if (options.migrate !== false) await migrateToLatest(office);
	return {
		...office,
		url: database.url,
		async dispose() {
			await office.close();
			await database.drop();
		}
	};
}
