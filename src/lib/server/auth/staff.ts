/**
 * Staff accounts: the first administrator, sign-in with lockout, password change and reset,
 * deletion, and the admin's list of people with their role and places. Every change is
 * audited.
 */
import { v7 as uuid } from 'uuid';
import type { OfficeDatabase } from '../db/connection';
import { passwordProblem } from '../../domain/auth/password';
import { ROLES, type Role } from '../../domain/auth/roles';
import { audit } from './audit';
import { ok, problem, type Outcome } from './outcome';
import { hashPassword, verifyPassword } from './passwords';
import { LIMITS, clear, countFailure, lockedUntil } from './rate-limit';
import { createSession, endAllSessions } from './sessions';
import { newCode } from './tokens';
import { formatCode } from '../../domain/auth/codes';
import {
	UNUSABLE_PASSWORD_HASH,
	deletedEmail,
	deletionRefusal,
	type DeletionRefusal
} from '../../domain/auth/staff-deletion';

export interface StaffInput {
	email: string;
	name: string;
	role: string;
	locationIds: string[];
}

export function normalizeEmail(email: string): string {
	return email.trim().toLowerCase();
}

function checkPassword(password: string, email: string): Outcome<never> | null {
	const issue = passwordProblem(password, email);
	return issue ? problem(`office:password.${issue}`, 'password') : null;
}

async function checkStaffInput(
	office: OfficeDatabase,
	input: StaffInput,
	editing?: string
): Promise<Outcome<never> | null> {
	const email = normalizeEmail(input.email);
	if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 200) {
		return problem('office:staff.emailInvalid', 'email');
	}
	const name = input.name.trim();
	if (name.length < 1 || name.length > 80) return problem('office:staff.nameInvalid', 'name');
	if (!ROLES.includes(input.role as Role)) return problem('office:staff.roleInvalid', 'role');
	const taken = await office.db
		.selectFrom('staff')
		.select('id')
		.where('email', '=', email)
		.executeTakeFirst();
	if (taken && taken.id !== editing) return problem('office:staff.emailTaken', 'email');
	if (input.role === 'volunteer' && input.locationIds.length === 0) {
		return problem('office:staff.locationsNeeded', 'locationIds');
	}
	if (input.locationIds.length > 0) {
		const known = await office.db
			.selectFrom('locations')
			.select('id')
			.where('id', 'in', input.locationIds)
			.where('archived_at', 'is', null)
			.execute();
		if (known.length !== new Set(input.locationIds).size) {
			return problem('office:staff.locationsInvalid', 'locationIds');
		}
	}
	return null;
}

export async function hasAnyAdmin({ db }: OfficeDatabase): Promise<boolean> {
	const row = await db
		.selectFrom('staff')
		.select('id')
		.where('role', '=', 'admin')
		.where('disabled_at', 'is', null)
		.executeTakeFirst();
	return !!row;
}

export async function createStaff(
	office: OfficeDatabase,
	input: StaffInput & { password: string },
	actor: { staffId: string | null; deviceId?: string | null },
	now = new Date()
): Promise<Outcome<{ id: string }>> {
	const invalid =
		(await checkStaffInput(office, input)) ?? checkPassword(input.password, input.email);
	if (invalid) return invalid;
	const id = uuid();
	const hash = await hashPassword(input.password);
	const stamp = now.toISOString();
	await office.db.transaction().execute(async (tx) => {
		await tx
			.insertInto('staff')
			.values({
				id,
				email: normalizeEmail(input.email),
				display_name: input.name.trim(),
				role: input.role,
				password_hash: hash,
				// Someone else chose this password: the new person picks their own at first sign-in.
				must_change_password: actor.staffId === null ? 0 : 1,
				created_at: stamp,
				password_changed_at: stamp,
				disabled_at: null
			})
			.execute();
		await setLocations(tx, id, input.locationIds);
		await audit(tx, {
			action: 'staff.create',
			staffId: actor.staffId ?? id,
			deviceId: actor.deviceId,
			target: id,
			details: { role: input.role, locations: input.locationIds }
		});
	});
	return ok({ id });
}

async function setLocations(db: OfficeDatabase['db'], staffId: string, locationIds: string[]) {
	await db.deleteFrom('staff_locations').where('staff_id', '=', staffId).execute();
	const unique = [...new Set(locationIds)];
	if (unique.length > 0) {
		await db
			.insertInto('staff_locations')
			.values(unique.map((location_id) => ({ staff_id: staffId, location_id })))
			.execute();
	}
}

export async function updateStaff(
	office: OfficeDatabase,
	staffId: string,
	input: StaffInput & { disabled: boolean },
	actor: { staffId: string; deviceId?: string | null }
): Promise<Outcome> {
	const current = await office.db
		.selectFrom('staff')
		.selectAll()
		.where('id', '=', staffId)
		.executeTakeFirst();
	if (!current) return problem('office:staff.notFound');
	// A deleted account has no name or address to edit, and is never enabled again.
	if (current.deleted_at) return problem('office:staff.alreadyDeleted');
	const invalid = await checkStaffInput(office, input, staffId);
	if (invalid) return invalid;
	// The last admin cannot lock everyone out of the office.
	const losesAdmin = current.role === 'admin' && (input.role !== 'admin' || input.disabled);
	if (losesAdmin) {
		const admins = await office.db
			.selectFrom('staff')
			.select('id')
			.where('role', '=', 'admin')
			.where('disabled_at', 'is', null)
			.execute();
		if (admins.length <= 1) return problem('office:staff.lastAdmin', 'role');
	}
	await office.db.transaction().execute(async (tx) => {
		await tx
			.updateTable('staff')
			.set({
				email: normalizeEmail(input.email),
				display_name: input.name.trim(),
				role: input.role,
				disabled_at: input.disabled ? (current.disabled_at ?? new Date().toISOString()) : null
			})
			.where('id', '=', staffId)
			.execute();
		await setLocations(tx, staffId, input.locationIds);
		if (input.disabled || input.role !== current.role) await endAllSessions(tx, staffId);
		await audit(tx, {
			action: 'staff.update',
			staffId: actor.staffId,
			deviceId: actor.deviceId,
			target: staffId,
			details: { role: input.role, locations: input.locationIds, disabled: input.disabled }
		});
	});
	return ok(undefined);
}

export type SignInOutcome =
	| {
			ok: true;
			staffId: string;
			/** Null when no session was asked for (a volunteer unlocking a tablet). */
			token: string | null;
			expires: Date | null;
			mustChangePassword: boolean;
	  }
	| { ok: false; problem: 'office:signIn.wrong' | 'office:signIn.locked'; until?: Date };

/**
 * Checks a password. Five wrong ones lock the account for a while and thirty from one address
 * lock that address, in the database, so every instance agrees. The answer never tells
 * whether the account exists.
 */
export async function signIn(
	office: OfficeDatabase,
	input: {
		email: string;
		password: string;
		address: string;
		deviceId?: string | null;
		session?: boolean;
	},
	now = new Date()
): Promise<SignInOutcome> {
	const email = normalizeEmail(input.email);
	const accountKey = `login:account:${email}`;
	const addressKey = `login:address:${input.address}`;
	const locked =
		(await lockedUntil(office, accountKey, now)) ?? (await lockedUntil(office, addressKey, now));
	if (locked) {
		await audit(office.db, {
			action: 'staff.sign-in',
			outcome: 'denied',
			target: email,
			deviceId: input.deviceId,
			details: { reason: 'locked' }
		});
		return { ok: false, problem: 'office:signIn.locked', until: locked };
	}
	const row = await office.db
		.selectFrom('staff')
		.select(['id', 'password_hash', 'disabled_at', 'deleted_at', 'must_change_password'])
		.where('email', '=', email)
		.executeTakeFirst();
	const valid = await verifyPassword(row?.password_hash ?? null, input.password.slice(0, 1000));
	// A deleted account is also disabled, and its password can never match: checked all the same.
	if (!row || !valid || row.disabled_at || row.deleted_at) {
		await countFailure(office, accountKey, LIMITS.loginAccount, now);
		await countFailure(office, addressKey, LIMITS.loginAddress, now);
		const lockedNow =
			(await lockedUntil(office, accountKey, now)) ?? (await lockedUntil(office, addressKey, now));
		await audit(office.db, {
			action: 'staff.sign-in',
			outcome: 'denied',
			staffId: row?.id ?? null,
			target: email,
			deviceId: input.deviceId,
			details: {
				reason: row?.deleted_at ? 'deleted' : row?.disabled_at ? 'disabled' : 'wrong-password'
			}
		});
		// The try that causes the lock already says so.
		if (lockedNow) return { ok: false, problem: 'office:signIn.locked', until: lockedNow };
		return { ok: false, problem: 'office:signIn.wrong' };
	}
	await clear(office, accountKey);
	const session =
		input.session === false
			? null
			: await createSession(office, row.id, input.deviceId ?? null, now);
	await audit(office.db, { action: 'staff.sign-in', staffId: row.id, deviceId: input.deviceId });
	return {
		ok: true,
		staffId: row.id,
		token: session?.token ?? null,
		expires: session?.expires ?? null,
		mustChangePassword: row.must_change_password === 1
	};
}

export async function changePassword(
	office: OfficeDatabase,
	staff: { id: string; email: string },
	current: string,
	next: string,
	keepToken: string
): Promise<Outcome> {
	const row = await office.db
		.selectFrom('staff')
		.select('password_hash')
		.where('id', '=', staff.id)
		.executeTakeFirstOrThrow();
	if (!(await verifyPassword(row.password_hash, current))) {
		await audit(office.db, {
			action: 'staff.password-change',
			outcome: 'denied',
			staffId: staff.id
		});
		return problem('office:password.currentWrong', 'current');
	}
	const issue = passwordProblem(next, staff.email);
	if (issue) return problem(`office:password.${issue}`, 'next');
	if (next === current) return problem('office:password.unchanged', 'next');
	const hash = await hashPassword(next);
	await office.db.transaction().execute(async (tx) => {
		await tx
			.updateTable('staff')
			.set({
				password_hash: hash,
				must_change_password: 0,
				password_changed_at: new Date().toISOString()
			})
			.where('id', '=', staff.id)
			.execute();
		// Everywhere else this person is signed in ends: a stolen session dies with the old password.
		await endAllSessions(tx, staff.id, keepToken);
		await audit(tx, { action: 'staff.password-change', staffId: staff.id, target: staff.id });
	});
	return ok(undefined);
}

/** An admin sets a one-time password, shown once; the person must choose their own next. */
export async function resetPassword(
	office: OfficeDatabase,
	staffId: string,
	actor: { staffId: string | null; deviceId?: string | null }
): Promise<Outcome<{ temporaryPassword: string }>> {
	const exists = await office.db
		.selectFrom('staff')
		.select(['id', 'email', 'deleted_at'])
		.where('id', '=', staffId)
		.executeTakeFirst();
	if (!exists) return problem('office:staff.notFound');
	if (exists.deleted_at) return problem('office:staff.alreadyDeleted');
	// A reset ends every session of the person: one's own would end before the password is read.
	if (actor.staffId === staffId) return problem('office:staff.selfReset');
	// Read aloud or copied from a note: letters that cannot be mistaken for one another.
	const temporaryPassword = `${formatCode(newCode())}-${formatCode(newCode())}`;
	const hash = await hashPassword(temporaryPassword);
	await office.db.transaction().execute(async (tx) => {
		await tx
			.updateTable('staff')
			.set({
				password_hash: hash,
				must_change_password: 1,
				password_changed_at: new Date().toISOString()
			})
			.where('id', '=', staffId)
			.execute();
		await endAllSessions(tx, staffId);
		// A locked-out person gets back in with the new password at once.
		await tx.deleteFrom('rate_limits').where('key', '=', `login:account:${exists.email}`).execute();
		await audit(tx, {
			action: 'staff.password-reset',
			staffId: actor.staffId,
			deviceId: actor.deviceId,
			target: staffId
		});
	});
	return ok({ temporaryPassword });
}

export interface StaffListItem {
	id: string;
	email: string;
	name: string;
	role: Role;
	locationIds: string[];
	disabled: boolean;
	mustChangePassword: boolean;
}

export async function listStaff({ db }: OfficeDatabase): Promise<StaffListItem[]> {
	const [people, links] = await Promise.all([
		// Deleted accounts have no name left to show, and nothing about them can be changed.
		db
			.selectFrom('staff')
			.selectAll()
			.where('deleted_at', 'is', null)
			.orderBy('display_name')
			.execute(),
		db.selectFrom('staff_locations').selectAll().execute()
	]);
	return people.map((p) => ({
		id: p.id,
		email: p.email,
		name: p.display_name,
		role: p.role as Role,
		locationIds: links.filter((l) => l.staff_id === p.id).map((l) => l.location_id),
		disabled: p.disabled_at !== null,
		mustChangePassword: p.must_change_password === 1
	}));
}

/** The staff assigned to a place, by name, as a tablet shows them: none disabled or deleted. */
export async function colleaguesAt(
	{ db }: OfficeDatabase,
	locationId: string
): Promise<{ id: string; name: string }[]> {
	return db
		.selectFrom('staff')
		.innerJoin('staff_locations', 'staff_locations.staff_id', 'staff.id')
		.select(['staff.id as id', 'staff.display_name as name'])
		.where('staff_locations.location_id', '=', locationId)
		.where('staff.disabled_at', 'is', null)
		.where('staff.deleted_at', 'is', null)
		.orderBy('staff.display_name')
		.execute();
}

const DELETION_PROBLEMS: Record<DeletionRefusal, string> = {
	'not-found': 'office:staff.notFound',
	'already-deleted': 'office:staff.alreadyDeleted',
	self: 'office:staff.selfDelete',
	'last-admin': 'office:staff.lastAdmin'
};

/**
 * Deletes a staff account: what names the person or lets them in goes (name, e-mail address,
 * password, places, sessions, a lockout counter under their address, their address in refused
 * sign-ins of the audit log); the id stays, disabled for good, so the sessions they ran, the
 * marks they set, the report figures and the audit log still add up. Refusals are audited too.
 */
export async function deleteStaff(
	office: OfficeDatabase,
	staffId: string,
	actor: { staffId: string; deviceId?: string | null },
	now = new Date()
): Promise<Outcome> {
	const postgres = office.dialect === 'postgres';
	const refusal = await office.db.transaction().execute(async (tx) => {
		// On PostgreSQL the active admins are locked first, always in the same order, then the
		// target: two admins deleting each other at once wait for one another instead of both
		// passing the check (or deadlocking), and the second sees that the first is gone.
		const admins = await tx
			.selectFrom('staff')
			.select('id')
			.where('role', '=', 'admin')
			.where('disabled_at', 'is', null)
			.orderBy('id')
			.$if(postgres, (q) => q.forUpdate())
			.execute();
		const target = await tx
			.selectFrom('staff')
			.select(['id', 'email', 'role', 'disabled_at', 'deleted_at'])
			.where('id', '=', staffId)
			.$if(postgres, (q) => q.forUpdate())
			.executeTakeFirst();
		const refused = deletionRefusal({
			actorId: actor.staffId,
			target: target
				? {
						id: target.id,
						role: target.role,
						disabled: target.disabled_at !== null,
						deleted: target.deleted_at !== null
					}
				: null,
			activeAdmins: admins.length
		});
		if (refused || !target) return refused ?? 'not-found';
		const at = now.toISOString();
		const placeholder = deletedEmail(staffId);
		await tx
			.updateTable('staff')
			.set({
				display_name: '',
				email: placeholder,
				password_hash: UNUSABLE_PASSWORD_HASH,
				must_change_password: 0,
				disabled_at: target.disabled_at ?? at,
				deleted_at: at
			})
			.where('id', '=', staffId)
			.execute();
		await tx.deleteFrom('staff_locations').where('staff_id', '=', staffId).execute();
		await endAllSessions(tx, staffId);
		await tx.deleteFrom('rate_limits').where('key', '=', `login:account:${target.email}`).execute();
		// A refused sign-in records the address typed; the entry keeps the person's id instead.
		await tx
			.updateTable('audit_log')
			.set({ target: placeholder })
			.where('target', '=', target.email)
			.execute();
		await audit(
			tx,
			{
				action: 'staff.delete',
				staffId: actor.staffId,
				deviceId: actor.deviceId,
				target: staffId,
				details: { role: target.role }
			},
			now
		);
		return null;
	});
	if (refusal) {
		await audit(
			office.db,
			{
				action: 'staff.delete',
				outcome: 'denied',
				staffId: actor.staffId,
				deviceId: actor.deviceId,
				target: staffId,
				details: { reason: refusal }
			},
			now
		);
		return problem(DELETION_PROBLEMS[refusal]);
	}
	return ok(undefined);
}
