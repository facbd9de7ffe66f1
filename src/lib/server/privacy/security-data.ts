/**
 * Security data that has done its job is deleted: failure counters and lockouts (keyed by IP
 * and e-mail addresses) once their window and lock are over, staff sessions once they have
 * expired, and enrolment codes a while after they expired. None of them is read again after
 * that moment, and keeping them would keep addresses of people who once mistyped a password
 * for no purpose (docs/data-protection.md, 3.6). What happened stays in the audit log.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { LIMITS } from '../auth/rate-limit';

/** Longer than any window of `LIMITS`: a counter younger than this may still count. */
const LONGEST_WINDOW_MS = Math.max(...Object.values(LIMITS).map((l) => l.windowMs));

/**
 * How long an expired enrolment code is kept: someone typing it from an old slip is told it
 * expired (rather than that it is unknown) for this long.
 */
export const EXPIRED_CODES_KEPT_DAYS = 30;

export interface Purged {
	rateLimits: number;
	staffSessions: number;
	enrolmentCodes: number;
}

export async function purgeSecurityData(db: Kysely<Database>, now = new Date()): Promise<Purged> {
	const stamp = now.toISOString();
	const windowOver = new Date(now.getTime() - LONGEST_WINDOW_MS).toISOString();
	const codesOver = new Date(now.getTime() - EXPIRED_CODES_KEPT_DAYS * 86_400_000).toISOString();
	const count = (result: { numDeletedRows: bigint }[]) =>
		result.reduce((n, r) => n + Number(r.numDeletedRows), 0);
	const rateLimits = await db
		.deleteFrom('rate_limits')
		.where('window_started_at', '<', windowOver)
		.where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', stamp)]))
		.execute();
	const staffSessions = await db
		.deleteFrom('staff_sessions')
		.where('expires_at', '<', stamp)
		.execute();
	const enrolmentCodes = await db
		.deleteFrom('enrolment_codes')
		.where('expires_at', '<', codesOver)
		.execute();
	return {
		rateLimits: count(rateLimits),
		staffSessions: count(staffSessions),
		enrolmentCodes: count(enrolmentCodes)
	};
}
