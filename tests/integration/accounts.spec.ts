/**
 * Staff accounts, enrolled devices and learner cards on a real SQLite and a real PostgreSQL:
 * sessions, lockouts that hold across app instances, enrolment codes, device credentials,
 * learner cards arriving by sync, a device's reach over learners, and the audit log.
 */
import { v7 as uuidv7 } from 'uuid';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LIMITS } from '../../src/lib/server/auth/rate-limit';
import { redeemCard } from '../../src/lib/server/auth/cards';
import {
	authenticateDevice,
	bearer,
	createEnrolmentCode,
	enrolDevice,
	revokeDevice
} from '../../src/lib/server/auth/devices';
import { createLocation } from '../../src/lib/server/auth/locations';
import type { Outcome } from '../../src/lib/server/auth/outcome';
import {
	IDLE_MS,
	MAX_AGE_MS,
	createSession,
	staffFromSession
} from '../../src/lib/server/auth/sessions';
import {
	changePassword,
	createStaff,
	hasAnyAdmin,
	listStaff,
	resetPassword,
	signIn,
	updateStaff,
	type StaffInput
} from '../../src/lib/server/auth/staff';
import { digest, newCode } from '../../src/lib/server/auth/tokens';
import { openDatabase, type OfficeDatabase } from '../../src/lib/server/db/connection';
import { handlePush } from '../../src/lib/server/sync/push';
import type { PushResponse } from '../../src/lib/sync/protocol';
import { DIALECTS, freshOffice, type TestOffice } from './support/databases';
import { FakeDevice, newLearnerId } from './support/factories';

// Light password hashing: these tests make staff accounts but are not about passwords.
vi.mock('argon2', (original) =>
	import('./support/light-argon2').then((m) => m.lightArgon2(original))
);

const ADMIN_PASSWORD = 'admin stays in charge';
const STAFF_PASSWORD = 'volunteer helps at the desk';
const MINUTE = 60_000;

const offices: TestOffice[] = [];
const instances: OfficeDatabase[] = [];
afterEach(async () => {
	// Second instances first: a PostgreSQL database is dropped only when nobody is connected.
	for (const instance of instances.splice(0)) await instance.close();
	for (const office of offices.splice(0)) await office.dispose();
});

/** Another app instance on the same database, as a second server behind a load balancer. */
function secondInstance(office: TestOffice): OfficeDatabase {
	const instance = office.url
		? openDatabase({ databaseUrl: office.url, dataDir: '' })
		: openDatabase({ dataDir: office.dataDir! });
	instances.push(instance);
	return instance;
}

function value<T>(outcome: Outcome<T>): T {
	if (!outcome.ok) throw new Error(`expected success, got ${outcome.problem}`);
	return outcome.value;
}

/** A call that must answer: a stuck database fails the test with a clear message. */
async function answered<T>(work: Promise<T>, what: string, ms = 3_000): Promise<T> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const deadline = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
	});
	try {
		return await Promise.race([work, deadline]);
	} finally {
		clearTimeout(timer);
	}
}

interface Seeded {
	office: TestOffice;
	adminId: string;
	placeA: string;
	placeB: string;
}

/** A migrated office with its first admin and two places. */
async function open(dialect: (typeof DIALECTS)[number]): Promise<Seeded> {
	const office = await freshOffice(dialect);
	offices.push(office);
	const { id: adminId } = value(
		await createStaff(
			office,
			{
				email: 'admin@stadt.example',
				name: 'Office Admin',
				role: 'admin',
				locationIds: [],
				password: ADMIN_PASSWORD
			},
			{ staffId: null }
		)
	);
	const place = async (name: string) =>
		value(
			await createLocation(office, { name, kind: 'library', address: '' }, { staffId: adminId })
		).id;
	return {
		office,
		adminId,
		placeA: await place('Library North'),
		placeB: await place('Library South')
	};
}

async function addStaff(
	{ office, adminId }: Seeded,
	input: Partial<StaffInput> & { email: string },
	password = STAFF_PASSWORD
): Promise<string> {
	const person = { name: 'Staff Member', role: 'volunteer', locationIds: [], ...input };
	return value(await createStaff(office, { ...person, password }, { staffId: adminId })).id;
}

/** A tablet enrolled at `locationId` with a fresh code, and its credential. */
async function enrolled(seeded: Seeded, locationId: string, device = new FakeDevice()) {
	const { code } = value(
		await createEnrolmentCode(seeded.office, locationId, { staffId: seeded.adminId })
	);
	const done = await enrolDevice(seeded.office, {
		code,
		deviceId: device.id,
		name: 'Tablet',
		address: '10.1.0.1'
	});
	return { device, credential: value(done).credential };
}

/** A learner card printed on `device`: the code stays on paper, its digest goes to the office. */
function printCard(device: FakeDevice, learnerId: string) {
	const code = newCode();
	const base = device.mutation('learner', uuidv7(), device.clock.tick(), {
		learnerId,
		codeHash: digest(code)
	});
	return { code, mutation: { ...base, kind: 'card' as const } };
}

async function push(office: OfficeDatabase, device: FakeDevice, mutations: unknown[]) {
	const reply = await handlePush(office, device.push(mutations));
	expect(reply.status).toBe(200);
	return (reply.body as PushResponse).results;
}

async function auditOf(office: OfficeDatabase, action: string) {
	const rows = await office.db
		.selectFrom('audit_log')
		.select(['outcome', 'staff_id', 'device_id', 'target', 'location_id', 'details'])
		.where('action', '=', action)
		.orderBy('id')
		.execute();
	return rows.map((r) => ({ ...r, details: JSON.parse(r.details) as Record<string, unknown> }));
}

async function sessionCount(office: OfficeDatabase, staffId: string): Promise<number> {
	const row = await office.db
		.selectFrom('staff_sessions')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('staff_id', '=', staffId)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

describe.each(DIALECTS)('accounts on %s', { timeout: 20_000 }, (dialect) => {
	describe('sessions', () => {
		it('finds the person behind a session and ends it after 12 hours without use', async () => {
			const seeded = await open(dialect);
			const volunteer = await addStaff(seeded, {
				email: 'volunteer@stadt.example',
				locationIds: [seeded.placeA]
			});
			const start = new Date('2026-03-02T08:00:00Z');
			const { token } = await createSession(seeded.office, volunteer, null, start);

			const later = new Date(start.getTime() + MINUTE);
			expect(await staffFromSession(seeded.office, token, later)).toEqual({
				id: volunteer,
				email: 'volunteer@stadt.example',
				name: 'Staff Member',
				role: 'volunteer',
				locationIds: [seeded.placeA],
				mustChangePassword: true
			});
			const idle = new Date(later.getTime() + IDLE_MS);
			expect(await staffFromSession(seeded.office, token, idle)).toBeNull();
			expect(await sessionCount(seeded.office, volunteer)).toBe(0);
			expect(await staffFromSession(seeded.office, token, later)).toBeNull();
		});

		it('is extended while in use, but ends 7 days after sign-in whatever the use', async () => {
			const seeded = await open(dialect);
			const start = new Date('2026-03-02T08:00:00Z');
			const { token } = await createSession(seeded.office, seeded.adminId, null, start);
			let at = start.getTime();
			// In use every 11 hours: each visit comes before the idle limit of the one before.
			while (at + 11 * 60 * MINUTE < start.getTime() + MAX_AGE_MS) {
				at += 11 * 60 * MINUTE;
				expect(
					await staffFromSession(seeded.office, token, new Date(at)),
					new Date(at).toISOString()
				).not.toBeNull();
			}
			expect(at - start.getTime()).toBeGreaterThan(IDLE_MS);
			const end = new Date(start.getTime() + MAX_AGE_MS);
			expect(await staffFromSession(seeded.office, token, end)).toBeNull();
			expect(await sessionCount(seeded.office, seeded.adminId)).toBe(0);
		});

		it('ends every other session when the password changes, and keeps the current one', async () => {
			const seeded = await open(dialect);
			const { office, adminId } = seeded;
			const here = await createSession(office, adminId, null);
			const elsewhere = await createSession(office, adminId, null);
			const admin = { id: adminId, email: 'admin@stadt.example' };

			const wrong = await changePassword(
				office,
				admin,
				'not my password',
				'a new long secret',
				here.token
			);
			expect(wrong).toMatchObject({ ok: false, problem: 'office:password.currentWrong' });
			expect(await sessionCount(office, adminId)).toBe(2);

			const weak = await changePassword(office, admin, ADMIN_PASSWORD, 'admin', here.token);
			expect(weak).toMatchObject({ ok: false, problem: 'office:password.too-short' });

			value(await changePassword(office, admin, ADMIN_PASSWORD, 'a new long secret', here.token));
			expect(await staffFromSession(office, here.token)).toMatchObject({ id: adminId });
			expect(await staffFromSession(office, elsewhere.token)).toBeNull();
			expect(await sessionCount(office, adminId)).toBe(1);
			const address = '10.2.0.1';
			expect(
				await signIn(office, { email: 'admin@stadt.example', password: ADMIN_PASSWORD, address })
			).toMatchObject({ ok: false, problem: 'office:signIn.wrong' });
			expect(
				await signIn(office, {
					email: 'ADMIN@stadt.example ',
					password: 'a new long secret',
					address
				})
			).toMatchObject({ ok: true, staffId: adminId, mustChangePassword: false });
			expect((await auditOf(office, 'staff.password-change')).map((a) => a.outcome)).toEqual([
				'denied',
				'ok'
			]);
		});

		it('ends the sessions of a person who is disabled or changes role, and refuses their sign-in', async () => {
			const seeded = await open(dialect);
			const { office, adminId, placeA } = seeded;
			const email = 'volunteer@stadt.example';
			const volunteer = await addStaff(seeded, { email, locationIds: [placeA] });
			const input = { email, name: 'Staff Member', role: 'volunteer', locationIds: [placeA] };

			const first = await createSession(office, volunteer, null);
			value(
				await updateStaff(
					office,
					volunteer,
					{ ...input, role: 'coordinator', disabled: false },
					{ staffId: adminId }
				)
			);
			expect(await staffFromSession(office, first.token)).toBeNull();

			const second = await createSession(office, volunteer, null);
			value(
				await updateStaff(office, volunteer, { ...input, disabled: true }, { staffId: adminId })
			);
			expect(await staffFromSession(office, second.token)).toBeNull();
			expect(await sessionCount(office, volunteer)).toBe(0);

			// A session that outlived the change (made by another instance a moment before) is no key either.
			const late = await createSession(office, volunteer, null);
			expect(await staffFromSession(office, late.token)).toBeNull();

			const refused = await signIn(office, {
				email,
				password: STAFF_PASSWORD,
				address: '10.2.0.2'
			});
			expect(refused).toEqual({ ok: false, problem: 'office:signIn.wrong' });
			expect((await auditOf(office, 'staff.sign-in')).at(-1)).toMatchObject({
				outcome: 'denied',
				staff_id: volunteer,
				details: { reason: 'disabled' }
			});
		});
	});

	describe('sign-in', () => {
		it('locks an account after five wrong passwords, on every instance of the app', async () => {
			const seeded = await open(dialect);
			const { office, adminId } = seeded;
			const other = secondInstance(office);
			const email = 'admin@stadt.example';
			// Five wrong passwords at once, from five addresses, through both instances.
			const wrong = await Promise.all(
				Array.from({ length: 5 }, (_, i) =>
					signIn(i % 2 ? other : office, { email, password: `guess ${i}`, address: `10.3.0.${i}` })
				)
			);
			// Each is refused; the one that reaches the limit (maybe more, racing) already says so.
			for (const attempt of wrong) {
				expect(attempt.ok).toBe(false);
				if (!attempt.ok)
					expect(['office:signIn.wrong', 'office:signIn.locked']).toContain(attempt.problem);
			}
			expect(wrong.some((a) => !a.ok && a.problem === 'office:signIn.locked')).toBe(true);

			for (const instance of [office, other]) {
				const right = await signIn(instance, {
					email,
					password: ADMIN_PASSWORD,
					address: '10.3.1.1'
				});
				expect(right).toMatchObject({ ok: false, problem: 'office:signIn.locked' });
				if (right.ok) continue;
				expect(right.until!.getTime()).toBeGreaterThan(
					Date.now() + LIMITS.loginAccount.lockMs - MINUTE
				);
			}
			const afterLock = new Date(Date.now() + LIMITS.loginAccount.lockMs + MINUTE);
			expect(
				await signIn(other, { email, password: ADMIN_PASSWORD, address: '10.3.1.1' }, afterLock)
			).toMatchObject({ ok: true, staffId: adminId });

			const reasons = (await auditOf(office, 'staff.sign-in')).map((a) => [
				a.outcome,
				a.details.reason
			]);
			expect(reasons).toEqual([
				...Array.from({ length: 5 }, () => ['denied', 'wrong-password']),
				['denied', 'locked'],
				['denied', 'locked'],
				['ok', undefined]
			]);
		});

		it('locks an address that tries thirty accounts, for every account, and only that address', async () => {
			const seeded = await open(dialect);
			const { office } = seeded;
			const sprayer = '192.0.2.66';
			const tries = await Promise.all(
				Array.from({ length: LIMITS.loginAddress.max }, (_, i) =>
					signIn(office, {
						email: `guess${i}@stadt.example`,
						password: 'Sommer2026!',
						address: sprayer
					})
				)
			);
			// Whether the account exists is never told; the try that reaches the limit says "locked".
			for (const attempt of tries) {
				expect(attempt.ok).toBe(false);
				if (!attempt.ok)
					expect(['office:signIn.wrong', 'office:signIn.locked']).toContain(attempt.problem);
			}
			expect(tries.some((a) => !a.ok && a.problem === 'office:signIn.locked')).toBe(true);

			const email = 'admin@stadt.example';
			expect(
				await signIn(office, { email, password: ADMIN_PASSWORD, address: sprayer })
			).toMatchObject({
				ok: false,
				problem: 'office:signIn.locked'
			});
			expect(
				await signIn(office, { email, password: ADMIN_PASSWORD, address: '10.4.0.1' })
			).toMatchObject({
				ok: true
			});
		});

		it('a password reset ends the lockout and the sessions, and asks for a new password', async () => {
			const seeded = await open(dialect);
			const { office, adminId, placeA } = seeded;
			const email = 'volunteer@stadt.example';
			const volunteer = await addStaff(seeded, { email, locationIds: [placeA] });
			const before = await createSession(office, volunteer, null);
			for (let i = 0; i < LIMITS.loginAccount.max; i++) {
				await signIn(office, { email, password: `forgot ${i}`, address: '10.5.0.1' });
			}
			expect(
				await signIn(office, { email, password: STAFF_PASSWORD, address: '10.5.0.2' })
			).toMatchObject({
				problem: 'office:signIn.locked'
			});

			// An admin cannot reset their own password (it would end their own session first).
			expect(await resetPassword(office, adminId, { staffId: adminId })).toMatchObject({
				ok: false,
				problem: 'office:staff.selfReset'
			});
			const { temporaryPassword } = value(
				await resetPassword(office, volunteer, { staffId: adminId })
			);
			expect(temporaryPassword).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
			expect(temporaryPassword.length).toBeGreaterThanOrEqual(16);
			expect(await staffFromSession(office, before.token)).toBeNull();
			const back = await signIn(office, {
				email,
				password: temporaryPassword,
				address: '10.5.0.2'
			});
			expect(back).toMatchObject({ ok: true, staffId: volunteer, mustChangePassword: true });
			if (!back.ok) return;
			expect(await staffFromSession(office, back.token!)).toMatchObject({
				mustChangePassword: true
			});
			expect(await auditOf(office, 'staff.password-reset')).toEqual([
				expect.objectContaining({ outcome: 'ok', staff_id: adminId, target: volunteer })
			]);
		});

		it('never lets the last admin be demoted or disabled', async () => {
			const seeded = await open(dialect);
			const { office, adminId } = seeded;
			const second = await addStaff(seeded, { email: 'second@stadt.example', role: 'admin' });
			const retired = await addStaff(seeded, { email: 'retired@stadt.example', role: 'admin' });
			const emails = new Map([
				[adminId, 'admin@stadt.example'],
				[second, 'second@stadt.example'],
				[retired, 'retired@stadt.example']
			]);
			const change = (id: string, role: string, disabled: boolean) =>
				updateStaff(
					office,
					id,
					{ email: emails.get(id)!, name: 'Staff Member', locationIds: [], role, disabled },
					{ staffId: adminId }
				);
			const lastAdmin = { ok: false, problem: 'office:staff.lastAdmin' };

			value(await change(retired, 'admin', true));
			value(await change(adminId, 'coordinator', false));
			// A disabled admin does not count: the second is now the last.
			expect(await change(second, 'coordinator', false)).toMatchObject(lastAdmin);
			expect(await change(second, 'admin', true)).toMatchObject(lastAdmin);
			expect(await hasAnyAdmin(office)).toBe(true);
			const admins = (await listStaff(office)).filter((s) => s.role === 'admin' && !s.disabled);
			expect(admins.map((a) => a.id)).toEqual([second]);
		});
	});

	describe('enrolment codes', () => {
		it('refuses a malformed, unknown, expired or used code, and audits each refusal', async () => {
			const seeded = await open(dialect);
			const { office, adminId, placeA } = seeded;
			const tablet = new FakeDevice();
			const enrol = (code: string, now?: Date) =>
				answered(
					enrolDevice(
						office,
						{ code, deviceId: tablet.id, name: 'Tablet 1', address: '10.6.0.1' },
						now
					),
					`enrolling with ${code}`
				);
			const yesterday = new Date(Date.now() - 25 * 60 * MINUTE);
			const expired = value(
				await createEnrolmentCode(office, placeA, { staffId: adminId }, yesterday)
			);
			const fresh = value(await createEnrolmentCode(office, placeA, { staffId: adminId }));

			expect(await enrol('hello')).toMatchObject({ ok: false, problem: 'device:enrol.malformed' });
			expect(await enrol(newCode())).toMatchObject({ ok: false, problem: 'device:enrol.unknown' });
			expect(await enrol(expired.code)).toMatchObject({
				ok: false,
				problem: 'device:enrol.expired'
			});
			const done = value(await enrol(fresh.code.toLowerCase().replace('-', ' ')));
			expect(done.location).toEqual({ id: placeA, name: 'Library North' });

			const another = new FakeDevice();
			expect(
				await answered(
					enrolDevice(office, {
						code: fresh.code,
						deviceId: another.id,
						name: '',
						address: '10.6.0.2'
					}),
					'enrolling with a used code'
				)
			).toMatchObject({ ok: false, problem: 'device:enrol.used' });

			const denied = (await auditOf(office, 'device.enrol')).filter((a) => a.outcome === 'denied');
			expect(denied.map((a) => a.details.reason)).toEqual([
				'malformed',
				'unknown',
				'expired',
				'used'
			]);
			const codes = await office.db
				.selectFrom('enrolment_codes')
				.select('used_by_device')
				.execute();
			expect(codes.map((c) => c.used_by_device).sort()).toEqual([null, tablet.id].sort());
		});

		it('does not let an enrolled device take a second code; a revoked one may enrol again', async () => {
			const seeded = await open(dialect);
			const { office, adminId, placeA, placeB } = seeded;
			const { device, credential } = await enrolled(seeded, placeA);
			const next = value(await createEnrolmentCode(office, placeB, { staffId: adminId }));
			const enrolAgain = () =>
				answered(
					enrolDevice(office, {
						code: next.code,
						deviceId: device.id,
						name: '',
						address: '10.7.0.1'
					}),
					'enrolling an enrolled device again'
				);
			expect(await enrolAgain()).toMatchObject({ ok: false, problem: 'device:enrol.already' });
			expect(await authenticateDevice(office, device.id, credential)).toMatchObject({
				ok: true,
				device: { locationId: placeA }
			});

			value(await revokeDevice(office, device.id, { staffId: adminId }));
			const again = value(await enrolAgain());
			expect(again.location.id).toBe(placeB);
			expect(await authenticateDevice(office, device.id, credential)).toEqual({
				ok: false,
				error: 'device-not-enrolled'
			});
			expect(await authenticateDevice(office, device.id, again.credential)).toMatchObject({
				ok: true,
				device: { locationId: placeB }
			});
		});

		it('gives one code to exactly one of two tablets entering it at once', async () => {
			const seeded = await open(dialect);
			const { office, adminId, placeA } = seeded;
			const other = secondInstance(office);
			const { code } = value(await createEnrolmentCode(office, placeA, { staffId: adminId }));
			const tablets = [new FakeDevice(), new FakeDevice()];
			// On PostgreSQL through two instances, as two servers would; SQLite has one writer.
			const via = dialect === 'postgres' ? [office, other] : [office, office];
			const results = await answered(
				Promise.all(
					tablets.map((t, i) =>
						enrolDevice(via[i]!, { code, deviceId: t.id, name: '', address: `10.8.0.${i}` })
					)
				),
				'two tablets enrolling at once'
			);
			expect(results.filter((r) => r.ok)).toHaveLength(1);
			expect(results.filter((r) => !r.ok)).toEqual([
				expect.objectContaining({ problem: 'device:enrol.used' })
			]);
			const winner = tablets[results.findIndex((r) => r.ok)]!;
			const devices = await office.db
				.selectFrom('devices')
				.select('id')
				.where('credential_hash', 'is not', null)
				.execute();
			expect(devices.map((d) => d.id)).toEqual([winner.id]);
		});
	});

	describe('device credentials', () => {
		it('lets a device in with its own credential only, and not once it is revoked', async () => {
			const seeded = await open(dialect);
			const { office, adminId, placeA } = seeded;
			const a = await enrolled(seeded, placeA);
			const b = await enrolled(seeded, placeA);
			expect(await authenticateDevice(office, a.device.id, a.credential)).toEqual({
				ok: true,
				device: { id: a.device.id, kind: 'location', locationId: placeA }
			});
			const notEnrolled = { ok: false, error: 'device-not-enrolled' };
			expect(await authenticateDevice(office, a.device.id, b.credential)).toEqual(notEnrolled);
			expect(await authenticateDevice(office, a.device.id, null)).toEqual(notEnrolled);
			expect(await authenticateDevice(office, a.device.id, `${a.credential}x`)).toEqual(
				notEnrolled
			);
			expect(await authenticateDevice(office, uuidv7(), a.credential)).toEqual(notEnrolled);

			// A device that only ever pushed is known to the office but holds no credential.
			const unenrolled = new FakeDevice();
			await push(office, unenrolled, []);
			expect(await authenticateDevice(office, unenrolled.id, '')).toEqual(notEnrolled);

			value(await revokeDevice(office, a.device.id, { staffId: adminId }));
			expect(await authenticateDevice(office, a.device.id, a.credential)).toEqual({
				ok: false,
				error: 'device-revoked'
			});
			expect(await authenticateDevice(office, b.device.id, b.credential)).toMatchObject({
				ok: true
			});
			expect(await auditOf(office, 'device.revoke')).toEqual([
				expect.objectContaining({ staff_id: adminId, device_id: a.device.id, location_id: placeA })
			]);
		});

		it('reads the credential only from a well-formed bearer header', () => {
			const token = 'abcDEF123_-'.repeat(4);
			const headers = (authorization: string) =>
				new Request('http://office.example/api/sync/push', {
					method: 'POST',
					headers: { authorization }
				});
			expect(bearer(headers(`Bearer ${token}`))).toBe(token);
			expect(bearer(headers(`Basic ${token}`))).toBeNull();
			expect(bearer(headers('Bearer short'))).toBeNull();
			expect(bearer(headers(`Bearer ${token} extra`))).toBeNull();
			expect(bearer(new Request('http://office.example/'))).toBeNull();
		});
	});

	describe('learner cards', () => {
		it('takes a card by sync and lets it bring the learner to a tablet at home', async () => {
			const seeded = await open(dialect);
			const { office, placeA } = seeded;
			const { device: tablet } = await enrolled(seeded, placeA);
			const learner = newLearnerId();
			const early = printCard(tablet, newLearnerId());
			expect(await push(office, tablet, [early.mutation])).toEqual([
				expect.objectContaining({
					status: 'rejected',
					reason: expect.stringContaining('has not arrived')
				})
			]);

			const card = printCard(tablet, learner);
			const results = await push(office, tablet, [tablet.learner({ id: learner }), card.mutation]);
			expect(results.map((r) => r.status)).toEqual(['accepted', 'accepted']);
			expect(await push(office, tablet, [card.mutation])).toEqual([
				{ id: card.mutation.id, status: 'duplicate' }
			]);

			const home = uuidv7();
			const redeemed = value(
				await redeemCard(office, {
					code: card.code,
					deviceId: home,
					credential: null,
					address: '10.9.0.1'
				})
			);
			expect(redeemed.learner).toMatchObject({ id: learner, name: 'Erna' });
			expect(redeemed.credential).toMatch(/^[A-Za-z0-9_-]{43}$/);
			expect(await authenticateDevice(office, home, redeemed.credential)).toEqual({
				ok: true,
				device: { id: home, kind: 'personal', locationId: null }
			});
			const links = await office.db
				.selectFrom('device_learners')
				.select('learner_id')
				.where('device_id', '=', home)
				.execute();
			expect(links).toEqual([{ learner_id: learner }]);

			// Entering the card again on the same tablet needs that tablet's credential.
			const again = { code: card.code, deviceId: home, address: '10.9.0.1' };
			expect(await redeemCard(office, { ...again, credential: null })).toMatchObject({
				ok: false,
				problem: 'device:card.device'
			});
			expect(await redeemCard(office, { ...again, credential: redeemed.credential })).toMatchObject(
				{
					ok: true,
					value: { credential: null }
				}
			);
			expect((await auditOf(office, 'card.redeem')).map((a) => [a.outcome, a.details])).toEqual([
				['ok', { newDevice: true }],
				['denied', { reason: 'device' }],
				['ok', { newDevice: false }]
			]);
		});

		it('keeps the newest card by clock, whatever order the cards arrive in', async () => {
			const seeded = await open(dialect);
			const { office, placeA, placeB } = seeded;
			const start = Date.parse('2026-03-02T08:00:00Z');
			const north = await enrolled(seeded, placeA, new FakeDevice(() => start));
			const south = await enrolled(seeded, placeB, new FakeDevice(() => start + 60 * MINUTE));
			const learner = newLearnerId();
			const first = printCard(north.device, learner);
			await push(office, north.device, [north.device.learner({ id: learner }), first.mutation]);
			// The learner visits the south library with her card; the tablet there takes her on.
			value(
				await redeemCard(office, {
					code: first.code,
					deviceId: south.device.id,
					credential: south.credential,
					address: '10.10.0.1'
				})
			);

			// Both tablets print a new card while offline; the later one (south) arrives first.
			const northCard = printCard(north.device, learner);
			const southCard = printCard(south.device, learner);
			expect(southCard.mutation.hlc > northCard.mutation.hlc).toBe(true);
			expect((await push(office, south.device, [southCard.mutation]))[0]?.status).toBe('accepted');
			expect((await push(office, north.device, [northCard.mutation]))[0]?.status).toBe('accepted');

			const redeem = (code: string) =>
				redeemCard(office, { code, deviceId: uuidv7(), credential: null, address: '10.10.0.2' });
			expect(await redeem(first.code)).toMatchObject({
				ok: false,
				problem: 'device:card.replaced'
			});
			expect(await redeem(northCard.code)).toMatchObject({
				ok: false,
				problem: 'device:card.replaced'
			});
			expect(await redeem(southCard.code)).toMatchObject({
				ok: true,
				value: { learner: { id: learner } }
			});
			const live = await office.db
				.selectFrom('learner_cards')
				.select('code_hash')
				.where('learner_id', '=', learner)
				.where('revoked_at', 'is', null)
				.execute();
			expect(live).toEqual([{ code_hash: digest(southCard.code) }]);
			expect(
				(await auditOf(office, 'card.redeem'))
					.filter((a) => a.outcome === 'denied')
					.map((a) => a.details)
			).toEqual([{ reason: 'replaced' }, { reason: 'replaced' }]);
		});

		it('stops guessing: ten wrong codes lock the address and the device', async () => {
			const seeded = await open(dialect);
			const { office, placeA } = seeded;
			const { device: tablet } = await enrolled(seeded, placeA);
			const learner = newLearnerId();
			const card = printCard(tablet, learner);
			await push(office, tablet, [tablet.learner({ id: learner }), card.mutation]);

			const guesser = uuidv7();
			const address = '198.51.100.7';
			for (let i = 0; i < LIMITS.code.max; i++) {
				const guess = await redeemCard(office, {
					code: i === 0 ? 'not a code' : newCode(),
					deviceId: guesser,
					credential: null,
					address
				});
				expect(guess).toMatchObject({
					ok: false,
					problem: i === 0 ? 'device:card.malformed' : 'device:card.unknown'
				});
			}
			const right = { code: card.code, credential: null };
			const locked = { ok: false, problem: 'device:card.locked' };
			expect(await redeemCard(office, { ...right, deviceId: guesser, address })).toMatchObject(
				locked
			);
			expect(await redeemCard(office, { ...right, deviceId: uuidv7(), address })).toMatchObject(
				locked
			);
			expect(
				await redeemCard(office, { ...right, deviceId: guesser, address: '10.11.0.1' })
			).toMatchObject(locked);
			expect(
				await redeemCard(office, { ...right, deviceId: uuidv7(), address: '10.11.0.1' })
			).toMatchObject({ ok: true });
			const guessedDevice = await office.db
				.selectFrom('devices')
				.select('id')
				.where('id', '=', guesser)
				.executeTakeFirst();
			expect(guessedDevice).toBeUndefined();
		});
	});

	describe('push scope', () => {
		it("rejects progress for another place's learner and accepts the rest of the batch", async () => {
			const seeded = await open(dialect);
			const { office, placeA, placeB } = seeded;
			const a = await enrolled(seeded, placeA);
			// A tablet of another place: the learner is not of its place, nor on it.
			const b = await enrolled(seeded, placeB);
			const theirs = newLearnerId();
			await push(office, a.device, [a.device.learner({ id: theirs }), a.device.progress(theirs)]);

			const mine = newLearnerId();
			const batch = [
				b.device.learner({ id: mine }),
				b.device.progress(theirs),
				b.device.learner({ id: theirs, fields: { name: 'Someone else' } }),
				b.device.progress(mine)
			];
			const results = await push(office, b.device, batch);
			expect(results.map((r) => r.status)).toEqual([
				'accepted',
				'rejected',
				'rejected',
				'accepted'
			]);
			expect(results[1]).toMatchObject({ reason: expect.stringContaining('learner card') });
			const events = await office.db
				.selectFrom('progress_events')
				.select(['learner_id', 'device_id'])
				.execute();
			expect(events).toHaveLength(2);
			expect(events).toEqual(
				expect.arrayContaining([
					{ learner_id: theirs, device_id: a.device.id },
					{ learner_id: mine, device_id: b.device.id }
				])
			);
			const name = await office.db
				.selectFrom('learners')
				.select('name')
				.where('id', '=', theirs)
				.executeTakeFirstOrThrow();
			expect(name.name).toBe('Erna');

			// With the learner's card, the second tablet may work for her too.
			const card = printCard(a.device, theirs);
			await push(office, a.device, [card.mutation]);
			value(
				await redeemCard(office, {
					code: card.code,
					deviceId: b.device.id,
					credential: b.credential,
					address: '10.12.0.1'
				})
			);
			expect((await push(office, b.device, [b.device.progress(theirs)]))[0]?.status).toBe(
				'accepted'
			);

			// Another tablet of her own place may go on where the first left off, without a card.
			const sameplace = await enrolled(seeded, placeA);
			expect(
				(await push(office, sameplace.device, [sameplace.device.progress(theirs)]))[0]?.status
			).toBe('accepted');
		});
	});

	describe('audit', () => {
		it('records refused attempts with their reason and without the secret that was tried', async () => {
			const seeded = await open(dialect);
			const { office, adminId } = seeded;
			const tried = ['wrong horse battery', 'ZZZZ-ZZZZ'];
			await signIn(office, {
				email: 'nobody@stadt.example',
				password: tried[0]!,
				address: '10.13.0.1'
			});
			await changePassword(
				office,
				{ id: adminId, email: 'admin@stadt.example' },
				tried[0]!,
				'whatever comes next',
				'no-session'
			);
			const tablet = new FakeDevice();
			await enrolDevice(office, {
				code: tried[1]!,
				deviceId: tablet.id,
				name: '',
				address: '10.13.0.2'
			});
			await redeemCard(office, {
				code: tried[1]!,
				deviceId: tablet.id,
				credential: null,
				address: '10.13.0.2'
			});

			const rows = await office.db
				.selectFrom('audit_log')
				.selectAll()
				.where('outcome', '=', 'denied')
				.orderBy('id')
				.execute();
			expect(
				rows.map((r) => [r.action, r.staff_id, r.device_id, r.target, JSON.parse(r.details)])
			).toEqual([
				['staff.sign-in', null, null, 'nobody@stadt.example', { reason: 'wrong-password' }],
				['staff.password-change', adminId, null, null, {}],
				['device.enrol', null, tablet.id, null, { reason: 'malformed' }],
				['card.redeem', null, tablet.id, null, { reason: 'malformed' }]
			]);
			for (const row of rows) expect(row.at).toMatch(/^\d{4}-\d\d-\d\dT/);
			const everything = JSON.stringify(
				await office.db.selectFrom('audit_log').selectAll().execute()
			);
			for (const secret of [...tried, ADMIN_PASSWORD]) expect(everything).not.toContain(secret);
		});
	});
});
