/**
 * The office database's epoch: a random id that changes whenever the database is restored
 * from a backup. Cursors carry it, so a device notices the restore, pulls from the start and
 * sends again whatever the restored database lost.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { OfficeDatabase } from './connection';
import { log } from '../log';

const EPOCH = 'epoch';

export async function currentEpoch({ db }: OfficeDatabase): Promise<string> {
	await db
		.insertInto('server_meta')
		.values({ key: EPOCH, value: randomUUID() })
		.onConflict((oc) => oc.column('key').doNothing())
		.execute();
	const row = await db
		.selectFrom('server_meta')
		.select('value')
		.where('key', '=', EPOCH)
		.executeTakeFirstOrThrow();
	return row.value;
}

/** Call after restoring a backup: devices will resynchronise from scratch. */
export async function markRestored(office: OfficeDatabase): Promise<string> {
	const epoch = randomUUID();
	await office.db.transaction().execute(async (tx) => {
		if (office.dialect === 'postgres') {
			// Restored rows keep the old cluster's transaction ids, which may be ahead of the new
			// cluster's: put them all before anything written from now on.
			await sql`update change_log set xid = '0'::xid8`.execute(tx);
		}
		await tx
			.insertInto('server_meta')
			.values({ key: EPOCH, value: epoch })
			.onConflict((oc) => oc.column('key').doUpdateSet({ value: epoch }))
			.execute();
	});
	log.warn('database marked as restored from a backup', { epoch });
	return epoch;
}

/** On PostgreSQL a restore into a new cluster shows as stored transaction ids from the future. */
export async function detectRestore(office: OfficeDatabase): Promise<boolean> {
	if (office.dialect !== 'postgres') return false;
	const { rows } = await sql<{ ahead: boolean }>`
		select coalesce(max(xid) > pg_current_xact_id(), false) as ahead from change_log
	`.execute(office.db);
	if (!rows[0]?.ahead) return false;
	await markRestored(office);
	return true;
}
