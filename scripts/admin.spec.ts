import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
	authenticateDevice,
	createEnrolmentCode,
	enrolDevice,
	revokeDevice
} from '../src/lib/server/auth/devices';
import { createLocation } from '../src/lib/server/auth/locations';
import { createSession, staffFromSession } from '../src/lib/server/auth/sessions';
import { prepareSetup } from '../src/lib/server/auth/setup';
import { createStaff, signIn, updateStaff } from '../src/lib/server/auth/staff';
import { openDatabase, type OfficeDatabase } from '../src/lib/server/db/connection';
import { currentEpoch } from '../src/lib/server/db/epoch';
import { migrateToLatest } from '../src/lib/server/db/migrate';
import { PASSWORD_VARIABLE, run, type Io } from './admin';

const PASSWORD = 'runs the server room';

const dirs: string[] = [];
afterEach(() => {
	for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function dataDir(): string {
	const dir = mkdtempSync(join(tmpdir(), 'lernlotse-admin-'));
	dirs.push(dir);
	return dir;
}

class Collected extends Writable {
	text = '';
	override _write(chunk: Buffer, _encoding: string, done: () => void) {
		this.text += chunk.toString();
		done();
	}
}

/** Runs a command against `dir` as `npm run admin -- …` would, and keeps what it printed. */
async function admin(
	dir: string,
	argv: string[],
	options: Partial<Io> & { password?: string } = {}
) {
	const stdout = new Collected();
	const stderr = new Collected();
	const env = {
		DATA_DIR: dir,
		...(options.password !== undefined ? { [PASSWORD_VARIABLE]: options.password } : {})
	};
	const stdin = options.stdin ?? Object.assign(new PassThrough(), { isTTY: false });
	const code = await run(argv, { env, stdin, stdout, stderr, ...options });
	return { code, stdout: stdout.text, stderr: stderr.text };
}

/** Opens the data directory with the server's own code, as a server start would. */
async function withOffice<T>(
	dir: string,
	work: (office: OfficeDatabase) => Promise<T>
): Promise<T> {
	const office = openDatabase({ dataDir: dir });
	try {
		await migrateToLatest(office);
		return await work(office);
	} finally {
		await office.close();
	}
}

const staffRows = (dir: string) =>
	withOffice(dir, (o) =>
		o.db
			.selectFrom('staff')
			.select(['email', 'display_name', 'role', 'must_change_password'])
			.execute()
	);

const auditRows = (dir: string) =>
	withOffice(dir, (o) =>
		o.db
			.selectFrom('audit_log')
			.select(['action', 'outcome', 'staff_id', 'target', 'details'])
			.orderBy('id')
			.execute()
	);

const createArgs = [
	'create-admin',
	'--email',
	'Server.Admin@stadt.example',
	'--name',
	'Server Admin'
];

describe('create-admin', () => {
	it('creates an administrator who can sign in, and retires the setup code', async () => {
		const dir = dataDir();
		// The server started once without an admin and printed a setup code.
		expect(await withOffice(dir, prepareSetup)).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);

		const done = await admin(dir, createArgs, { password: PASSWORD });
		expect(done).toEqual({
			code: 0,
			stdout: 'Created the administrator server.admin@stadt.example. Sign in at /office/sign-in.\n',
			stderr: ''
		});
		expect(await staffRows(dir)).toEqual([
			{
				email: 'server.admin@stadt.example',
				display_name: 'Server Admin',
				role: 'admin',
				must_change_password: 0
			}
		]);
		await withOffice(dir, async (office) => {
			const signedIn = await signIn(office, {
				email: 'server.admin@stadt.example',
				password: PASSWORD,
				address: '127.0.0.1'
			});
			expect(signedIn).toMatchObject({ ok: true, mustChangePassword: false });
			const setupCode = await office.db
				.selectFrom('server_meta')
				.select('key')
				.where('key', '=', 'setup_code')
				.execute();
			expect(setupCode).toEqual([]);
		});
		const entries = await auditRows(dir);
		expect(entries.map((e) => [e.action, e.outcome])).toEqual([
			['staff.create', 'ok'],
			['admin-command', 'ok'],
			['staff.sign-in', 'ok']
		]);
		expect(JSON.parse(entries[1]!.details)).toEqual({ command: 'create-admin' });
	});

	it.each([
		['kurz1', 'The password is too short. Please use at least 10 characters.'],
		['server.admin@stadt.example', 'The password must not be the e-mail address.'],
		['Passwort123', 'This password is too easy to guess. Please choose another one.']
	])('refuses the weak password %j with the rule in words', async (password, message) => {
		const dir = dataDir();
		const refused = await admin(dir, createArgs, { password });
		expect(refused).toEqual({ code: 1, stdout: '', stderr: `${message}\n` });
		expect(await staffRows(dir)).toEqual([]);
		const entries = await auditRows(dir);
		expect(entries.map((e) => [e.action, e.outcome, JSON.parse(e.details)])).toEqual([
			['admin-command', 'denied', { command: 'create-admin', reason: message }]
		]);
		expect(JSON.stringify(entries)).not.toContain(password);
	});

	it('refuses a second account with the same address, and a missing name', async () => {
		const dir = dataDir();
		expect((await admin(dir, createArgs, { password: PASSWORD })).code).toBe(0);
		expect(await admin(dir, createArgs, { password: 'another long secret' })).toMatchObject({
			code: 1,
			stderr: 'There is already an account with this e-mail address.\n'
		});
		expect(
			await admin(dir, ['create-admin', '--email', 'x@stadt.example'], { password: PASSWORD })
		).toMatchObject({
			code: 1,
			stderr: '--name is missing.\n'
		});
		expect(await staffRows(dir)).toHaveLength(1);
	});

	it('does not wait for a password nobody can type', async () => {
		const dir = dataDir();
		expect(await admin(dir, createArgs)).toEqual({
			code: 1,
			stdout: '',
			stderr: `Set ${PASSWORD_VARIABLE}, or run this command in a terminal to type it.\n`
		});
		expect(await staffRows(dir)).toEqual([]);
	});

	it('asks twice in a terminal, without showing what is typed', async () => {
		const dir = dataDir();
		const setRawMode = vi.fn();
		const terminal = Object.assign(new PassThrough(), { isTTY: true, setRawMode });
		const stdout = new Collected();
		const typing = admin(dir, createArgs, { stdin: terminal, stdout });
		// Key by key, as a terminal in raw mode sends them, with one typo taken back.
		for (const key of [...`${PASSWORD}x\u007f\r`, ...`${PASSWORD}\r`]) terminal.write(key);
		expect((await typing).code).toBe(0);
		expect(stdout.text).toContain(
			'Password for Server.Admin@stadt.example (at least 10 characters): '
		);
		expect(stdout.text).toContain('The same password again: ');
		expect(stdout.text).not.toContain(PASSWORD.slice(0, 4));
		expect(setRawMode.mock.calls).toEqual([[true], [false]]);
		await withOffice(dir, async (office) =>
			expect(
				await signIn(office, {
					email: 'server.admin@stadt.example',
					password: PASSWORD,
					address: '::1'
				})
			).toMatchObject({ ok: true })
		);
	});

	it('changes nothing when the two typed passwords differ', async () => {
		const dir = dataDir();
		const terminal = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => {} });
		const typing = admin(dir, createArgs, { stdin: terminal });
		terminal.write(`${PASSWORD}\r${PASSWORD}!\r`);
		expect(await typing).toMatchObject({
			code: 1,
			stderr: 'The two passwords differ. Nothing was changed.\n'
		});
		expect(await staffRows(dir)).toEqual([]);
	});
});

describe('reset-password', () => {
	it(
		'prints a one-time password that ends the lockout and the sessions and must be changed',
		{ timeout: 20_000 },
		async () => {
			const dir = dataDir();
			expect((await admin(dir, createArgs, { password: PASSWORD })).code).toBe(0);
			const email = 'server.admin@stadt.example';
			const session = await withOffice(dir, async (office) => {
				const { id } = await office.db.selectFrom('staff').select('id').executeTakeFirstOrThrow();
				for (let i = 0; i < 5; i++)
					await signIn(office, { email, password: `guess ${i}`, address: '10.0.0.1' });
				return createSession(office, id, null);
			});

			const reset = await admin(dir, ['reset-password', '--email', 'SERVER.ADMIN@stadt.example']);
			expect(reset.code).toBe(0);
			const temporary =
				/^One-time password for Server Admin <server\.admin@stadt\.example>: (\S{16,})$/m.exec(
					reset.stdout
				)?.[1];
			expect(temporary, reset.stdout).toBeDefined();

			await withOffice(dir, async (office) => {
				expect(await staffFromSession(office, session.token)).toBeNull();
				expect(
					await signIn(office, { email, password: PASSWORD, address: '10.0.0.2' })
				).toMatchObject({
					ok: false
				});
				expect(
					await signIn(office, { email, password: temporary!, address: '10.0.0.2' })
				).toMatchObject({
					ok: true,
					mustChangePassword: true
				});
			});
			const entries = await auditRows(dir);
			expect(entries.filter((e) => e.action === 'staff.password-reset')).toHaveLength(1);
			expect(
				entries
					.filter((e) => e.action === 'admin-command')
					.map((e) => JSON.parse(e.details).command)
			).toEqual(['create-admin', 'reset-password']);
			expect(JSON.stringify(entries)).not.toContain(temporary);
		}
	);

	it('says so when there is no such account', async () => {
		const dir = dataDir();
		const refused = await admin(dir, ['reset-password', '--email', 'nobody@stadt.example']);
		expect(refused).toEqual({
			code: 1,
			stdout: '',
			stderr: 'There is no account with the e-mail address nobody@stadt.example.\n'
		});
		expect((await auditRows(dir)).map((e) => [e.action, e.outcome])).toEqual([
			['admin-command', 'denied']
		]);
	});
});

describe('list-staff', () => {
	it('lists every account with its role, places and state', async () => {
		const dir = dataDir();
		expect(await admin(dir, ['list-staff'])).toEqual({
			code: 0,
			stdout: 'No accounts yet. Create one with create-admin.\n',
			stderr: ''
		});
		expect((await admin(dir, createArgs, { password: PASSWORD })).code).toBe(0);
		await withOffice(dir, async (office) => {
			const { id: adminId } = await office.db
				.selectFrom('staff')
				.select('id')
				.executeTakeFirstOrThrow();
			const place = await createLocation(
				office,
				{ name: 'Library North', kind: 'library', address: '' },
				{ staffId: adminId }
			);
			if (!place.ok) throw new Error(place.problem);
			const volunteer = {
				email: 'helper@stadt.example',
				name: 'Desk Helper',
				role: 'volunteer',
				locationIds: [place.value.id]
			};
			const made = await createStaff(
				office,
				{ ...volunteer, password: 'helps at the desk' },
				{ staffId: adminId }
			);
			const gone = {
				email: 'gone@stadt.example',
				name: 'Former Coordinator',
				role: 'coordinator',
				locationIds: []
			};
			const left = await createStaff(
				office,
				{ ...gone, password: 'left last spring' },
				{ staffId: adminId }
			);
			if (!made.ok || !left.ok) throw new Error('seeding failed');
			await updateStaff(office, left.value.id, { ...gone, disabled: true }, { staffId: adminId });
		});

		const listed = await admin(dir, ['list-staff']);
		expect(listed.code).toBe(0);
		expect(listed.stdout.split('\n')).toEqual([
			'E-MAIL                      NAME                ROLE         PLACES         STATUS',
			'helper@stadt.example        Desk Helper         volunteer    Library North  must choose a password',
			'gone@stadt.example          Former Coordinator  coordinator  all places     disabled',
			'server.admin@stadt.example  Server Admin        admin        all places     active',
			''
		]);
	});
});

describe('the command line', () => {
	it('explains itself when the command is unknown or missing, and touches no database', async () => {
		const dir = join(dataDir(), 'not-created');
		for (const argv of [['bogus'], []]) {
			const answer = await admin(dir, argv);
			expect(answer.code).toBe(2);
			expect(answer.stderr).toContain('Usage: npm run admin -- <command>');
			expect(answer.stderr).toContain('create-admin --email E --name N');
		}
		expect(existsSync(dir)).toBe(false);
	});

	it('lists its commands on help', async () => {
		const dir = join(dataDir(), 'not-created');
		const answer = await admin(dir, ['help']);
		expect(answer.code).toBe(0);
		for (const command of [
			'rotate-device --device ID',
			'backup --to FILE',
			'restore --from FILE',
			'check'
		]) {
			expect(answer.stdout).toContain(command);
		}
		expect(existsSync(dir)).toBe(false);
	});

	it('refuses options it does not know, without keeping them', async () => {
		const dir = dataDir();
		const answer = await admin(dir, ['list-staff', '--password', 'do not keep me']);
		expect(answer.code).toBe(1);
		expect(answer.stderr).toMatch(/Unknown option '--password'/);
		expect(JSON.stringify(await auditRows(dir))).not.toContain('do not keep me');
	});

	it('runs as `npm run admin -- <command>`', { timeout: 60_000 }, async () => {
		const dir = dataDir();
		const root = resolve(import.meta.dirname, '..');
		const npm = (args: string[], env: Record<string, string> = {}) =>
			promisify(execFile)('npm', ['run', '--silent', 'admin', '--', ...args], {
				cwd: root,
				env: { ...process.env, DATABASE_URL: '', DATA_DIR: dir, ...env }
			});
		const created = await npm(createArgs, { [PASSWORD_VARIABLE]: PASSWORD });
		expect(created.stdout).toBe(
			'Created the administrator server.admin@stadt.example. Sign in at /office/sign-in.\n'
		);
		expect(await staffRows(dir)).toEqual([expect.objectContaining({ role: 'admin' })]);
	});
});

describe('rotate-device', () => {
	async function enrolledTablet(dir: string) {
		expect((await admin(dir, createArgs, { password: PASSWORD })).code).toBe(0);
		return withOffice(dir, async (office) => {
			const { id: staffId } = await office.db
				.selectFrom('staff')
				.select('id')
				.executeTakeFirstOrThrow();
			const place = await createLocation(
				office,
				{ name: 'Library South', kind: 'library', address: '' },
				{ staffId }
			);
			if (!place.ok) throw new Error(place.problem);
			const code = await createEnrolmentCode(office, place.value.id, { staffId });
			if (!code.ok) throw new Error(code.problem);
			const deviceId = uuidv7();
			const enrolled = await enrolDevice(office, {
				code: code.value.code,
				deviceId,
				name: 'Tablet 3',
				address: '10.0.0.9'
			});
			if (!enrolled.ok) throw new Error(enrolled.problem);
			await office.db
				.insertInto('device_learners')
				.values({ device_id: deviceId, learner_id: 'a-learner' })
				.execute();
			return { staffId, placeId: place.value.id, deviceId, credential: enrolled.value.credential };
		});
	}

	it('stops the credential at once; the tablet enrols again with a new code and keeps its learners', async () => {
		const dir = dataDir();
		const tablet = await enrolledTablet(dir);
		const rotated = await admin(dir, ['rotate-device', '--device', tablet.deviceId]);
		expect(rotated).toEqual({
			code: 0,
			stdout: `The credential of device ${tablet.deviceId} no longer works.\nMake a new code for Library South under "Geräte" in the office and enter it on the tablet; it keeps its data and sends it once enrolled.\n`,
			stderr: ''
		});
		await withOffice(dir, async (office) => {
			expect(await authenticateDevice(office, tablet.deviceId, tablet.credential)).toEqual({
				ok: false,
				error: 'device-not-enrolled'
			});
			const code = await createEnrolmentCode(office, tablet.placeId, { staffId: tablet.staffId });
			if (!code.ok) throw new Error(code.problem);
			const again = await enrolDevice(office, {
				code: code.value.code,
				deviceId: tablet.deviceId,
				name: 'Tablet 3',
				address: '10.0.0.9'
			});
			expect(again.ok).toBe(true);
			if (!again.ok) return;
			expect(again.value.credential).not.toBe(tablet.credential);
			expect(
				await authenticateDevice(office, tablet.deviceId, again.value.credential)
			).toMatchObject({
				ok: true
			});
			expect(await authenticateDevice(office, tablet.deviceId, tablet.credential)).toMatchObject({
				ok: false
			});
			const learners = await office.db
				.selectFrom('device_learners')
				.select('learner_id')
				.where('device_id', '=', tablet.deviceId)
				.execute();
			expect(learners).toEqual([{ learner_id: 'a-learner' }]);
		});
		const entries = await auditRows(dir);
		expect(entries.map((e) => e.action)).toContain('device.rotate');
		expect(
			entries.filter((e) => e.action === 'admin-command').map((e) => JSON.parse(e.details).command)
		).toEqual(['create-admin', 'rotate-device']);
	});

	it('refuses an unknown device and a revoked one, and changes nothing', async () => {
		const dir = dataDir();
		const tablet = await enrolledTablet(dir);
		expect(await admin(dir, ['rotate-device', '--device', 'no-such-device'])).toEqual({
			code: 1,
			stdout: '',
			stderr: 'There is no device no-such-device.\n'
		});
		await withOffice(dir, (office) =>
			revokeDevice(office, tablet.deviceId, { staffId: tablet.staffId })
		);
		expect(await admin(dir, ['rotate-device', '--device', tablet.deviceId])).toMatchObject({
			code: 1,
			stderr: `The device ${tablet.deviceId} is revoked; it syncs no more. A new code brings it back.\n`
		});
		await withOffice(dir, async (office) =>
			expect(await authenticateDevice(office, tablet.deviceId, tablet.credential)).toEqual({
				ok: false,
				error: 'device-revoked'
			})
		);
	});
});

describe('backup, restore and check', () => {
	const staffEmails = async (dir: string) => (await staffRows(dir)).map((r) => r.email).sort();

	it('backs up to a new file, and restores it with a new epoch, keeping the replaced file', async () => {
		const dir = dataDir();
		expect((await admin(dir, createArgs, { password: PASSWORD })).code).toBe(0);
		const epochBefore = await withOffice(dir, currentEpoch);
		const file = join(dataDir(), 'office.sqlite');

		const backup = await admin(dir, ['backup', '--to', file]);
		expect(backup.stderr).toBe('');
		expect(backup.stdout).toMatch(
			/^Backed up the database to .*office\.sqlite \(\d+ bytes, SQLite online backup\)\.\n$/
		);
		expect(await admin(dir, ['backup', '--to', file])).toEqual({
			code: 1,
			stdout: '',
			stderr: `${file} exists already; choose a new file.\n`
		});

		// Work after the backup, which the restore takes back.
		await withOffice(dir, (office) =>
			createStaff(
				office,
				{
					email: 'later@stadt.example',
					name: 'Later',
					role: 'coordinator',
					locationIds: [],
					password: 'came after the backup'
				},
				{ staffId: null }
			)
		);
		expect(await staffEmails(dir)).toEqual(['later@stadt.example', 'server.admin@stadt.example']);

		const restored = await admin(dir, ['restore', '--from', file]);
		expect(restored.stderr).toBe('');
		expect(restored.code).toBe(0);
		const aside = /kept as (\S+)\.$/m.exec(restored.stdout)?.[1];
		expect(aside).toMatch(/lernlotse\.sqlite\.before-restore-/);
		expect(existsSync(aside!)).toBe(true);
		expect(await staffEmails(dir)).toEqual(['server.admin@stadt.example']);
		const epochAfter = await withOffice(dir, currentEpoch);
		expect(epochAfter).not.toBe(epochBefore);
		expect(restored.stdout).toContain(`its new epoch is ${epochAfter}`);

		expect(await admin(dir, ['check'])).toEqual({
			code: 0,
			stdout: 'ok    reachable: SQLite\nok    migrations: current\nok    integrity: ok\n',
			stderr: ''
		});
	});

	it('refuses to restore what is not a backup, and leaves the database alone', async () => {
		const dir = dataDir();
		expect((await admin(dir, createArgs, { password: PASSWORD })).code).toBe(0);
		const junk = join(dataDir(), 'notes.txt');
		writeFileSync(
			junk,
			'this is not a database, only text that is long enough to be read\n'.repeat(20)
		);
		const refused = await admin(dir, ['restore', '--from', junk]);
		expect(refused.code).toBe(1);
		expect(refused.stderr).toMatch(/is not a SQLite backup/);
		expect(await staffEmails(dir)).toEqual(['server.admin@stadt.example']);
	});

	it('check says what is wrong: no database, or migrations not yet applied', async () => {
		const missing = join(dataDir(), 'nothing-here');
		expect(await admin(missing, ['check'])).toEqual({
			code: 1,
			stdout: '',
			stderr: `FAIL  reachable: no database at ${join(missing, 'lernlotse.sqlite')}\n`
		});
		expect(existsSync(missing)).toBe(false);

		const dir = dataDir();
		const empty = openDatabase({ dataDir: dir });
		await sql`create table notes (text text)`.execute(empty.db);
		await empty.close();
		const check = await admin(dir, ['check']);
		expect(check.code).toBe(1);
		expect(check.stderr).toMatch(
			/^ok {4}reachable: SQLite\nFAIL {2}migrations: pending: 001-sync, /
		);
		expect(check.stderr).toContain('ok    integrity: ok');
	});
});
