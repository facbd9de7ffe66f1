/**
 * `npm run demo`: fills the office database with a demo city, so a newcomer sees a living
 * dashboard: three places with two tablets each, a coordinator and eight volunteers, 150
 * learners and six months of weekly sessions up to today (and two weeks ahead), with rosters,
 * attendance and the learners' progress. The same command gives the same figures.
 *
 *   npm run demo                          the demo city (about 1,300 attendance rows)
 *   npm run demo -- --scale 40 --months 24   a big city for benchmarks (about 200,000)
 *
 * It opens the database as the server does (DATABASE_URL, or DATA_DIR for SQLite) and only
 * fills an office without sessions: it never deletes anything.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Writable } from 'node:stream';
import { openDatabase } from '../src/lib/server/db/connection';
import { migrateToLatest } from '../src/lib/server/db/migrate';
import { configFromEnv } from '../src/lib/server/office';
import { DEFAULT_SEED, DemoRefused, fillDemoCity, type DemoSummary } from './demo/city';

export {
	DEMO_PASSWORD,
	DemoRefused,
	fillDemoCity,
	type DemoOptions,
	type DemoSummary
} from './demo/city';

const USAGE = `Usage: npm run demo -- [--scale N] [--months M] [--seed S]

Fills the office database with a demo city: places, tablets, staff, learners, weekly
sessions with attendance and progress, ending today.

  --scale N    N times the places (3 each) and learners (150 each); default 1
  --months M   months of sessions up to today; default 6
  --seed S     another city; the same seed gives the same figures (default "${DEFAULT_SEED}")

The database is the server's: DATABASE_URL for PostgreSQL, else DATA_DIR (default: data).
It must hold no training sessions yet: the demo never deletes anything.`;

export interface Io {
	env: Record<string, string | undefined>;
	stdout: Writable;
	stderr: Writable;
}

const n = (value: number) => value.toLocaleString('en');

/** Volunteers listed by name in the summary; a big city's others follow the same pattern. */
const LISTED_VOLUNTEERS = 8;

export function summaryText(summary: DemoSummary, months: number, seed: string): string {
	const staff: [string, string, string][] = [];
	if (summary.admin?.created) {
		staff.push([summary.admin.email, 'admin', 'created: the database had no administrator']);
	}
	staff.push([summary.coordinator, 'coordinator', 'all places']);
	for (const v of summary.volunteers.slice(0, LISTED_VOLUNTEERS)) {
		staff.push([v.email, 'volunteer', v.places.join(', ')]);
	}
	const width = Math.max(...staff.map(([email]) => email.length));
	const more = summary.volunteers.length - LISTED_VOLUNTEERS;
	const places = summary.places.slice(0, 6).map((p) => `  ${p.name} (${p.kind})`);
	if (summary.places.length > 6) places.push(`  … and ${n(summary.places.length - 6)} more`);
	const lines = [
		`Demo city from ${summary.from} to ${summary.to} (${months} months, seed "${seed}").`,
		'',
		`Places: ${n(summary.places.length)}, with 2 tablets each`,
		...places,
		'',
		`Staff: sign in at /office/sign-in with the password ${summary.password}`,
		...staff.map(
			([email, role, where]) => `  ${email.padEnd(width)}  ${role.padEnd(11)}  ${where}`
		),
		...(more > 0 ? [`  … and ${n(more)} more volunteers (same password)`] : []),
		...(summary.admin && !summary.admin.created
			? [`  (the existing administrator ${summary.admin.email} keeps their password)`]
			: []),
		'',
		`Learners:         ${n(summary.learners)} (${n(summary.withConsent)} agreed to be counted in the statistics)`,
		`Sessions:         ${n(summary.sessions)} (${n(summary.closed)} held, ${n(summary.cancelled)} cancelled, ${n(summary.planned)} planned from today on)`,
		`Attendance rows:  ${n(summary.attendance)} (${n(summary.attended)} came)`,
		`Progress events:  ${n(summary.events)} (${n(summary.lessonsCompleted)} lessons and ${n(summary.coursesCompleted)} courses completed)`,
		`Change log rows:  ${n(summary.changeLog)}`,
		'',
		`Took ${(summary.ms / 1000).toFixed(1)} s.`
	];
	return lines.join('\n');
}

/** Runs the command; returns the exit code (0 done, 1 refused, 2 not understood). */
export async function run(argv: string[], io: Io): Promise<number> {
	let values: { scale?: string; months?: string; seed?: string; help?: boolean };
	try {
		({ values } = parseArgs({
			args: argv,
			options: {
				scale: { type: 'string' },
				months: { type: 'string' },
				seed: { type: 'string' },
				help: { type: 'boolean', short: 'h' }
			}
		}));
	} catch (error) {
		io.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
		return 2;
	}
	if (values.help) {
		io.stdout.write(`${USAGE}\n`);
		return 0;
	}
	const scale = Number(values.scale ?? 1);
	const months = Number(values.months ?? 6);
	const seed = values.seed ?? DEFAULT_SEED;
	const office = openDatabase(configFromEnv(io.env));
	try {
		await migrateToLatest(office);
		const summary = await fillDemoCity(office, {
			scale,
			months,
			seed,
			// A big city takes minutes: say how far it got.
			onProgress: scale > 1 ? (line) => io.stderr.write(`demo: ${line}\n`) : undefined
		});
		io.stdout.write(`${summaryText(summary, months, seed)}\n`);
		return 0;
	} catch (error) {
		if (error instanceof DemoRefused) {
			io.stderr.write(`${error.message}\n`);
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
		stdout: process.stdout,
		stderr: process.stderr
	});
}
