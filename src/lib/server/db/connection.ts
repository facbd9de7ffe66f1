/**
 * Opens the office database: a SQLite file under the data directory by default, PostgreSQL
 * when DATABASE_URL says so. Everything above this file speaks the same Kysely queries.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema';

export type Dialect = 'sqlite' | 'postgres';

export interface DatabaseConfig {
	/** postgres://… selects PostgreSQL; otherwise SQLite in `dataDir`. */
	databaseUrl?: string;
	dataDir: string;
	/** PostgreSQL connections per instance. */
	poolSize?: number;
}

export interface OfficeDatabase {
	db: Kysely<Database>;
	dialect: Dialect;
	close(): Promise<void>;
}

export function isPostgresUrl(url: string | undefined): url is string {
	return !!url && /^postgres(ql)?:\/\//.test(url);
}

export function openDatabase(config: DatabaseConfig): OfficeDatabase {
	if (isPostgresUrl(config.databaseUrl)) {
		// Big integers (sequence numbers) come back as strings; they fit in a JS number.
		pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
		const pool = new pg.Pool({ connectionString: config.databaseUrl, max: config.poolSize ?? 10 });
		const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
		return { db, dialect: 'postgres', close: () => db.destroy() };
	}
	mkdirSync(config.dataDir, { recursive: true });
	const file = new SQLite(join(config.dataDir, 'lernlotse.sqlite'));
	// WAL lets pulls read while a push writes; the busy timeout waits out a writer instead of failing.
	file.pragma('journal_mode = WAL');
	file.pragma('busy_timeout = 5000');
	file.pragma('synchronous = NORMAL');
	file.pragma('foreign_keys = ON');
	const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: file }) });
	return { db, dialect: 'sqlite', close: () => db.destroy() };
}
