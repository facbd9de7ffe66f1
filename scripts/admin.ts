/**
 * The office's command line for whoever runs the server, for when no browser is at hand or
 * nobody can sign in any more: `npm run admin -- <command>`. It opens the database as the
 * server does (DATABASE_URL, or DATA_DIR for SQLite) and records every command that changes
 * something in the audit log. `check` only reads; `backup` runs while the server runs;
 * `restore` needs every instance stopped (docs/operations.md).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Readable, Writable } from 'node:stream';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../src/lib/domain/auth/password';
import { audit } from '../src/lib/server/auth/audit';
import { listLocations } from '../src/lib/server/auth/locations';
import { prepareSetup } from '../src/lib/server/auth/setup';
import {
	createStaff,
	listStaff,
	normalizeEmail,
	resetPassword
} from '../src/lib/server/auth/staff';
import {
	openDatabase,
	type DatabaseConfig,
	type OfficeDatabase
} from '../src/lib/server/db/connection';
import { migrateToLatest } from '../src/lib/server/db/migrate';
import { configFromEnv } from '../src/lib/server/office';
import { OpsRefusal, backup, restore } from '../src/lib/server/ops/backup';
import { checkDatabase } from '../src/lib/server/ops/check';
import { rotateDeviceCredential } from '../src/lib/server/ops/rotate-device';

export const PASSWORD_VARIABLE = 'LERNLOTSE_ADMIN_PASSWORD';

const USAGE = `Usage: npm run admin -- <command>

  create-admin --email E --name N   create an administrator; the password comes from
                                    ${PASSWORD_VARIABLE} or is asked for in the terminal
  reset-password --email E          print a one-time password; the person chooses their
                                    own at the next sign-in
  list-staff                        list every account with its role and places
  rotate-device --device ID         make a device's credential stop working; the device
                                    keeps its data and enrols again (a new code from
                                    "Geräte", or a learner card on a learner's own device)
  backup --to FILE                  back up the database while the server runs (SQLite's
                                    online backup, or pg_dump for PostgreSQL)
  restore --from FILE               put a backup in place (stop every instance first);
                                    devices then send again what the backup lacks
  check                             is the database reachable, migrated to this release
                                    and (SQLite) sound? exit code 1 when not

The database is the server's: DATABASE_URL for PostgreSQL, else DATA_DIR (default: data).`;

export interface Io {
	env: Record<string, string | undefined>;
	stdin: Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
	stdout: Writable;
	stderr: Writable;
}

/** A command that cannot go on: its message goes to stderr and the exit code is 1. */
class Refused extends Error {}

// The office's own English wording for a refused input, so the command line says what the
// office page would say.
const messages = JSON.parse(
	readFileSync(join(import.meta.dirname, '../src/lib/i18n/locales/en/office.json'), 'utf8')
) as Record<string, Record<string, string>>;

function explain(problem: string): string {
	const [section, key] = problem.replace(/^office:/, '').split('.');
	const text = messages[section!]?.[key!] ?? problem;
	return text
		.replaceAll('{{min}}', String(MIN_PASSWORD_LENGTH))
		.replaceAll('{{max}}', String(MAX_PASSWORD_LENGTH));
}

/**
 * Asks each question in turn and reads the answers without showing what is typed. The
 * terminal is put into raw mode, so each key arrives alone and nothing is echoed.
 */
export function askHidden(io: Io, questions: string[]): Promise<string[]> {
	const { stdin, stdout } = io;
	const answers: string[] = [];
	let typed = '';
	stdout.write(questions[0]!);
	stdin.setRawMode?.(true);
	stdin.setEncoding('utf8');
	return new Promise((resolve, reject) => {
		const finish = (error?: Error) => {
			stdin.off('data', onData);
			stdin.setRawMode?.(false);
			stdin.pause();
			if (error) reject(error);
			else resolve(answers);
		};
		const onData = (chunk: string) => {
			for (const ch of chunk) {
				if (ch === '\u0003' || ch === '\u0004') return finish(new Refused('Cancelled.'));
				if (ch === '\r' || ch === '\n') {
					stdout.write('\n');
					answers.push(typed);
					typed = '';
					if (answers.length === questions.length) return finish();
					stdout.write(questions[answers.length]!);
				} else if (ch === '\u007f' || ch === '\b') {
					typed = [...typed].slice(0, -1).join('');
				} else {
					typed += ch;
				}
			}
		};
		stdin.on('data', onData);
		stdin.resume();
	});
}

async function adminPassword(io: Io, email: string): Promise<string> {
	const fromEnv = io.env[PASSWORD_VARIABLE];
	if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
	if (!io.stdin.isTTY) {
		throw new Refused(`Set ${PASSWORD_VARIABLE}, or run this command in a terminal to type it.`);
	}
	const [first, again] = await askHidden(io, [
		`Password for ${email} (at least ${MIN_PASSWORD_LENGTH} characters): `,
		'The same password again: '
	]);
	if (first !== again) throw new Refused('The two passwords differ. Nothing was changed.');
	return first!;
}

function option(values: Record<string, string | boolean | undefined>, name: string): string {
	const value = values[name];
	if (typeof value !== 'string' || value.trim() === '') throw new Refused(`--${name} is missing.`);
	return value;
}

async function createAdmin(office: OfficeDatabase, args: string[], io: Io): Promise<string> {
	const { values } = parseArgs({
		args,
		options: { email: { type: 'string' }, name: { type: 'string' } }
	});
	const email = option(values, 'email');
	const name = option(values, 'name');
	const password = await adminPassword(io, email);
	const made = await createStaff(
		office,
		{ email, name, role: 'admin', locationIds: [], password },
		{ staffId: null }
	);
	if (!made.ok) throw new Refused(explain(made.problem));
	// The first-run setup code, if the server printed one, is of no use any more.
	await prepareSetup(office);
	await audit(office.db, {
		action: 'admin-command',
		staffId: made.value.id,
		target: made.value.id,
		details: { command: 'create-admin' }
	});
	return `Created the administrator ${normalizeEmail(email)}. Sign in at /office/sign-in.`;
}

async function staffByEmail(office: OfficeDatabase, email: string) {
	const row = await office.db
		.selectFrom('staff')
		.select(['id', 'email', 'display_name'])
		.where('email', '=', normalizeEmail(email))
		.executeTakeFirst();
	if (!row) throw new Refused(`There is no account with the e-mail address ${email}.`);
	return row;
}

async function resetPasswordCommand(office: OfficeDatabase, args: string[]): Promise<string> {
	const { values } = parseArgs({ args, options: { email: { type: 'string' } } });
	const person = await staffByEmail(office, option(values, 'email'));
	const reset = await resetPassword(office, person.id, { staffId: null });
	if (!reset.ok) throw new Refused(explain(reset.problem));
	await audit(office.db, {
		action: 'admin-command',
		target: person.id,
		details: { command: 'reset-password' }
	});
	return [
		`One-time password for ${person.display_name} <${person.email}>: ${reset.value.temporaryPassword}`,
		'Hand it over in person. They are signed out everywhere and choose their own password at the next sign-in.'
	].join('\n');
}

async function listStaffCommand(office: OfficeDatabase, args: string[]): Promise<string> {
	parseArgs({ args, options: {} });
	const [people, places] = await Promise.all([listStaff(office), listLocations(office)]);
	await audit(office.db, { action: 'admin-command', details: { command: 'list-staff' } });
	if (people.length === 0) return 'No accounts yet. Create one with create-admin.';
	const placeName = new Map(places.map((p) => [p.id, p.name]));
	const rows = [
		['E-MAIL', 'NAME', 'ROLE', 'PLACES', 'STATUS'],
		...people.map((p) => [
			p.email,
			p.name,
			p.role,
			p.role === 'volunteer'
				? p.locationIds.map((id) => placeName.get(id) ?? id).join(', ')
				: 'all places',
			p.disabled ? 'disabled' : p.mustChangePassword ? 'must choose a password' : 'active'
		])
	];
	const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
	return rows
		.map((r) =>
			r
				.map((cell, i) => cell.padEnd(widths[i]!))
				.join('  ')
				.trimEnd()
		)
		.join('\n');
}

async function rotateDeviceCommand(office: OfficeDatabase, args: string[]): Promise<string> {
	const { values } = parseArgs({ args, options: { device: { type: 'string' } } });
	const deviceId = option(values, 'device').trim();
	const rotated = await rotateDeviceCredential(office, deviceId);
	if (!rotated.ok) {
		throw new Refused(
			{
				unknown: `There is no device ${deviceId}.`,
				'not-enrolled': `The device ${deviceId} has no credential: it is not enrolled.`,
				revoked: `The device ${deviceId} is revoked; it syncs no more. A new code brings it back.`
			}[rotated.reason]
		);
	}
	await audit(office.db, {
		action: 'admin-command',
		target: deviceId,
		details: { command: 'rotate-device' }
	});
	return [
		`The credential of device ${deviceId} no longer works.`,
		rotated.kind === 'location'
			? `Make a new code for ${rotated.locationName ?? 'its place'} under "Geräte" in the office and enter it on the tablet; it keeps its data and sends it once enrolled.`
			: 'The learner enters their card again on their device; it keeps its data and sends it then.'
	].join('\n');
}

/** Records a command that ran without the server's own connection, when the log is there. */
async function auditBestEffort(config: DatabaseConfig, command: string, details: object) {
	const office = openDatabase(config);
	try {
		await audit(office.db, { action: 'admin-command', details: { command, ...details } });
	} catch {
		// A database without the audit log (never migrated) has nothing to record it in.
	} finally {
		await office.close();
	}
}

async function backupCommand(config: DatabaseConfig, args: string[]): Promise<string> {
	const { values } = parseArgs({ args, options: { to: { type: 'string' } } });
	const done = await backup(config, option(values, 'to'));
	await auditBestEffort(config, 'backup', { kind: done.kind });
	return `Backed up the database to ${done.file} (${done.bytes} bytes, ${done.kind === 'sqlite' ? 'SQLite online backup' : 'pg_dump custom format'}).`;
}

async function restoreCommand(config: DatabaseConfig, args: string[]): Promise<string> {
	const { values } = parseArgs({ args, options: { from: { type: 'string' } } });
	const done = await restore(config, option(values, 'from'));
	await auditBestEffort(config, 'restore', { epoch: done.epoch });
	return [
		`Restored the database from ${option(values, 'from')}; its new epoch is ${done.epoch}.`,
		...done.keptAside.map((file) => `The database it replaced is kept as ${file}.`),
		'Start the server: devices that are ahead of the backup send again what it lacks at their next sync.'
	].join('\n');
}

async function checkCommand(config: DatabaseConfig, args: string[]): Promise<string> {
	parseArgs({ args, options: {} });
	const findings = await checkDatabase(config);
	const lines = findings.map((f) => `${f.ok ? 'ok  ' : 'FAIL'}  ${f.check}: ${f.detail}`);
	if (findings.every((f) => f.ok)) return lines.join('\n');
	throw new Refused(lines.join('\n'));
}

/** Commands that work on the database as the server leaves it, through the server's own code. */
const COMMANDS = {
	'create-admin': createAdmin,
	'reset-password': resetPasswordCommand,
	'list-staff': listStaffCommand,
	'rotate-device': rotateDeviceCommand
} satisfies Record<string, (office: OfficeDatabase, args: string[], io: Io) => Promise<string>>;

/**
 * Commands that must not migrate or write first: a backup copies what is there, a check
 * reports what is there, and a restore replaces it.
 */
const DATABASE_COMMANDS = {
	backup: backupCommand,
	restore: restoreCommand,
	check: checkCommand
} satisfies Record<string, (config: DatabaseConfig, args: string[]) => Promise<string>>;

async function runOnFiles(
	command: (config: DatabaseConfig, args: string[]) => Promise<string>,
	args: string[],
	io: Io
): Promise<number> {
	try {
		io.stdout.write(`${await command(configFromEnv(io.env), args)}\n`);
		return 0;
	} catch (error) {
		const badArguments = (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
		if (error instanceof Refused || error instanceof OpsRefusal || badArguments) {
			io.stderr.write(`${(error as Error).message}\n`);
			return 1;
		}
		throw error;
	}
}

/** Runs one command; returns the exit code (0 done, 1 refused, 2 not understood). */
export async function run(argv: string[], io: Io): Promise<number> {
	const [name, ...args] = argv;
	if (name === 'help' || name === '--help') {
		io.stdout.write(`${USAGE}\n`);
		return 0;
	}
	const onFiles = DATABASE_COMMANDS[name as keyof typeof DATABASE_COMMANDS];
	if (onFiles) return runOnFiles(onFiles, args, io);
	const command = COMMANDS[name as keyof typeof COMMANDS];
	if (!command) {
		io.stderr.write(`${name ? `Unknown command: ${name}\n\n` : ''}${USAGE}\n`);
		return 2;
	}
	const office = openDatabase(configFromEnv(io.env));
	try {
		await migrateToLatest(office);
		io.stdout.write(`${await command(office, args, io)}\n`);
		return 0;
	} catch (error) {
		const badArguments = (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
		if (error instanceof Refused || badArguments) {
			// What was typed on the command line may hold a secret: only our own words are kept.
			const reason = error instanceof Refused ? error.message : 'arguments not understood';
			await audit(office.db, {
				action: 'admin-command',
				outcome: 'denied',
				details: { command: name, reason }
			});
			io.stderr.write(`${(error as Error).message}\n`);
			return 1;
		}
		throw error;
	} finally {
		await office.close();
	}
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	process.exitCode = await run(process.argv.slice(2), {
		env: process.env,
		stdin: process.stdin,
		stdout: process.stdout,
		stderr: process.stderr
	});
}
