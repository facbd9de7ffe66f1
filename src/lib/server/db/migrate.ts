/**
 * Brings the database to the latest schema at start. Safe to run twice and, on PostgreSQL,
 * from several instances at once: Kysely holds an advisory lock while it migrates, and an
 * instance that gets the lock second finds nothing left to do
 * (`tests/integration/instances.spec.ts` starts two on an empty database at the same moment).
 */
import { DEFAULT_MIGRATION_TABLE, Migrator, sql } from 'kysely';
import type { OfficeDatabase } from './connection';
import { migrations } from './migrations';

function migrator({ db, dialect }: OfficeDatabase): Migrator {
	return new Migrator({
		db,
		provider: { getMigrations: async () => migrations(dialect) }
	});
}

export async function migrateToLatest(office: OfficeDatabase): Promise<string[]> {
	const { error, results } = await migrator(office).migrateToLatest();
	if (error) throw error instanceof Error ? error : new Error(String(error));
	return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

export interface MigrationStatus {
	/** Migrations of this release not yet applied to the database. */
	pending: string[];
	/** Migrations the database has that this release does not know: a newer release ran. */
	unknown: string[];
}

/** Where the database stands against this release's migrations; changes nothing. */
export async function migrationStatus(office: OfficeDatabase): Promise<MigrationStatus> {
	const known = await migrator(office).getMigrations();
	const pending = known.filter((m) => !m.executedAt).map((m) => m.name);
	let applied: string[] = [];
	try {
		const { rows } = await sql<{ name: string }>`select name from ${sql.table(
			DEFAULT_MIGRATION_TABLE
		)}`.execute(office.db);
		applied = rows.map((r) => r.name);
	} catch {
		// No migration table yet: an empty database, where everything is pending.
	}
	const names = new Set(known.map((m) => m.name));
	return { pending, unknown: applied.filter((name) => !names.has(name)).sort() };
}
