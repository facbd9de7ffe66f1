/**
 * Test support: throwaway Dexie databases (on fake-indexeddb) with unique names, closed and
 * deleted after each test of the file that imports this.
 */
import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { afterEach } from 'vitest';
import { LernlotseDatabase } from './database';

const opened: Dexie[] = [];
let counter = 0;

export function uniqueName(label: string): string {
	return `lernlotse-test-${label}-${Date.now()}-${++counter}`;
}

/** Registers a database the test opened itself, for the same cleanup. */
export function track<T extends Dexie>(db: T): T {
	opened.push(db);
	return db;
}

export async function freshDatabase(label = 'db'): Promise<LernlotseDatabase> {
	const db = track(new LernlotseDatabase(uniqueName(label)));
	await db.open();
	return db;
}

afterEach(async () => {
	for (const db of opened.splice(0)) {
		db.close();
		await Dexie.delete(db.name);
	}
});
