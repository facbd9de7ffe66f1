/**
 * The office's command line for whoever runs the server, for when no browser is at hand or
 * nobody can sign in any more: `npm run admin -- <command>`. It opens the database as the
 * server does (DATABASE_URL, or DATA_DIR for SQLite) and records every command in the audit log.
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
import { openDatabase, type OfficeDatabase } from '../src/lib/server/db/connection';
import { migrateToLatest } from '../src/lib/server/db/migrate';
import { configFromEnv } from '../src/lib/server/office';

export const PASSWORD_VARIABLE = 'LERNLOTSE_ADMIN_PASSWORD';

const USAGE = `Usage: npm run admin -- <command>

  create-admin --email E --name N   create an administrator; the password comes from
                                    ${PASSWORD_VARIABLE} or is asked for in the terminal
  reset-password --email E          print a one-time password; the person chooses their
                                    own at the next sign-in
  list-staff                        list every account with its role and places

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

const COMMANDS = {
	'create-admin': createAdmin,
	'reset-password': resetPasswordCommand,
	'list-staff': listStaffCommand
} satisfies Record<string, (office: OfficeDatabase, args: string[], io: Io) => Promise<string>>;

/** Runs one command; returns the exit code (0 done, 1 refused, 2 not understood). */
export async function run(argv: string[], io: Io): Promise<number> {
	const [name, ...args] = argv;
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
