/**
 * Deleting a staff account (server/auth/staff.ts, deleteStaff) on a real SQLite and a real
 * PostgreSQL: what names the person or lets them in goes, the id stays with every session,
 * mark and figure that refers to it, and the rules hold: not oneself, not the last active
 * admin, not twice, and a deleted account never signs in, is never a colleague on a tablet
 * and is never edited again. Report figures are worked out by hand in support/report-data.ts.
 */
import pg from 'pg';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Outcome } from '../../src/lib/server/auth/outcome';
import { hashPassword, verifyPassword } from '../../src/lib/server/auth/passwords';
import { createSession, staffFromSession } from '../../src/lib/server/auth/sessions';
import {
	colleaguesAt,
	createStaff,
	deleteStaff,
	hasAnyAdmin,
	listStaff,
	resetPassword,
	signIn,
	updateStaff
} from '../../src/lib/server/auth/staff';
import { buildReport, type ReportFilter } from '../../src/lib/server/reports/figures';
import { attendanceList, heldSessionList } from '../../src/lib/server/reports/sessions';
import { DIALECTS, freshOffice, type TestOffice } from './support/databases';
import { LIB, SEN, VERA, WALTER, seedReportData } from './support/report-data';

// Light password hashing: these tests make staff accounts but are not about passwords.
vi.mock('argon2', (original) =>
	import('./support/light-argon2').then((m) => m.lightArgon2(original))
);

const ADMIN = { email: 'admin@stadt.example', password: 'admin stays in charge' };
const VERA_EMAIL = 'vera@example.org';
const VERA_PASSWORD = 'Vera kommt dienstags';

/** The first quarter of 2026 at the library and the senior centre (as in reports.spec.ts). */
const Q1: ReportFilter = {
	period: { from: '2026-01-01', to: '2026-03-31' },
	locationIds: [LIB, SEN],
	courseId: null,
	today: '2026-03-20'
};

const offices: TestOffice[] = [];
afterEach(async () => {
	for (const office of offices.splice(0)) await office.dispose();
});

function value<T>(outcome: Outcome<T>): T {
	if (!outcome.ok) throw new Error(`expected success, got ${outcome.problem}`);
	return outcome.value;
}

async function person(
	office: TestOffice,
	input: { email: string; name: string; role: string; locationIds?: string[] },
	password = 'ein langes Passwort 2026',
	by: string | null = null
): Promise<string> {
	return value(await createStaff(office, { locationIds: [], ...input, password }, { staffId: by }))
		.id;
}

/**
 * The known data set (volunteers Vera, Walter, Xaver and their sessions) with an admin, and
 * Vera made a real account: a password, the library as her place.
 */
async function world(dialect: (typeof DIALECTS)[number]) {
	const office = await freshOffice(dialect);
	offices.push(office);
	await seedReportData(office.db);
	const adminId = await person(
		office,
		{ ...ADMIN, name: 'Office Admin', role: 'admin' },
		ADMIN.password
	);
	await office.db
		.updateTable('staff')
		.set({ password_hash: await hashPassword(VERA_PASSWORD) })
		.where('id', '=', VERA)
		.execute();
	await office.db
		.insertInto('staff_locations')
		.values({ staff_id: VERA, location_id: LIB })
		.execute();
	return { office, adminId };
}

async function auditOf(office: TestOffice, action: string) {
	const rows = await office.db
		.selectFrom('audit_log')
		.select(['outcome', 'staff_id', 'target', 'details'])
		.where('action', '=', action)
		.orderBy('id')
		.execute();
	return rows.map((r) => ({ ...r, details: JSON.parse(r.details) as Record<string, unknown> }));
}

/** Every row that refers to a staff member by id, as it stands. */
async function referringRows(office: TestOffice) {
	return {
		sessions: await office.db.selectFrom('training_sessions').selectAll().orderBy('id').execute(),
		attendance: await office.db
			.selectFrom('attendance')
			.selectAll()
			.orderBy('session_id')
			.orderBy('learner_id')
			.execute(),
		volunteerMonths: await office.db
			.selectFrom('volunteer_months')
			.selectAll()
			.orderBy('staff_id')
			.orderBy('month')
			.orderBy('location_no')
			.orderBy('course_id')
			.execute(),
		devices: await office.db.selectFrom('devices').selectAll().orderBy('id').execute()
	};
}

/**
 * Another connection holds the admins' rows (PostgreSQL), so that two deletions started now
 * both get as far as they can before either goes on: their checks meet head-on.
 */
async function holdAdmins(url: string): Promise<() => Promise<void>> {
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	await client.query('begin');
	await client.query(`select id from staff where role = 'admin' for update`);
	return async () => {
		await new Promise((resolve) => setTimeout(resolve, 300));
		await client.query('commit');
		await client.end();
	};
}

describe.each(DIALECTS)('deleting a staff account on %s', { timeout: 30_000 }, (dialect) => {
	it('removes name, e-mail address, password, places and sessions, and keeps the id', async () => {
		const { office, adminId } = await world(dialect);
		const session = await createSession(office, VERA, null);
		await createSession(office, VERA, null);
		// A mistyped password leaves her address in a lockout counter and a refused sign-in.
		await signIn(office, { email: VERA_EMAIL, password: 'falsch', address: '10.0.0.9' });
		expect(
			JSON.stringify(await office.db.selectFrom('rate_limits').selectAll().execute())
		).toContain(VERA_EMAIL);
		const before = await office.db
			.selectFrom('staff')
			.selectAll()
			.where('id', '=', VERA)
			.executeTakeFirstOrThrow();

		value(await deleteStaff(office, VERA, { staffId: adminId }, new Date('2026-04-01T10:00:00Z')));

		const after = await office.db
			.selectFrom('staff')
			.selectAll()
			.where('id', '=', VERA)
			.executeTakeFirstOrThrow();
		expect(after).toMatchObject({
			id: VERA,
			display_name: '',
			email: `deleted:${VERA}`,
			role: 'volunteer',
			disabled_at: '2026-04-01T10:00:00.000Z',
			deleted_at: '2026-04-01T10:00:00.000Z'
		});
		expect(after.email).not.toContain('@');
		expect(after.password_hash).not.toBe(before.password_hash);
		expect(await verifyPassword(before.password_hash, VERA_PASSWORD)).toBe(true);
		expect(await verifyPassword(after.password_hash, VERA_PASSWORD)).toBe(false);
		expect(await verifyPassword(after.password_hash, '')).toBe(false);
		expect(
			await office.db
				.selectFrom('staff_locations')
				.selectAll()
				.where('staff_id', '=', VERA)
				.execute()
		).toEqual([]);
		expect(
			await office.db
				.selectFrom('staff_sessions')
				.selectAll()
				.where('staff_id', '=', VERA)
				.execute()
		).toEqual([]);
		expect(await staffFromSession(office, session.token)).toBeNull();
		// Her address is nowhere any more: not in a counter, not in the audit log.
		expect(
			JSON.stringify(await office.db.selectFrom('rate_limits').selectAll().execute())
		).not.toContain(VERA_EMAIL);
		expect(
			JSON.stringify(await office.db.selectFrom('audit_log').selectAll().execute())
		).not.toContain(VERA_EMAIL);
		// The refused sign-in is still there, under her id.
		expect(await auditOf(office, 'staff.sign-in')).toEqual([
			expect.objectContaining({ outcome: 'denied', staff_id: VERA, target: `deleted:${VERA}` })
		]);
		expect(await auditOf(office, 'staff.delete')).toEqual([
			{ outcome: 'ok', staff_id: adminId, target: VERA, details: { role: 'volunteer' } }
		]);
		// She is not in the list of accounts any more; the others are.
		expect((await listStaff(office)).map((s) => s.name).sort()).toEqual([
			'Office Admin',
			'Walter',
			'Xaver'
		]);
	});

	it('keeps every session, mark and figure that refers to the id', async () => {
		const { office, adminId } = await world(dialect);
		const rows = await referringRows(office);
		const report = await buildReport(office.reader, Q1);
		// 6 held sessions; volunteer hours 3 + 1 + 2 + 1 + 1 + 1.5 (Vera: 1.5 in s1, 2 in s2).
		expect(report.total).toMatchObject({ volunteers: 3, volunteerHours: 9.5 });
		expect(rows.sessions.filter((s) => s.volunteer_ids.includes(VERA)).length).toBeGreaterThan(0);
		expect(rows.attendance.every((a) => a.updated_by === VERA)).toBe(true);
		const sessionsBefore = await heldSessionList(office.reader, Q1, {});
		expect(sessionsBefore.find((s) => s.id === 's1')?.volunteers).toEqual(['Vera', 'Walter']);

		value(await deleteStaff(office, VERA, { staffId: adminId }));

		expect(await referringRows(office)).toEqual(rows);
		expect(await buildReport(office.reader, Q1)).toEqual(report);
		// Lists behind the figures still count her, with no name: the page says "deleted account".
		const sessionsAfter = await heldSessionList(office.reader, Q1, {});
		expect(sessionsAfter.map((s) => ({ ...s, volunteers: [] }))).toEqual(
			sessionsBefore.map((s) => ({ ...s, volunteers: [] }))
		);
		expect(sessionsAfter.find((s) => s.id === 's1')?.volunteers).toEqual(['', 'Walter']);
		expect(sessionsAfter.find((s) => s.id === 's3')?.volunteers).toEqual(['Walter']);
		expect((await attendanceList(office.db, 's2'))?.session.volunteers).toEqual(['']);
	});

	it('refuses oneself, the last active admin, an unknown and a deleted account, and audits it', async () => {
		const { office, adminId } = await world(dialect);
		const coordinator = await person(
			office,
			{ email: 'coordination@stadt.example', name: 'Cora', role: 'coordinator' },
			undefined,
			adminId
		);
		const selfDelete = { ok: false, problem: 'office:staff.selfDelete' };
		const lastAdmin = { ok: false, problem: 'office:staff.lastAdmin' };
		const alreadyDeleted = { ok: false, problem: 'office:staff.alreadyDeleted' };

		expect(await deleteStaff(office, adminId, { staffId: adminId })).toMatchObject(selfDelete);
		// Whoever asks (a coordinator cannot reach the page; another instance might), the last
		// active admin stays.
		expect(await deleteStaff(office, adminId, { staffId: coordinator })).toMatchObject(lastAdmin);
		expect(await deleteStaff(office, 'no-such-id', { staffId: adminId })).toMatchObject({
			ok: false,
			problem: 'office:staff.notFound'
		});
		value(await deleteStaff(office, WALTER, { staffId: adminId }));
		expect(await deleteStaff(office, WALTER, { staffId: adminId })).toMatchObject(alreadyDeleted);

		const admin = await office.db
			.selectFrom('staff')
			.select(['email', 'display_name', 'disabled_at', 'deleted_at'])
			.where('id', '=', adminId)
			.executeTakeFirstOrThrow();
		expect(admin).toEqual({
			email: ADMIN.email,
			display_name: 'Office Admin',
			disabled_at: null,
			deleted_at: null
		});
		expect(await hasAnyAdmin(office)).toBe(true);
		expect(
			(await auditOf(office, 'staff.delete')).map((e) => [e.outcome, e.target, e.details])
		).toEqual([
			['denied', adminId, { reason: 'self' }],
			['denied', adminId, { reason: 'last-admin' }],
			['denied', 'no-such-id', { reason: 'not-found' }],
			['ok', WALTER, { role: 'volunteer' }],
			['denied', WALTER, { reason: 'already-deleted' }]
		]);
	});

	it('lets a second admin go, and of two admins deleting each other at once only one', async () => {
		const { office, adminId } = await world(dialect);
		const second = await person(
			office,
			{ email: 'second@stadt.example', name: 'Second Admin', role: 'admin' },
			undefined,
			adminId
		);
		const third = await person(
			office,
			{ email: 'third@stadt.example', name: 'Third Admin', role: 'admin' },
			undefined,
			adminId
		);
		value(await deleteStaff(office, third, { staffId: adminId }));
		// SQLite runs one transaction at a time; on PostgreSQL both start while the rows are held.
		const release = office.url ? await holdAdmins(office.url) : null;
		const both = Promise.all([
			deleteStaff(office, second, { staffId: adminId }),
			deleteStaff(office, adminId, { staffId: second })
		]);
		await release?.();
		const [a, b] = await both;
		expect([a.ok, b.ok].filter(Boolean)).toHaveLength(1);
		expect([a, b].find((r) => !r.ok)).toMatchObject({ problem: 'office:staff.lastAdmin' });
		const active = await office.db
			.selectFrom('staff')
			.select('id')
			.where('role', '=', 'admin')
			.where('disabled_at', 'is', null)
			.execute();
		expect(active).toHaveLength(1);
	});

	it('never lets a deleted account sign in, be a colleague on a tablet, or be changed', async () => {
		const { office, adminId } = await world(dialect);
		const walter = await office.db
			.selectFrom('staff')
			.select('id')
			.where('id', '=', WALTER)
			.executeTakeFirstOrThrow();
		await office.db
			.insertInto('staff_locations')
			.values({ staff_id: walter.id, location_id: LIB })
			.execute();
		const names = async () => (await colleaguesAt(office, LIB)).map((c) => c.name);
		expect(await names()).toEqual(['Vera', 'Walter']);
		const office1 = await signIn(office, {
			email: VERA_EMAIL,
			password: VERA_PASSWORD,
			address: '10.0.0.1'
		});
		expect(office1).toMatchObject({ ok: true, staffId: VERA });

		value(await deleteStaff(office, VERA, { staffId: adminId }));

		const wrong = { ok: false, problem: 'office:signIn.wrong' };
		// In the office, on a tablet (no session), and with the placeholder typed as the address.
		expect(
			await signIn(office, { email: VERA_EMAIL, password: VERA_PASSWORD, address: '10.0.0.2' })
		).toEqual(wrong);
		expect(
			await signIn(office, {
				email: VERA_EMAIL,
				password: VERA_PASSWORD,
				address: '10.0.0.3',
				deviceId: 'tablet-lib',
				session: false
			})
		).toEqual(wrong);
		expect(
			await signIn(office, {
				email: `deleted:${VERA}`,
				password: VERA_PASSWORD,
				address: '10.0.0.4'
			})
		).toEqual(wrong);
		expect((await auditOf(office, 'staff.sign-in')).at(-1)).toMatchObject({
			outcome: 'denied',
			staff_id: VERA,
			details: { reason: 'deleted' }
		});
		expect(await names()).toEqual(['Walter']);

		// Not edited, not enabled again, no new password.
		const input = { email: VERA_EMAIL, name: 'Vera', role: 'volunteer', locationIds: [LIB] };
		const alreadyDeleted = { ok: false, problem: 'office:staff.alreadyDeleted' };
		expect(
			await updateStaff(office, VERA, { ...input, disabled: false }, { staffId: adminId })
		).toMatchObject(alreadyDeleted);
		expect(await resetPassword(office, VERA, { staffId: adminId })).toMatchObject(alreadyDeleted);
		const row = await office.db
			.selectFrom('staff')
			.select(['display_name', 'email', 'disabled_at'])
			.where('id', '=', VERA)
			.executeTakeFirstOrThrow();
		expect(row).toMatchObject({ display_name: '', email: `deleted:${VERA}` });
		expect(row.disabled_at).not.toBeNull();
		expect(await names()).toEqual(['Walter']);

		// Her address is free: a new account may use it, and it is a different person.
		const again = await person(office, { ...input, name: 'Vera Neu' }, VERA_PASSWORD, adminId);
		expect(again).not.toBe(VERA);
		expect(
			await signIn(office, { email: VERA_EMAIL, password: VERA_PASSWORD, address: '10.0.0.5' })
		).toMatchObject({ ok: true, staffId: again });
	});
});
