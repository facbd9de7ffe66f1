import 'fake-indexeddb/auto';
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { LernlotseDatabase } from '../../src/lib/client/db/database';
import { openDevice, type Device } from '../../src/lib/client/db/device';
import { createLearner } from '../../src/lib/client/db/learners';
import { recordProgress } from '../../src/lib/client/db/progress';
import { syncOnce } from '../../src/lib/client/sync/engine';
import type { Transport } from '../../src/lib/client/sync/transport';
import { openDatabase, type OfficeDatabase } from '../../src/lib/server/db/connection';
import { markRestored } from '../../src/lib/server/db/epoch';
import { handlePull } from '../../src/lib/server/sync/pull';
import { handlePush } from '../../src/lib/server/sync/push';
import { createPostgresDatabase, freshOffice, postgresUrl } from './support/databases';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
	for (const step of cleanup.splice(0).reverse()) await step();
});

/** The office as the tablet reaches it: the same handlers as the HTTP endpoints, JSON both ways. */
function transportTo(current: () => OfficeDatabase): Transport {
	return async (path, body) => {
		const input = JSON.parse(JSON.stringify(body));
		const reply = path.endsWith('/push')
			? await handlePush(current(), input)
			: await handlePull(current(), input);
		return JSON.parse(JSON.stringify(reply));
	};
}

async function tablet(): Promise<{ db: LernlotseDatabase; device: Device }> {
	const db = new LernlotseDatabase(`restore-${Date.now()}-${Math.random()}`);
	await db.open();
	cleanup.push(async () => db.delete());
	return { db, device: await openDevice(db) };
}

async function record(t: { db: LernlotseDatabase; device: Device }, learnerId: string, n: number) {
	for (let i = 0; i < n; i++) {
		await recordProgress(t.db, t.device, [
			{
				learnerId,
				courseId: 'tablet-basics',
				courseVersion: 1,
				lessonId: 'tapping',
				stepId: `s${i}`,
				type: 'step-completed'
			}
		]);
	}
}

async function serverEventIds(office: OfficeDatabase): Promise<string[]> {
	return (await office.db.selectFrom('progress_events').select('id').execute())
		.map((r) => r.id)
		.sort();
}

async function deviceEventIds(db: LernlotseDatabase): Promise<string[]> {
	return (await db.progress.toArray()).map((e) => e.id).sort();
}

describe('the office restored from an older backup while a tablet is ahead', () => {
	it('on sqlite: the tablet sends again what the office lost, and both agree', async () => {
		let office: OfficeDatabase = await freshOffice('sqlite');
		const dataDir = (office as { dataDir?: string }).dataDir!;
		cleanup.push(async () => {
			await office.close();
			rmSync(dataDir, { recursive: true, force: true });
		});
		const t = await tablet();
		const send = transportTo(() => office);
		const learner = await createLearner(t.db, t.device, {
			name: 'Erna',
			avatar: 'sun',
			lang: 'de'
		});
		await record(t, learner.id, 5);
		await syncOnce(t.db, t.device, send);

		// Back up while the service is stopped for a moment, then carry on working.
		await office.close();
		const file = join(dataDir, 'lernlotse.sqlite');
		copyFileSync(file, file + '.backup');
		office = openDatabase({ dataDir });
		await record(t, learner.id, 5);
		await syncOnce(t.db, t.device, send);
		expect(await serverEventIds(office)).toHaveLength(10);

		// Disaster: restore the older backup.
		await office.close();
		for (const suffix of ['', '-wal', '-shm']) if (existsSync(file + suffix)) rmSync(file + suffix);
		copyFileSync(file + '.backup', file);
		office = openDatabase({ dataDir });
		await markRestored(office);
		expect(await serverEventIds(office)).toHaveLength(5);

		await syncOnce(t.db, t.device, send);
		expect(await serverEventIds(office)).toEqual(await deviceEventIds(t.db));
		expect(await serverEventIds(office)).toHaveLength(10);
		expect(await t.db.outbox.count()).toBe(0);
	});

	it('on postgres: the same, with the backup taken as a copy of the database', async () => {
		const live = await createPostgresDatabase();
		let office: OfficeDatabase = openDatabase({ databaseUrl: live.url, dataDir: '' });
		const { migrateToLatest } = await import('../../src/lib/server/db/migrate');
		await migrateToLatest(office);
		const t = await tablet();
		const send = transportTo(() => office);
		const learner = await createLearner(t.db, t.device, {
			name: 'Erna',
			avatar: 'sun',
			lang: 'de'
		});
		await record(t, learner.id, 5);
		await syncOnce(t.db, t.device, send);

		await office.close();
		const backupName = `${new URL(live.url).pathname.slice(1)}_backup`;
		const admin = new pg.Client({ connectionString: postgresUrl() });
		await admin.connect();
		await admin.query(
			`create database ${backupName} template ${new URL(live.url).pathname.slice(1)}`
		);
		const backupUrl = new URL(live.url);
		backupUrl.pathname = `/${backupName}`;
		cleanup.push(async () => {
			await admin.query(`drop database if exists ${backupName}`);
			await admin.end();
			await live.drop();
		});

		office = openDatabase({ databaseUrl: live.url, dataDir: '' });
		await record(t, learner.id, 5);
		await syncOnce(t.db, t.device, send);
		expect(await serverEventIds(office)).toHaveLength(10);
		await office.close();

		office = openDatabase({ databaseUrl: backupUrl.toString(), dataDir: '' });
		cleanup.push(async () => office.close());
		await markRestored(office);
		expect(await serverEventIds(office)).toHaveLength(5);

		await syncOnce(t.db, t.device, send);
		expect(await serverEventIds(office)).toEqual(await deviceEventIds(t.db));
		expect(await serverEventIds(office)).toHaveLength(10);
	});
});
