/**
 * Backups of the office database while the server runs, and their restore. SQLite is copied
 * with its online backup API (a consistent snapshot, page by page, while the server goes on
 * writing); PostgreSQL with `pg_dump` (one repeatable-read snapshot). A backup is written
 * beside its target and renamed when complete, so a file at the target is always whole.
 * After a restore the database gets a new epoch (`markRestored`): devices that are ahead
 * notice it at their next pull and send again what the restored database lacks.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { isPostgresUrl, openDatabase, type DatabaseConfig } from '../db/connection';
import { markRestored } from '../db/epoch';
import { migrateToLatest } from '../db/migrate';

export const SQLITE_FILE = 'lernlotse.sqlite';

/** A backup or restore that cannot go on, with words for the person running it. */
export class OpsRefusal extends Error {}

export interface BackupDone {
	file: string;
	bytes: number;
	kind: 'sqlite' | 'pg_dump';
}

export async function backup(config: DatabaseConfig, target: string): Promise<BackupDone> {
	if (existsSync(target)) throw new OpsRefusal(`${target} exists already; choose a new file.`);
	const partial = `${target}.partial`;
	rmSync(partial, { force: true });
	try {
		if (isPostgresUrl(config.databaseUrl)) await dumpPostgres(config.databaseUrl, partial);
		else await backupSqlite(join(config.dataDir, SQLITE_FILE), partial);
		renameSync(partial, target);
	} finally {
		rmSync(partial, { force: true });
	}
	return {
		file: target,
		bytes: statSync(target).size,
		kind: isPostgresUrl(config.databaseUrl) ? 'pg_dump' : 'sqlite'
	};
}

async function backupSqlite(source: string, target: string): Promise<void> {
	if (!existsSync(source)) throw new OpsRefusal(`There is no database at ${source}.`);
	const db = new SQLite(source, { fileMustExist: true });
	try {
		db.pragma('busy_timeout = 5000');
		// A write by the server restarts a backup that is copied in small steps; copying the
		// rest in one step lets it finish under steady writes. In WAL mode that step reads a
		// snapshot and does not hold the server's writers up.
		await db.backup(target, { progress: ({ totalPages }) => Math.max(totalPages, 100) });
	} finally {
		db.close();
	}
	const problems = integrityProblems(target);
	if (problems.length > 0) throw new OpsRefusal(`The copy is damaged: ${problems.join('; ')}`);
}

/** `PRAGMA integrity_check` of a SQLite file: an empty list when it is sound. */
export function integrityProblems(file: string): string[] {
	const db = new SQLite(file, { readonly: true, fileMustExist: true });
	try {
		const rows = db.pragma('integrity_check') as { integrity_check: string }[];
		return rows.map((r) => r.integrity_check).filter((line) => line !== 'ok');
	} finally {
		db.close();
	}
}

/**
 * The PostgreSQL tools get the password through their environment, not their arguments,
 * which every user of the machine can read in the process list.
 */
function postgresTarget(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
	const parsed = new URL(url);
	const password = decodeURIComponent(parsed.password);
	parsed.password = '';
	return {
		dbname: parsed.toString(),
		env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) }
	};
}

function runTool(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
		let errors = '';
		child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
		child.on('error', (error) =>
			reject(
				new OpsRefusal(
					`${command} could not be started (${error.message}); install the PostgreSQL client tools (Debian: postgresql-client).`
				)
			)
		);
		child.on('exit', (code) =>
			code === 0
				? resolve()
				: reject(new OpsRefusal(`${command} failed (exit ${code}): ${errors.trim()}`))
		);
	});
}

async function dumpPostgres(url: string, target: string): Promise<void> {
	const { dbname, env } = postgresTarget(url);
	await runTool(
		'pg_dump',
		['--format=custom', '--no-owner', '--no-privileges', `--file=${target}`, `--dbname=${dbname}`],
		env
	);
}

export interface RestoreDone {
	/** Where the database that was replaced now lies (SQLite), so it can be put back. */
	keptAside: string[];
	epoch: string;
}

/**
 * Puts a backup in place of the office database; the server must be stopped (every
 * instance). Then migrates it (it may come from an older release) and gives it a new epoch.
 */
export async function restore(config: DatabaseConfig, from: string): Promise<RestoreDone> {
	if (!existsSync(from)) throw new OpsRefusal(`There is no backup at ${from}.`);
	const keptAside = isPostgresUrl(config.databaseUrl)
		? await restorePostgres(config.databaseUrl, from)
		: restoreSqlite(config.dataDir, from);
	const office = openDatabase(config);
	try {
		await migrateToLatest(office);
		return { keptAside, epoch: await markRestored(office) };
	} finally {
		await office.close();
	}
}

function restoreSqlite(dataDir: string, from: string): string[] {
	let problems: string[];
	try {
		problems = integrityProblems(from);
	} catch (error) {
		throw new OpsRefusal(`${from} is not a SQLite backup: ${(error as Error).message}`);
	}
	if (problems.length > 0) throw new OpsRefusal(`The backup is damaged: ${problems.join('; ')}`);
	const live = join(dataDir, SQLITE_FILE);
	const stamp = new Date().toISOString().replace(/[:.]/g, '-');
	const keptAside: string[] = [];
	// The write-ahead log belongs to the file it was written for: it moves aside with it.
	for (const suffix of ['', '-wal', '-shm']) {
		if (!existsSync(live + suffix)) continue;
		const aside = `${live}.before-restore-${stamp}${suffix}`;
		renameSync(live + suffix, aside);
		keptAside.push(aside);
	}
	copyFileSync(from, live);
	return keptAside;
}

async function restorePostgres(url: string, from: string): Promise<string[]> {
	const office = openDatabase({ databaseUrl: url, dataDir: '' });
	try {
		const { rows } = await sql<{ n: number }>`
			select count(*)::int as n from information_schema.tables where table_schema = current_schema()
		`.execute(office.db);
		if (rows[0]!.n > 0) {
			throw new OpsRefusal(
				'The database in DATABASE_URL is not empty. Restore into a new, empty database (createdb) and point DATABASE_URL at it.'
			);
		}
	} finally {
		await office.close();
	}
	const { dbname, env } = postgresTarget(url);
	await runTool(
		'pg_restore',
		[
			'--no-owner',
			'--no-privileges',
			'--single-transaction',
			'--exit-on-error',
			`--dbname=${dbname}`,
			from
		],
		env
	);
	return [];
}
