/**
 * Brings the database to the latest schema at start. Safe to run twice and, on PostgreSQL,
 * from several instances at once: Kysely holds an advisory lock while it migrates.
 */
import { Migrator } from 'kysely';
import type { OfficeDatabase } from './connection';
import { migrations } from './migrations';

export async function migrateToLatest({ db, dialect }: OfficeDatabase): Promise<string[]> {
	const migrator = new Migrator({
		db,
		provider: { getMigrations: async () => migrations(dialect) }
	});
	const { error, results } = await migrator.migrateToLatest();
	if (error) throw error instanceof Error ? error : new Error(String(error));
	return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
