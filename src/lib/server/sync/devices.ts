/** What the office knows of each device: when it was last seen, its sequence, its queue. */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema';

type Db = Kysely<Database> | Transaction<Database>;

export async function touchDevice(
	db: Db,
	id: string,
	now: string
): Promise<{ last_seq: number; gaps: string; kind: string | null; location_id: string | null }> {
	await db
		.insertInto('devices')
		.values({ id, first_seen_at: now, last_seen_at: now, last_seq: 0, gaps: '[]' })
		.onConflict((oc) => oc.column('id').doUpdateSet({ last_seen_at: now }))
		.execute();
	return db
		.selectFrom('devices')
		.select(['last_seq', 'gaps', 'kind', 'location_id'])
		.where('id', '=', id)
		.executeTakeFirstOrThrow();
}

const MAX_GAPS = 100;

/**
 * The device numbers its changes 1, 2, 3 …; a number that never arrives is a change lost on
 * the way or on the device, which the office should know about.
 */
export function noteSequence(
	lastSeq: number,
	gaps: number[],
	seen: number[]
): { lastSeq: number; gaps: number[] } {
	const missing = new Set(gaps);
	let last = lastSeq;
	for (const seq of [...seen].sort((a, b) => a - b)) {
		missing.delete(seq);
		for (let s = last + 1; s < seq && missing.size < MAX_GAPS; s++) missing.add(s);
		last = Math.max(last, seq);
	}
	return { lastSeq: last, gaps: [...missing].sort((a, b) => a - b) };
}
