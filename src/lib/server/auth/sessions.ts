/**
 * Staff sessions, stored in the database (any instance can check them): a random token in an
 * HttpOnly, SameSite=Strict cookie, its SHA-256 in the table. A session ends after 12 hours
 * without use, after 7 days at most, at sign-out, and when the password changes.
 */
import type { OfficeDatabase } from '../db/connection';
import type { Role } from '../../domain/auth/roles';
import { digest, newToken } from './tokens';

export const SESSION_COOKIE = 'lernlotse_session';
export const IDLE_MS = 12 * 60 * 60_000;
export const MAX_AGE_MS = 7 * 24 * 60 * 60_000;
/** Extend a session at most this often, not on every request. */
const TOUCH_EVERY_MS = 5 * 60_000;

export interface SignedInStaff {
	id: string;
	email: string;
	name: string;
	role: Role;
	locationIds: string[];
	mustChangePassword: boolean;
}

export async function createSession(
	{ db }: OfficeDatabase,
	staffId: string,
	deviceId: string | null,
	now = new Date()
): Promise<{ token: string; expires: Date }> {
	const token = newToken();
	const expires = new Date(now.getTime() + IDLE_MS);
	await db
		.insertInto('staff_sessions')
		.values({
			token_hash: digest(token),
			staff_id: staffId,
			created_at: now.toISOString(),
			last_seen_at: now.toISOString(),
			expires_at: expires.toISOString(),
			device_id: deviceId
		})
		.execute();
	return { token, expires };
}

export async function staffFromSession(
	office: OfficeDatabase,
	token: string,
	now = new Date()
): Promise<SignedInStaff | null> {
	const { db } = office;
	const hash = digest(token);
	const row = await db
		.selectFrom('staff_sessions')
		.innerJoin('staff', 'staff.id', 'staff_sessions.staff_id')
		.select([
			'staff.id',
			'staff.email',
			'staff.display_name',
			'staff.role',
			'staff.must_change_password',
			'staff.disabled_at',
			'staff_sessions.created_at',
			'staff_sessions.last_seen_at',
			'staff_sessions.expires_at'
		])
		.where('staff_sessions.token_hash', '=', hash)
		.executeTakeFirst();
	if (!row) return null;
	const ended =
		new Date(row.expires_at) <= now ||
		new Date(row.created_at).getTime() + MAX_AGE_MS <= now.getTime() ||
		row.disabled_at !== null;
	if (ended) {
		await db.deleteFrom('staff_sessions').where('token_hash', '=', hash).execute();
		return null;
	}
	if (now.getTime() - new Date(row.last_seen_at).getTime() > TOUCH_EVERY_MS) {
		await db
			.updateTable('staff_sessions')
			.set({
				last_seen_at: now.toISOString(),
				expires_at: new Date(now.getTime() + IDLE_MS).toISOString()
			})
			.where('token_hash', '=', hash)
			.execute();
	}
	const locations = await db
		.selectFrom('staff_locations')
		.select('location_id')
		.where('staff_id', '=', row.id)
		.execute();
	return {
		id: row.id,
		email: row.email,
		name: row.display_name,
		role: row.role as Role,
		locationIds: locations.map((l) => l.location_id),
		mustChangePassword: row.must_change_password === 1
	};
}

export async function endSession({ db }: OfficeDatabase, token: string): Promise<void> {
	await db.deleteFrom('staff_sessions').where('token_hash', '=', digest(token)).execute();
}

/** Every session of one person ends: after a password change, a reset or being disabled. */
export async function endAllSessions(
	db: OfficeDatabase['db'],
	staffId: string,
	exceptToken?: string
): Promise<void> {
	await db
		.deleteFrom('staff_sessions')
		.where('staff_id', '=', staffId)
		.$if(exceptToken !== undefined, (q) => q.where('token_hash', '!=', digest(exceptToken!)))
		.execute();
}

export function cookieOptions(secure: boolean, expires: Date) {
	return { path: '/', httpOnly: true, sameSite: 'strict' as const, secure, expires };
}
