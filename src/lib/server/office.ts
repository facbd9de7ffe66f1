/**
 * The office server's database for this process: opened and migrated once at start, closed
 * at shutdown after the requests in flight have finished.
 */
import { openDatabase, type DatabaseConfig, type OfficeDatabase } from './db/connection';
import { detectRestore } from './db/epoch';
import { migrateToLatest } from './db/migrate';
import { log } from './log';

let opening: Promise<OfficeDatabase> | null = null;
let statistics: ReturnType<typeof setInterval> | null = null;

/** The planner's table figures are refreshed at start and then every few hours. */
const STATISTICS_EVERY_MS = 6 * 60 * 60 * 1000;

export function configFromEnv(env: Record<string, string | undefined>): DatabaseConfig {
	return {
		databaseUrl: env.DATABASE_URL || undefined,
		dataDir: env.DATA_DIR || 'data',
		poolSize: env.DATABASE_POOL_SIZE ? Number(env.DATABASE_POOL_SIZE) : undefined
	};
}

export function startOffice(config: DatabaseConfig): Promise<OfficeDatabase> {
	opening ??= (async () => {
		const office = openDatabase(config);
		const applied = await migrateToLatest(office);
		await detectRestore(office);
		office.refreshStatistics();
		statistics = setInterval(() => office.refreshStatistics(), STATISTICS_EVERY_MS);
		statistics.unref();
		log.info('database ready', { dialect: office.dialect, migrationsApplied: applied });
		return office;
	})();
	return opening;
}

export function office(): Promise<OfficeDatabase> {
	if (!opening) throw new Error('the office database was not started');
	return opening;
}

export async function stopOffice(): Promise<void> {
	const current = opening;
	opening = null;
	if (statistics) clearInterval(statistics);
	statistics = null;
	if (current) await (await current).close();
}
