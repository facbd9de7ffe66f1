/**
 * An upgrade with data in it: an office database as the previous release left it (the
 * migrations before the newest, rows as that release wrote them) is served by the built
 * server of this release (`node build`). It migrates at start, serves the old data, treats the
 * tablet's resent changes as duplicates, accepts a device one mutation schema behind, tells an
 * app of another protocol to update, and a second start finds nothing to migrate.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/lib/server/db/connection';
import { checkDatabase } from '../../src/lib/server/ops/check';
import {
	MUTATION_SCHEMA_VERSION,
	type PullResponse,
	type PushResponse
} from '../../src/lib/sync/protocol';
import { createPostgresDatabase } from './support/databases';
import { Instance, pause } from './support/instance';
import { previousReleaseOffice } from './support/previous-release';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
	for (const step of cleanup.splice(0).reverse()) await step();
});

async function database(dialect: 'sqlite' | 'postgres'): Promise<Record<string, string>> {
	if (dialect === 'sqlite') {
		const dataDir = mkdtempSync(join(tmpdir(), 'lernlotse-upgrade-'));
		cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
		return { DATA_DIR: dataDir, DATABASE_URL: '' };
	}
	const made = await createPostgresDatabase();
	cleanup.push(made.drop);
	return { DATABASE_URL: made.url, DATA_DIR: '' };
}

describe.each(['sqlite', 'postgres'] as const)('upgrading on %s', (dialect) => {
	it(
		'serves the previous release data after migrating at start, and migrates once',
		{ timeout: 60_000 },
		async () => {
			const env = await database(dialect);
			const config = { databaseUrl: env.DATABASE_URL || undefined, dataDir: env.DATA_DIR! };
			const before = openDatabase(config);
			const old = await previousReleaseOffice(before).finally(() => before.close());

			const server = await Instance.spawn(env);
			cleanup.push(() => server.stop());
			await server.ready();
			const [ready] = server.logged('database ready');
			expect(ready!.migrationsApplied).toEqual(old.newMigrations);

			const call = (path: string, body: unknown) =>
				fetch(`${server.url}${path}`, {
					method: 'POST',
					headers: {
						'content-type': 'application/json',
						authorization: `Bearer ${old.credential}`
					},
					body: JSON.stringify(body)
				});

			// The tablet enrolled under the previous release pulls what that release stored. On
			// PostgreSQL a transaction still open elsewhere on the server holds the feed back (it
			// delays changes, never skips them): a tablet simply pulls again a little later.
			let page: PullResponse = { changes: [] } as unknown as PullResponse;
			for (let tries = 0; tries < 100 && page.changes.length === 0; tries++) {
				if (tries > 0) await pause(200);
				const pulled = await call('/api/sync/pull', old.device.pull(null));
				expect(pulled.status).toBe(200);
				page = (await pulled.json()) as PullResponse;
			}
			const progress = page.changes.filter((c) => c.entity === 'progress').map((c) => c.data.id);
			expect(progress.sort()).toEqual(old.progress.map((m) => m.id).sort());
			expect(page.changes.filter((c) => c.entity === 'learner').map((c) => c.data.id)).toEqual([
				old.learnerId
			]);
			expect(page.changes.filter((c) => c.entity === 'session').map((c) => c.data.id)).toEqual([
				old.sessionId
			]);
			expect(page.changes.filter((c) => c.entity === 'attendance')).toHaveLength(1);

			// Its resent changes are duplicates; a new one, and one from an app one schema
			// version behind, are taken.
			const fresh = old.device.progress(old.learnerId, { stepId: 'after-upgrade' });
			const behind = {
				...old.device.progress(old.learnerId, { stepId: 'old-app' }),
				schemaVersion: MUTATION_SCHEMA_VERSION - 1
			};
			const pushed = await call(
				'/api/sync/push',
				old.device.push([...old.progress, fresh, behind])
			);
			expect(pushed.status).toBe(200);
			expect(((await pushed.json()) as PushResponse).results.map((r) => r.status)).toEqual([
				'duplicate',
				'duplicate',
				'duplicate',
				'accepted',
				'accepted'
			]);

			// An app of another protocol is told to update, and keeps its data.
			const stale = await call('/api/sync/push', { ...old.device.push([]), protocol: 0 });
			expect(stale.status).toBe(426);
			expect(await stale.json()).toMatchObject({ error: 'update-required' });

			// A second start (a restart, or a second instance) has nothing left to migrate.
			await server.stop();
			server.start();
			await server.ready();
			const starts = server.logged('database ready');
			expect(starts).toHaveLength(2);
			expect(starts[1]!.migrationsApplied).toEqual([]);
			expect(await checkDatabase(config)).toEqual(
				expect.arrayContaining([{ check: 'migrations', ok: true, detail: 'current' }])
			);

			// The previous release's attendance is in the report facts the migrations made (that
			// release's rows were written without facts, as before migration 006).
			const after = openDatabase(config);
			try {
				const cells = await after.db.selectFrom('visit_cells').select('course_id').execute();
				expect(cells.map((c) => c.course_id)).toContain('');
				const firsts = await after.db.selectFrom('first_cells').select('month').execute();
				expect(firsts).toHaveLength(1);
			} finally {
				await after.close();
			}
		}
	);
});
