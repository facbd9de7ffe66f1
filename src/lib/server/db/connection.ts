/**
 * Opens the office database: a SQLite file under the data directory by default, PostgreSQL
 * when DATABASE_URL says so. Everything above this file speaks the same Kysely queries.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { openReaders, READ_PRAGMAS } from './readers';
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
	/**
	 * For long reads (reports): on SQLite read-only connections in worker threads
	 * (`readers.ts`), started on first use; on PostgreSQL the same pool as `db`.
	 */
	reader: Kysely<Database>;
	dialect: Dialect;
	/**
	 * Lets the query planner know how large the tables are now. On SQLite it runs
	 * `PRAGMA optimize` on a sample of each index (about a quarter of a second on a
	 * gigabyte): without these figures it chose indexes for the reports that made a two-year
	 * report take twice as long. PostgreSQL's autovacuum keeps its own.
	 */
	refreshStatistics(): void;
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
		return {
			db,
			reader: db,
			dialect: 'postgres',
			refreshStatistics: () => {},
			close: () => db.destroy()
		};
	}
	mkdirSync(config.dataDir, { recursive: true });
	const path = join(config.dataDir, 'lernlotse.sqlite');
	const file = new SQLite(path);
	// WAL lets pulls and the report readers read while a push writes; the busy timeout (in
	// READ_PRAGMAS) waits out a writer instead of failing.
	file.pragma('journal_mode = WAL');
	file.pragma('synchronous = NORMAL');
	file.pragma('foreign_keys = ON');
	for (const pragma of READ_PRAGMAS) file.pragma(pragma);
	const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: file }) });
	const reader = openReaders(path);
	return {
		db,
		reader,
		dialect: 'sqlite',
		refreshStatistics: () => {
			file.pragma('analysis_limit = 1000');
			file.pragma('optimize = 0x10002');
		},
		close: async () => {
			await reader.destroy();
			await db.destroy();
		}
	};
}
