/**
 * Rate limits and lockouts kept in the database, so they hold across app instances. Each key
 * counts failures in a window; past the limit the key is locked for a while. Success does not
 * count; `clear` forgets a key (a correct password ends the lockout of that account).
 */
import { sql } from 'kysely';
import type { OfficeDatabase } from '../db/connection';

export interface Limit {
	/** Failures allowed in the window before the lock. */
	max: number;
	windowMs: number;
	lockMs: number;
}

export const LIMITS = {
	/** Per account: five wrong passwords, then fifteen minutes' pause. */
	loginAccount: { max: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 },
	/** Per address: a password sprayer trying many accounts. */
	loginAddress: { max: 30, windowMs: 15 * 60_000, lockMs: 30 * 60_000 },
	/** Enrolment and card codes, per address and per device. */
	code: { max: 10, windowMs: 15 * 60_000, lockMs: 30 * 60_000 },
	/** The first-run setup code. */
	setup: { max: 10, windowMs: 15 * 60_000, lockMs: 15 * 60_000 }
} satisfies Record<string, Limit>;

/** The time until which `key` is locked, or null. */
export async function lockedUntil(
	{ db }: OfficeDatabase,
	key: string,
	now = new Date()
): Promise<Date | null> {
	const row = await db
		.selectFrom('rate_limits')
		.select('locked_until')
		.where('key', '=', key)
		.executeTakeFirst();
	const until = row?.locked_until ? new Date(row.locked_until) : null;
	return until && until > now ? until : null;
}

/** Counts one failure for `key` (atomically, whatever instance), locking it past the limit. */
export async function countFailure(
	{ db }: OfficeDatabase,
	key: string,
	limit: Limit,
	now = new Date()
): Promise<void> {
	const stamp = now.toISOString();
	const windowStart = new Date(now.getTime() - limit.windowMs).toISOString();
	const row = await db
		.insertInto('rate_limits')
		.values({ key, count: 1, window_started_at: stamp, locked_until: null })
		.onConflict((oc) =>
			oc.column('key').doUpdateSet({
				// A window that ran out starts again at one.
				count: sql<number>`case when rate_limits.window_started_at < ${windowStart} then 1 else rate_limits.count + 1 end`,
				window_started_at: sql<string>`case when rate_limits.window_started_at < ${windowStart} then ${stamp} else rate_limits.window_started_at end`
			})
		)
		.returning('count')
		.executeTakeFirstOrThrow();
	if (row.count >= limit.max) {
		await db
			.updateTable('rate_limits')
			.set({
				locked_until: new Date(now.getTime() + limit.lockMs).toISOString(),
				count: 0,
				window_started_at: stamp
			})
			.where('key', '=', key)
			.execute();
	}
}

export async function clear({ db }: OfficeDatabase, key: string): Promise<void> {
	await db.deleteFrom('rate_limits').where('key', '=', key).execute();
}
