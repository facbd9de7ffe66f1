/**
 * Fills an empty office database with a demo city: places with tablets, staff, learners, six
 * months of weekly sessions with their rosters, and what the learners did on the tablets. The
 * same seed and "now" give the same city; `scale` multiplies places and learners for
 * benchmarks. Nothing is ever deleted: a database that already holds sessions is refused.
 */
import { availableParallelism } from 'node:os';
import type { Insertable, Kysely } from 'kysely';
import { passwordProblem } from '../../src/lib/domain/auth/password';
import type { LocationKind } from '../../src/lib/domain/auth/roles';
import { addDays } from '../../src/lib/domain/sessions/calendar';
import { createLocation } from '../../src/lib/server/auth/locations';
import { prepareSetup } from '../../src/lib/server/auth/setup';
import { createStaff } from '../../src/lib/server/auth/staff';
import type { OfficeDatabase } from '../../src/lib/server/db/connection';
import { rebuildReportFacts } from '../../src/lib/server/reports/facts';
import type { ChangeLogTable, Database } from '../../src/lib/server/db/schema';
import { demoCourses } from './courses';
import { emailLocalPart, volunteerName } from './names';
import { Random } from './random';
import {
	District,
	SERIES,
	localDate,
	localMs,
	type DemoPlace,
	type DistrictRows
} from './simulate';

export const DEMO_PASSWORD = 'Demo-Passwort-2026';
export const DEMO_DOMAIN = 'demo.lernlotse.example';
export const DEMO_ADMIN_EMAIL = `admin@${DEMO_DOMAIN}`;
export const DEFAULT_SEED = 'lernlotse-demo';
/** Learners per district of three places. */
export const LEARNERS_PER_DISTRICT = 150;

const n = (value: number) => value.toLocaleString('en');

/** The database cannot take the demo; nothing was written. */
export class DemoRefused extends Error {}

export interface DemoOptions {
	/** Districts of three places and 150 learners each (default 1). */
	scale?: number;
	/** Months of sessions up to today (default 6). */
	months?: number;
	now?: Date;
	seed?: string;
	password?: string;
	/** Called with a line on how far it got (accounts, each district, the change log). */
	onProgress?: (line: string) => void;
}

export interface DemoSummary {
	from: string;
	to: string;
	places: { name: string; kind: LocationKind; tablets: number }[];
	admin: { email: string; created: boolean } | null;
	coordinator: string;
	volunteers: { email: string; name: string; places: string[] }[];
	password: string;
	learners: number;
	withConsent: number;
	sessions: number;
	closed: number;
	cancelled: number;
	planned: number;
	attendance: number;
	attended: number;
	events: number;
	lessonsCompleted: number;
	coursesCompleted: number;
	changeLog: number;
	ms: number;
}

interface PlaceTemplate {
	name: string;
	kind: LocationKind;
	address: string;
	rooms: readonly [string, string];
}

const PLACES: readonly PlaceTemplate[] = [
	{
		name: 'Stadtbibliothek Mitte',
		kind: 'library',
		address: 'Am Marktplatz 3',
		rooms: ['Lesesaal', 'Gruppenraum 1']
	},
	{
		name: 'Seniorentreff Nord',
		kind: 'senior-centre',
		address: 'Lindenstraße 41',
		rooms: ['Clubraum', 'Café']
	},
	{
		name: 'Freiwilligenagentur',
		kind: 'volunteer-office',
		address: 'Bahnhofstraße 12',
		rooms: ['Seminarraum', 'Besprechungsraum']
	}
];

const STREETS = [
	'Hauptstraße',
	'Schulstraße',
	'Gartenstraße',
	'Kirchplatz',
	'Rosenweg',
	'Bergstraße',
	'Am Stadtpark',
	'Mühlenweg'
];

/** The first district's volunteers; the others get invented names in the same roles. */
const VOLUNTEERS = [
	'Jonas Becker',
	'Sabine Krüger',
	'Ulrich Brandt',
	'Monika Hartmann',
	'Thomas Schäfer',
	'Leyla Demir',
	'Anna Lehmann',
	'Peter Lorenz'
];
const COORDINATOR = 'Katrin Vogel';

/**
 * Who leads and who helps, per place and series (indexes into a district's eight volunteers).
 * The third volunteer works at two places, on days that never clash.
 */
const CREWS: readonly Record<'tue' | 'thu', { lead: number; helpers: number[] }>[] = [
	{ tue: { lead: 0, helpers: [1] }, thu: { lead: 2, helpers: [1] } },
	{ tue: { lead: 3, helpers: [2, 4] }, thu: { lead: 4, helpers: [3] } },
	{ tue: { lead: 6, helpers: [7] }, thu: { lead: 5, helpers: [7, 6] } }
];

function placesOf(volunteer: number): number[] {
	return CREWS.flatMap((crew, place) =>
		[crew.tue.lead, ...crew.tue.helpers, crew.thu.lead, ...crew.thu.helpers].includes(volunteer)
			? [place]
			: []
	).filter((place, i, all) => all.indexOf(place) === i);
}

interface PlannedStaff {
	email: string;
	name: string;
	/** District and place indexes. */
	places: { district: number; place: number }[];
}

function check(value: number, name: string, max: number): number {
	if (!Number.isInteger(value) || value < 1 || value > max) {
		throw new DemoRefused(`--${name} must be a whole number from 1 to ${max}.`);
	}
	return value;
}

/** Rows per statement: at most 500, fewer for wide rows, well under both engines' limits. */
async function insertChunked<T extends keyof Database & string>(
	db: Kysely<Database>,
	table: T,
	rows: readonly Insertable<Database[T]>[]
): Promise<void> {
	if (rows.length === 0) return;
	const columns = Object.keys(rows[0]!).length;
	const chunk = Math.min(500, Math.floor(8000 / columns));
	for (let i = 0; i < rows.length; i += chunk) {
		await db
			.insertInto(table)
			.values(rows.slice(i, i + chunk) as never)
			.execute();
	}
}

async function refuseUnlessEmpty(
	office: OfficeDatabase,
	emails: string[],
	placeNames: string[]
): Promise<void> {
	const { db } = office;
	const session = await db.selectFrom('training_sessions').select('id').limit(1).execute();
	if (session.length > 0) {
		throw new DemoRefused(
			'This database already holds training sessions. The demo only fills an empty office, ' +
				'and never deletes anything: use a fresh DATA_DIR or database. Nothing was changed.'
		);
	}
	for (let i = 0; i < emails.length; i += 500) {
		const taken = await db
			.selectFrom('staff')
			.select('email')
			.where('email', 'in', emails.slice(i, i + 500))
			.limit(1)
			.execute();
		if (taken.length > 0) {
			throw new DemoRefused(
				`The account ${taken[0]!.email} already exists: an earlier demo run did not finish. ` +
					'Use a fresh DATA_DIR or database. Nothing was changed.'
			);
		}
	}
	for (let i = 0; i < placeNames.length; i += 500) {
		const taken = await db
			.selectFrom('locations')
			.select('name')
			.where('name', 'in', placeNames.slice(i, i + 500))
			.limit(1)
			.execute();
		if (taken.length > 0) {
			throw new DemoRefused(
				`A place called "${taken[0]!.name}" already exists. Use a fresh DATA_DIR or database. ` +
					'Nothing was changed.'
			);
		}
	}
}

/** Runs `work` on every item, `width` at a time (password hashing is the slow part). */
async function inBatches<T, R>(
	items: readonly T[],
	width: number,
	work: (item: T) => Promise<R>
): Promise<R[]> {
	const out: R[] = [];
	for (let i = 0; i < items.length; i += width) {
		out.push(...(await Promise.all(items.slice(i, i + width).map(work))));
	}
	return out;
}

export async function fillDemoCity(
	office: OfficeDatabase,
	options: DemoOptions = {}
): Promise<DemoSummary> {
	const started = performance.now();
	const say = (line: string) =>
		options.onProgress?.(`${line} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
	const scale = check(options.scale ?? 1, 'scale', 1000);
	const months = check(options.months ?? 6, 'months', 120);
	const now = options.now ?? new Date();
	const seed = options.seed ?? DEFAULT_SEED;
	const password = options.password ?? DEMO_PASSWORD;
	const today = localDate(now);
	const first = new Date(now.getFullYear(), now.getMonth() - months, now.getDate());
	const from = localDate(first);
	const clock = { now: now.getTime(), today, from };
	const courses = demoCourses();
	for (const series of SERIES) {
		if (!courses.has(series.courseId)) {
			throw new DemoRefused(`The course ${series.courseId} is missing from the course packs.`);
		}
	}

	// Names first, all from the seed, so the same command makes the same people.
	const naming = new Random(`${seed}:staff`);
	const emails = new Set<string>();
	const address = (name: string) => {
		const local = emailLocalPart(name);
		let email = `${local}@${DEMO_DOMAIN}`;
		for (let k = 2; emails.has(email); k++) email = `${local}${k}@${DEMO_DOMAIN}`;
		emails.add(email);
		return email;
	};
	const coordinatorEmail = address(COORDINATOR);
	const volunteers: PlannedStaff[] = [];
	for (let district = 0; district < scale; district++) {
		VOLUNTEERS.forEach((fixed, v) => {
			const name = district === 0 ? fixed : volunteerName(naming);
			volunteers.push({
				email: address(name),
				name,
				places: placesOf(v).map((place) => ({ district, place }))
			});
		});
	}
	const templates = Array.from({ length: scale }, (_, district) =>
		PLACES.map((p) => ({
			...p,
			name: district === 0 ? p.name : `${p.name} ${district + 1}`,
			address: district === 0 ? p.address : `${naming.pick(STREETS)} ${naming.int(1, 120)}`
		}))
	);
	if (passwordProblem(password, coordinatorEmail)) {
		throw new DemoRefused('The demo password does not pass the office password rules.');
	}
	await refuseUnlessEmpty(
		office,
		[DEMO_ADMIN_EMAIL, ...emails],
		templates.flat().map((t) => t.name)
	);

	// Accounts and places through the office's own code: argon2 hashes, audit entries.
	const accountsMs = localMs(addDays(from, -21), '09:00');
	const accountsDate = new Date(accountsMs);
	const made = async (outcome: Awaited<ReturnType<typeof createStaff>>, email: string) => {
		if (!outcome.ok) throw new DemoRefused(`Could not create ${email}: ${outcome.problem}`);
		return outcome.value.id;
	};
	let admin = await office.db
		.selectFrom('staff')
		.select(['id', 'email'])
		.where('role', '=', 'admin')
		.where('disabled_at', 'is', null)
		.orderBy('created_at')
		.executeTakeFirst();
	let adminCreated = false;
	if (!admin) {
		const id = await made(
			await createStaff(
				office,
				{
					email: DEMO_ADMIN_EMAIL,
					name: 'Demo-Administration',
					role: 'admin',
					locationIds: [],
					password
				},
				{ staffId: null },
				accountsDate
			),
			DEMO_ADMIN_EMAIL
		);
		admin = { id, email: DEMO_ADMIN_EMAIL };
		adminCreated = true;
		// The first-run setup code, if the server printed one, is of no use any more.
		await prepareSetup(office);
	}
	const placeIds: string[][] = [];
	for (const district of templates) {
		const ids: string[] = [];
		for (const t of district) {
			const outcome = await createLocation(
				office,
				{ name: t.name, kind: t.kind, address: t.address },
				{ staffId: admin.id }
			);
			if (!outcome.ok) throw new DemoRefused(`Could not create ${t.name}: ${outcome.problem}`);
			ids.push(outcome.value.id);
		}
		placeIds.push(ids);
	}
	// The places were opened before the first session, not today.
	await office.db
		.updateTable('locations')
		.set({ created_at: new Date(accountsMs - 7 * 86_400_000).toISOString() })
		.where('id', 'in', placeIds.flat())
		.execute();
	say(`${n(volunteers.length + 1)} staff accounts (argon2 takes a moment for each)`);
	const coordinatorId = await made(
		await createStaff(
			office,
			{
				email: coordinatorEmail,
				name: COORDINATOR,
				role: 'coordinator',
				locationIds: [],
				password
			},
			{ staffId: null },
			accountsDate
		),
		coordinatorEmail
	);
	const volunteerIds = await inBatches(volunteers, Math.min(4, availableParallelism()), async (v) =>
		made(
			await createStaff(
				office,
				{
					email: v.email,
					name: v.name,
					role: 'volunteer',
					locationIds: v.places.map((p) => placeIds[p.district]![p.place]!),
					password
				},
				{ staffId: null },
				accountsDate
			),
			v.email
		)
	);

	// Then the city's half year, district by district, in one transaction.
	const totals: Totals = {
		learners: 0,
		withConsent: 0,
		sessions: 0,
		closed: 0,
		cancelled: 0,
		planned: 0,
		attendance: 0,
		attended: 0,
		events: 0,
		lessonsCompleted: 0,
		coursesCompleted: 0,
		changeLog: 0
	};
	await office.db.transaction().execute(async (tx) => {
		const changes: Insertable<ChangeLogTable>[] = [];
		for (let district = 0; district < scale; district++) {
			const crewOf = (v: number) => volunteerIds[district * VOLUNTEERS.length + v]!;
			const places: DemoPlace[] = templates[district]!.map((t, p) => ({
				id: placeIds[district]![p]!,
				name: t.name,
				rooms: t.rooms,
				crew: {
					tue: { lead: crewOf(CREWS[p]!.tue.lead), helpers: CREWS[p]!.tue.helpers.map(crewOf) },
					thu: { lead: crewOf(CREWS[p]!.thu.lead), helpers: CREWS[p]!.thu.helpers.map(crewOf) }
				},
				tablets: []
			}));
			const rows = new District(
				new Random(`${seed}:district:${district}`),
				places,
				clock,
				courses,
				LEARNERS_PER_DISTRICT,
				coordinatorId
			).run();
			await insertDistrict(tx, rows);
			changes.push(...rows.changes);
			count(totals, rows);
			if ((district + 1) % Math.ceil(scale / 20) === 0 || district + 1 === scale) {
				say(
					`district ${district + 1}/${scale}: ${n(totals.attendance)} attendance rows, ` +
						`${n(totals.events)} progress events`
				);
			}
		}
		say(`the change log: ${n(changes.length)} rows`);
		// In the order it happened, so a tablet enrolled later pulls it as if it had been there.
		changes.sort((a, b) =>
			a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0
		);
		await insertChunked(tx, 'change_log', changes);
		totals.changeLog = changes.length;
		// The rows went in directly, past the writes that keep the report facts: make them now.
		say('the report facts');
		await rebuildReportFacts(tx);
	});

	return {
		from,
		to: today,
		places: templates.flat().map((t) => ({ name: t.name, kind: t.kind, tablets: 2 })),
		admin: { email: admin.email, created: adminCreated },
		coordinator: coordinatorEmail,
		volunteers: volunteers.map((v) => ({
			email: v.email,
			name: v.name,
			places: v.places.map((p) => templates[p.district]![p.place]!.name)
		})),
		password,
		...totals,
		ms: performance.now() - started
	};
}

async function insertDistrict(db: Kysely<Database>, rows: DistrictRows): Promise<void> {
	await insertChunked(db, 'devices', rows.devices);
	await insertChunked(db, 'learners', rows.learners);
	await insertChunked(db, 'location_learners', rows.locationLearners);
	await insertChunked(db, 'device_learners', rows.deviceLearners);
	await insertChunked(db, 'training_sessions', rows.sessions);
	await insertChunked(db, 'attendance', rows.attendance);
	await insertChunked(db, 'progress_events', rows.events);
}

type Totals = Omit<
	DemoSummary,
	'from' | 'to' | 'places' | 'admin' | 'coordinator' | 'volunteers' | 'password' | 'ms'
>;

function count(totals: Totals, rows: DistrictRows): void {
	totals.learners += rows.learners.length;
	totals.withConsent += rows.learners.filter((l) => l.consent === 'yes').length;
	totals.sessions += rows.sessions.length;
	totals.closed += rows.sessions.filter((s) => s.status === 'closed').length;
	totals.cancelled += rows.sessions.filter((s) => s.status === 'cancelled').length;
	totals.planned += rows.sessions.filter((s) => s.status === 'planned').length;
	totals.attendance += rows.attendance.length;
	totals.attended += rows.attendance.filter(
		(a) => a.status === 'present' || a.status === 'late'
	).length;
	totals.events += rows.events.length;
	totals.lessonsCompleted += rows.lessonsCompleted;
	totals.coursesCompleted += rows.coursesCompleted;
}
