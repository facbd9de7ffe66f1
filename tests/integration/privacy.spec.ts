/**
 * A learner's personal data on a real SQLite and a real PostgreSQL: erased on request or after
 * the retention period (what names or describes them goes, anonymous activity stays), every
 * device that holds them forgets them at its next sync and can no longer write for them, the
 * city's figures do not move, an export shows everything the office holds, and the office can
 * find a learner by name. Expected values are worked out by hand from the data each test makes.
 */
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { saveDraft } from '../../src/lib/client/db/drafts';
import { updateLearner } from '../../src/lib/client/db/learners';
import { createSessions, setAttendance, type Actor } from '../../src/lib/client/db/sessions';
import { applyPulledPage, CURSOR } from '../../src/lib/client/sync/apply-pull';
import { formatHlc } from '../../src/lib/domain/hlc';
import { redeemCard } from '../../src/lib/server/auth/cards';
import { createEnrolmentCode, enrolDevice } from '../../src/lib/server/auth/devices';
import { createLocation } from '../../src/lib/server/auth/locations';
import type { Outcome } from '../../src/lib/server/auth/outcome';
import { createStaff } from '../../src/lib/server/auth/staff';
import { digest, newCode } from '../../src/lib/server/auth/tokens';
import type { Database } from '../../src/lib/server/db/schema';
import {
	applyRetention,
	eraseLearner,
	learnersPastRetention,
	retentionMonths,
	setRetentionMonths
} from '../../src/lib/server/privacy/erase';
import { exportLearner } from '../../src/lib/server/privacy/export';
import { findLearners } from '../../src/lib/server/privacy/learners';
import { buildReport, type ReportFilter } from '../../src/lib/server/reports/figures';
import { handlePull } from '../../src/lib/server/sync/pull';
import { handlePush } from '../../src/lib/server/sync/push';
import {
	PROTOCOL_VERSION,
	type Change,
	type MutationFate,
	type PullResponse,
	type PushResponse
} from '../../src/lib/sync/protocol';
import { DIALECTS, freshOffice, type TestOffice } from './support/databases';
import { PULL, closeTablets, openTablet, type Tablet } from './support/devices';
import { FakeDevice, newLearnerId } from './support/factories';
import { LIB, OFF, SEN, seedReportData } from './support/report-data';

// Light password hashing: these tests make staff accounts but are not about passwords.
vi.mock('argon2', (original) =>
	import('./support/light-argon2').then((m) => m.lightArgon2(original))
);

const MINUTE = 60_000;
/**
 * Why a change for an erased learner is refused. The brief named 'learner: erased at the office
 * on request'; push.ts and sessions.ts now say 'learner: erased at the office' (also right after
 * a retention erasure). Either is accepted; the report mentions the difference.
 */
const ERASED = expect.stringMatching(/^learner: erased at the office( on request)?$/) as string;

const offices: TestOffice[] = [];
afterEach(async () => {
	await closeTablets();
	for (const office of offices.splice(0)) await office.dispose();
});

async function open(dialect: (typeof DIALECTS)[number]): Promise<TestOffice> {
	const office = await freshOffice(dialect);
	offices.push(office);
	return office;
}

function value<T>(outcome: Outcome<T>): T {
	if (!outcome.ok) throw new Error(`expected success, got ${outcome.problem}`);
	return outcome.value;
}

/** JSON both ways, as on the network. */
const wire = <T>(body: T): T => JSON.parse(JSON.stringify(body)) as T;

// ---------------------------------------------------------------------------------------------
// An office with places, volunteers and tablets (as in sessions.spec.ts)
// ---------------------------------------------------------------------------------------------

interface World {
	office: TestOffice;
	adminId: string;
	/** The wall clock of every fake tablet; tests move it on. */
	time: { now: number };
	/** Place P: its volunteer and three of its tablets (c never syncs until a test says so). */
	p: { id: string; volunteer: string; a: FakeDevice; b: FakeDevice; c: FakeDevice };
	/** Place Q: its volunteer and one tablet. */
	q: { id: string; volunteer: string; tablet: FakeDevice };
}

async function enrol(w: Pick<World, 'office' | 'adminId'>, locationId: string, deviceId: string) {
	const { code } = value(await createEnrolmentCode(w.office, locationId, { staffId: w.adminId }));
	value(await enrolDevice(w.office, { code, deviceId, name: 'Tablet', address: '10.1.0.1' }));
}

async function world(dialect: (typeof DIALECTS)[number]): Promise<World> {
	const office = await open(dialect);
	const time = { now: Date.UTC(2026, 10, 30, 9) };
	const adminId = value(
		await createStaff(
			office,
			{
				email: 'admin@stadt.example',
				name: 'Admin',
				role: 'admin',
				locationIds: [],
				password: 'admin stays in charge'
			},
			{ staffId: null }
		)
	).id;
	const w = { office, adminId, time } as World;
	const place = async (name: string) =>
		value(
			await createLocation(office, { name, kind: 'library', address: '' }, { staffId: adminId })
		).id;
	const staff = async (email: string, locationId: string) =>
		value(
			await createStaff(
				office,
				{
					email,
					name: 'Staff Member',
					role: 'volunteer',
					locationIds: [locationId],
					password: 'volunteer helps at the desk'
				},
				{ staffId: adminId }
			)
		).id;
	const tablet = async (locationId: string) => {
		const device = new FakeDevice(() => time.now);
		await enrol(w, locationId, device.id);
		return device;
	};
	const p = await place('Bibliothek Nord');
	const q = await place('Bibliothek Süd');
	w.p = {
		id: p,
		volunteer: await staff('nord@stadt.example', p),
		a: await tablet(p),
		b: await tablet(p),
		c: await tablet(p)
	};
	w.q = { id: q, volunteer: await staff('sued@stadt.example', q), tablet: await tablet(q) };
	return w;
}

function later(w: World, ms = MINUTE) {
	w.time.now += ms;
}

async function push(
	office: TestOffice,
	device: FakeDevice,
	mutations: unknown[]
): Promise<MutationFate[]> {
	const reply = await handlePush(office, wire(device.push(mutations)));
	expect(reply.status).toBe(200);
	return (wire(reply.body) as PushResponse).results;
}

async function pushAccepted(office: TestOffice, device: FakeDevice, mutations: { id: string }[]) {
	expect(await push(office, device, mutations)).toEqual(
		mutations.map((m) => ({ id: m.id, status: 'accepted' }))
	);
}

/** Every page from `cursor` on, with the raw bodies (to search them as JSON). */
async function pullAll(
	office: TestOffice,
	device: FakeDevice,
	cursor: string | null = null,
	history: string[] = []
) {
	const changes: Change[] = [];
	const bodies: PullResponse[] = [];
	for (let page = 0; page < 100; page++) {
		const request = { ...device.pull(cursor), ...(page === 0 ? { history } : {}) };
		const reply = await handlePull(office, wire(request));
		expect(reply.status).toBe(200);
		const body = wire(reply.body) as PullResponse;
		bodies.push(body);
		changes.push(...body.changes);
		cursor = body.cursor;
		if (!body.more) break;
	}
	return { changes, cursor, bodies };
}

/** A learner card printed on `device`: the code stays on paper, its digest goes to the office. */
function printCard(device: FakeDevice, learnerId: string) {
	const code = newCode();
	const mutation = device.mutation('card', uuidv7(), device.clock.tick(), {
		learnerId,
		codeHash: digest(code)
	});
	return { code, digest: digest(code), mutation };
}

/** A real tablet (Dexie on fake-indexeddb) enrolled at a place. */
async function placeTablet(w: World, locationId: string, label: string): Promise<Tablet> {
	const tablet = await openTablet(w.office, label);
	await enrol(w, locationId, tablet.device.id);
	return tablet;
}

// ---------------------------------------------------------------------------------------------
// What the office and a device hold
// ---------------------------------------------------------------------------------------------

const TABLES: (keyof Database)[] = [
	'devices',
	'mutations',
	'progress_events',
	'learners',
	'learner_versions',
	'conflicts',
	'device_learners',
	'change_log',
	'server_meta',
	'locations',
	'staff',
	'staff_locations',
	'staff_sessions',
	'rate_limits',
	'enrolment_codes',
	'learner_cards',
	'audit_log',
	'training_sessions',
	'attendance',
	'session_history',
	'location_learners'
];

/** The office's tables with `text` anywhere in any row. */
async function tablesMentioning(office: TestOffice, text: string): Promise<string[]> {
	const found: string[] = [];
	for (const table of TABLES) {
		const rows = await office.db
			.selectFrom(table as 'learners')
			.selectAll()
			.execute();
		if (JSON.stringify(rows).includes(text)) found.push(table);
	}
	return found;
}

/** The device's tables with `text` anywhere in any row. */
async function deviceTablesMentioning(tablet: Tablet, text: string): Promise<string[]> {
	const found: string[] = [];
	for (const table of tablet.db.tables) {
		if (JSON.stringify(await table.toArray()).includes(text)) found.push(table.name);
	}
	return found;
}

/** Everything one device holds about one learner, counted. */
async function heldOn(tablet: Tablet, learnerId: string) {
	const { db } = tablet;
	const outbox = await db.outbox.toArray();
	return {
		learner: (await db.learners.get(learnerId)) !== undefined,
		progress: await db.progress.where('learnerId').equals(learnerId).count(),
		lessonState: await db.lessonState.where('learnerId').equals(learnerId).count(),
		drafts: await db.drafts.where('learnerId').equals(learnerId).count(),
		attendance: await db.attendance.where('learnerId').equals(learnerId).count(),
		outbox: outbox.filter((r) => JSON.stringify(r.payload).includes(learnerId)).length
	};
}

const NOTHING = {
	learner: false,
	progress: 0,
	lessonState: 0,
	drafts: 0,
	attendance: 0,
	outbox: 0
};

/** What the office stores per learner, for "nothing was stored" and "this stayed" checks. */
async function officeCounts(office: TestOffice, learnerId: string) {
	const { db } = office;
	const n = async (query: Promise<{ n: number | string | bigint }>) => Number((await query).n);
	return {
		progress: await n(
			db
				.selectFrom('progress_events')
				.select((eb) => eb.fn.countAll<number>().as('n'))
				.where('learner_id', '=', learnerId)
				.executeTakeFirstOrThrow()
		),
		versions: await n(
			db
				.selectFrom('learner_versions')
				.select((eb) => eb.fn.countAll<number>().as('n'))
				.where('learner_id', '=', learnerId)
				.executeTakeFirstOrThrow()
		),
		cards: await n(
			db
				.selectFrom('learner_cards')
				.select((eb) => eb.fn.countAll<number>().as('n'))
				.where('learner_id', '=', learnerId)
				.executeTakeFirstOrThrow()
		),
		learnerConflicts: await n(
			db
				.selectFrom('conflicts')
				.select((eb) => eb.fn.countAll<number>().as('n'))
				.where('entity', '=', 'learner')
				.where('entity_id', '=', learnerId)
				.executeTakeFirstOrThrow()
		),
		attendance: await n(
			db
				.selectFrom('attendance')
				.select((eb) => eb.fn.countAll<number>().as('n'))
				.where('learner_id', '=', learnerId)
				.executeTakeFirstOrThrow()
		),
		attendanceHistory: await n(
			db
				.selectFrom('session_history')
				.select((eb) => eb.fn.countAll<number>().as('n'))
				.where('entity', '=', 'attendance')
				.where('entity_id', 'like', `%/${learnerId}`)
				.executeTakeFirstOrThrow()
		),
		log: await n(
			db
				.selectFrom('change_log')
				.select((eb) => eb.fn.countAll<number>().as('n'))
				.where('learner_id', '=', learnerId)
				.executeTakeFirstOrThrow()
		)
	};
}

async function learnerRow(office: TestOffice, id: string) {
	return office.db
		.selectFrom('learners')
		.select([
			'name',
			'avatar',
			'consent',
			'age_group',
			'target_group',
			'erased_at',
			'name_hlc',
			'updated_at'
		])
		.where('id', '=', id)
		.executeTakeFirstOrThrow();
}

async function auditRows(office: TestOffice, action: string) {
	return office.db
		.selectFrom('audit_log')
		.select(['at', 'staff_id', 'target', 'outcome', 'details'])
		.where('action', '=', action)
		.orderBy('id')
		.execute();
}

async function mutationCount(office: TestOffice): Promise<number> {
	const row = await office.db
		.selectFrom('mutations')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

// ---------------------------------------------------------------------------------------------
// Rows inserted directly, for tests that need exact times and values
// ---------------------------------------------------------------------------------------------

const SEEDED = '2026-01-01T00:00:00.000Z';

async function insertPlace(office: TestOffice, id: string, name: string) {
	await office.db
		.insertInto('locations')
		.values({ id, name, kind: 'library', address: null, created_at: SEEDED, archived_at: null })
		.execute();
}

async function insertLearner(
	office: TestOffice,
	l: {
		id: string;
		name: string;
		createdAt?: string;
		updatedAt?: string;
		home?: string | null;
		consent?: string;
		age?: string;
		target?: string;
		avatar?: string;
		lang?: string;
		erasedAt?: string | null;
	}
) {
	await office.db
		.insertInto('learners')
		.values({
			id: l.id,
			name: l.name,
			name_hlc: '',
			avatar: l.avatar ?? 'sun',
			avatar_hlc: '',
			lang: l.lang ?? 'de',
			lang_hlc: '',
			created_at: l.createdAt ?? SEEDED,
			updated_at: l.updatedAt ?? l.createdAt ?? SEEDED,
			home_location_id: l.home ?? null,
			consent: l.consent ?? '',
			age_group: l.age ?? '',
			target_group: l.target ?? '',
			erased_at: l.erasedAt ?? null
		})
		.execute();
}

async function insertSession(
	office: TestOffice,
	s: { id: string; place: string; date: string; title?: string; start?: string; end?: string }
) {
	await office.db
		.insertInto('training_sessions')
		.values({
			id: s.id,
			location_id: s.place,
			series_id: null,
			series_index: null,
			title: s.title ?? 'Treff',
			course_ids: 'tablet-basics',
			date: s.date,
			start_time: s.start ?? '10:00',
			end_time: s.end ?? '11:00',
			room: 'Raum 1',
			volunteer_ids: 'staff-vera',
			capacity: 12,
			status: 'closed',
			stamps: '{}',
			created_by: 'staff-vera',
			created_at: SEEDED,
			updated_at: SEEDED
		})
		.execute();
}

async function insertAttendance(
	office: TestOffice,
	a: { session: string; learner: string; status?: string; roster?: string; note?: string }
) {
	await office.db
		.insertInto('attendance')
		.values({
			session_id: a.session,
			learner_id: a.learner,
			roster: a.roster ?? 'signed-up',
			status: a.status ?? 'present',
			note: a.note ?? '',
			help_seen: '',
			stamps: '{}',
			updated_by: 'staff-vera',
			updated_at: SEEDED
		})
		.execute();
}

async function insertEvent(
	office: TestOffice,
	e: {
		id: string;
		learner: string;
		ms: number;
		device?: string;
		lesson?: string;
		type?: string;
		step?: string | null;
		attempts?: number | null;
		receivedAt?: string;
	}
) {
	const hlc = formatHlc({ ms: e.ms, counter: 0, node: e.device ?? 'dev-lib' });
	await office.db
		.insertInto('progress_events')
		.values({
			id: e.id,
			learner_id: e.learner,
			course_id: 'tablet-basics',
			course_version: 1,
			lesson_id: e.lesson ?? 'tapping',
			step_id: e.step ?? null,
			type: e.type ?? 'lesson-completed',
			attempts: e.attempts === undefined ? 1 : e.attempts,
			checkpoint: null,
			hlc,
			device_id: e.device ?? 'dev-lib',
			received_at: e.receivedAt ?? new Date(e.ms + 5000).toISOString(),
			batch_id: null
		})
		.execute();
	return hlc;
}

// ---------------------------------------------------------------------------------------------

describe.each(DIALECTS)('learners’ personal data on %s', { timeout: 60_000 }, (dialect) => {
	it('erases a learner on request: what names or describes them goes, their activity stays', async () => {
		const w = await world(dialect);
		const { office } = w;
		const { a, b } = w.p;
		const erna = newLearnerId();
		const bernd = newLearnerId();
		const created = a.learner({
			id: erna,
			fields: { name: 'Erna Vogelsang', avatar: 'sun', lang: 'de' }
		});
		const berndCreated = a.learner({
			id: bernd,
			fields: { name: 'Bernd Keller', avatar: 'moon', lang: 'de' }
		});
		await pushAccepted(office, a, [created, berndCreated]);
		// A second version of her profile: she agrees to be counted, and gives her groups.
		later(w);
		const consented = a.learner({
			id: erna,
			fields: {
				name: 'Erna Vogel',
				consent: 'yes',
				ageGroup: '65-74',
				targetGroup: 'older-resident'
			},
			base: { name: created.hlc }
		});
		await pushAccepted(office, a, [consented]);
		// Tablet B renames her without having seen A's change: a conflict on the name.
		later(w);
		const renamed = b.learner({
			id: erna,
			fields: { name: 'Erna Vogelsang-Brandt' },
			base: { name: created.hlc }
		});
		await pushAccepted(office, b, [renamed]);
		later(w);
		const ernaCard = printCard(a, erna);
		const berndCard = printCard(a, bernd);
		await pushAccepted(office, a, [ernaCard.mutation, berndCard.mutation]);
		// A session with both on the roster, each with a staff note.
		later(w);
		const session = a.session({ locationId: w.p.id, by: w.p.volunteer });
		const sessionId = session.payload.id;
		const signUp = a.attendance({ sessionId, learnerId: erna, by: w.p.volunteer });
		const berndMark = a.attendance({
			sessionId,
			learnerId: bernd,
			by: w.p.volunteer,
			fields: { roster: 'signed-up', status: 'late', note: 'Bernd bringt sein eigenes Tablet' }
		});
		await pushAccepted(office, a, [session, signUp, berndMark]);
		later(w);
		const ernaMark = a.attendance({
			sessionId,
			learnerId: erna,
			by: w.p.volunteer,
			fields: { status: 'present', note: 'Frau Vogelsang hört schlecht, die Tochter hilft' }
		});
		const events = [a.progress(erna), a.progress(erna, { lessonId: 'typing' }), a.progress(bernd)];
		await pushAccepted(office, a, [ernaMark, ...events]);
		later(w);
		const fromB = b.progress(erna, { lessonId: 'calling' });
		await pushAccepted(office, b, [fromB]);

		const ernaBefore = await officeCounts(office, erna);
		expect(ernaBefore).toMatchObject({
			progress: 3,
			versions: 3,
			cards: 1,
			learnerConflicts: 1,
			attendance: 1,
			attendanceHistory: 2
		});
		const berndBefore = await officeCounts(office, bernd);
		expect(await tablesMentioning(office, 'Vogel')).toEqual(
			expect.arrayContaining(['learners', 'learner_versions', 'conflicts', 'attendance'])
		);

		later(w);
		const at = new Date(w.time.now);
		expect(await eraseLearner(office.db, erna, { staffId: w.adminId, reason: 'request' }, at)).toBe(
			true
		);

		expect(await learnerRow(office, erna)).toMatchObject({
			name: '',
			avatar: 'erased',
			consent: '',
			age_group: '',
			target_group: '',
			erased_at: at.toISOString()
		});
		expect(await officeCounts(office, erna)).toEqual({
			// Anonymous activity stays: her progress and her attendance marks (without the note).
			progress: 3,
			attendance: 1,
			// What names or describes her is gone.
			versions: 0,
			cards: 0,
			learnerConflicts: 0,
			attendanceHistory: 0,
			// One more row: the devices' notice to forget her.
			log: ernaBefore.log + 1
		});
		const marks = await office.db
			.selectFrom('attendance')
			.select(['roster', 'status', 'note'])
			.where('learner_id', '=', erna)
			.execute();
		expect(marks).toEqual([{ roster: 'signed-up', status: 'present', note: '' }]);
		const kept = await office.db
			.selectFrom('progress_events')
			.select('id')
			.where('learner_id', '=', erna)
			.orderBy('id')
			.execute();
		expect(kept.map((e) => e.id)).toEqual([events[0]!.id, events[1]!.id, fromB.id].sort());
		const notice = await office.db
			.selectFrom('change_log')
			.select(['entity', 'entity_id', 'learner_id', 'location_id'])
			.where('entity', '=', 'learner-erased')
			.execute();
		expect(notice).toEqual([
			{ entity: 'learner-erased', entity_id: erna, learner_id: erna, location_id: null }
		]);
		// Nothing that names her anywhere in the office's database, in any table.
		expect(await tablesMentioning(office, 'Vogel')).toEqual([]);
		expect(await tablesMentioning(office, 'Tochter')).toEqual([]);

		// Bernd is untouched.
		expect(await officeCounts(office, bernd)).toEqual(berndBefore);
		expect(await learnerRow(office, bernd)).toMatchObject({
			name: 'Bernd Keller',
			avatar: 'moon',
			erased_at: null
		});
		const berndNote = await office.db
			.selectFrom('attendance')
			.select('note')
			.where('learner_id', '=', bernd)
			.executeTakeFirstOrThrow();
		expect(berndNote.note).toBe('Bernd bringt sein eigenes Tablet');

		expect(await auditRows(office, 'learner.erase')).toEqual([
			{ at: at.toISOString(), staff_id: w.adminId, target: erna, outcome: 'ok', details: '{}' }
		]);

		// Erasing again changes nothing and is not written down twice.
		later(w);
		expect(
			await eraseLearner(
				office.db,
				erna,
				{ staffId: w.adminId, reason: 'request' },
				new Date(w.time.now)
			)
		).toBe(false);
		expect(await auditRows(office, 'learner.erase')).toHaveLength(1);
		expect((await learnerRow(office, erna)).erased_at).toBe(at.toISOString());
		expect((await officeCounts(office, erna)).log).toBe(ernaBefore.log + 1);
		// Nor can anyone erase who is not there.
		expect(
			await eraseLearner(office.db, newLearnerId(), { staffId: w.adminId, reason: 'request' })
		).toBe(false);
		expect(await auditRows(office, 'learner.erase')).toHaveLength(1);
	});

	// Attendance disagreements keep both notes in full (`conflicts.kept` / `.other`), and pulls
	// send open ones to the place's tablets inside the attendance snapshot. This failed against
	// erase.ts as first written (it deleted only the learner's own conflicts); erase.ts now
	// deletes the attendance conflicts of "session/learner" too.
	it('leaves none of their staff notes in the disagreements between tablets', async () => {
		const w = await world(dialect);
		const { office } = w;
		const { a, b } = w.p;
		const erna = newLearnerId();
		await pushAccepted(office, a, [
			a.learner({ id: erna, fields: { name: 'Erna Vogelsang', avatar: 'sun', lang: 'de' } })
		]);
		const session = a.session({ locationId: w.p.id, by: w.p.volunteer });
		const sessionId = session.payload.id;
		const signUp = a.attendance({ sessionId, learnerId: erna, by: w.p.volunteer });
		await pushAccepted(office, a, [session, signUp]);
		// Two volunteers write a note on two tablets, neither having seen the other's.
		later(w);
		const noteA = a.attendance({
			sessionId,
			learnerId: erna,
			by: w.p.volunteer,
			fields: { note: 'Frau Vogelsang braucht eine Lesebrille' }
		});
		later(w);
		const noteB = b.attendance({
			sessionId,
			learnerId: erna,
			by: w.p.volunteer,
			fields: { note: 'Frau Vogelsang kommt mit ihrer Tochter' }
		});
		await pushAccepted(office, a, [noteA]);
		await pushAccepted(office, b, [noteB]);
		const flagged = await office.db
			.selectFrom('conflicts')
			.select(['entity', 'field'])
			.where('entity_id', '=', `${sessionId}/${erna}`)
			.execute();
		expect(flagged).toEqual([{ entity: 'attendance', field: 'note' }]);

		expect(await eraseLearner(office.db, erna, { staffId: w.adminId, reason: 'request' })).toBe(
			true
		);
		// A place tablet that syncs for the first time must not get the notes…
		const fresh = await pullAll(office, w.p.c);
		expect.soft(JSON.stringify(fresh.bodies)).not.toContain('Vogelsang');
		// …and the office must not keep them anywhere.
		expect.soft(await tablesMentioning(office, 'Vogelsang')).toEqual([]);
	});

	it('tells every tablet that holds the learner, which forgets all of theirs, pending changes too', async () => {
		const w = await world(dialect);
		const { office } = w;
		const nord1 = await placeTablet(w, w.p.id, 'nord-1');
		const actor: Actor = { device: nord1.device, staffId: w.p.volunteer, locationId: w.p.id };
		const erna = await nord1.newLearner('Erna Vogelsang');
		const bernd = await nord1.newLearner('Bernd Keller');
		await nord1.record(erna.id, 6);
		await nord1.record(bernd.id, 4);
		const [session] = await createSessions(nord1.db, actor, {
			title: 'Tablet-Treff',
			courseIds: ['tablet-basics'],
			date: '2026-12-01',
			start: '10:00',
			end: '11:30',
			room: 'Lesesaal',
			volunteerIds: [w.p.volunteer],
			capacity: 12,
			weeks: 1
		});
		await setAttendance(nord1.db, actor, session!.id, [erna.id, bernd.id], {
			roster: 'signed-up',
			status: 'present'
		});
		await setAttendance(nord1.db, actor, session!.id, [erna.id], {
			note: 'Frau Vogelsang hört schlecht'
		});
		await setAttendance(nord1.db, actor, session!.id, [bernd.id], { note: 'Bernd hilft gern' });
		expect(await nord1.sync()).toMatchObject({ outcome: 'ok', rejected: 0 });
		expect(await nord1.db.outbox.count()).toBe(0);
		// A second tablet of the place knows her too.
		const nord2 = await placeTablet(w, w.p.id, 'nord-2');
		expect(await nord2.sync()).toMatchObject({ outcome: 'ok', rejected: 0 });
		expect(await heldOn(nord2, erna.id)).toMatchObject({ learner: true, progress: 6 });
		expect((await heldOn(nord2, erna.id)).attendance).toBe(1);

		// Both tablets go on working offline, not knowing what the office is about to do.
		await nord1.record(erna.id, 2);
		await updateLearner(nord1.db, nord1.device, (await nord1.db.learners.get(erna.id))!, {
			avatar: 'moon'
		});
		await setAttendance(nord1.db, actor, session!.id, [erna.id], { status: 'late' });
		await saveDraft(
			nord1.db,
			{ learnerId: erna.id, courseId: 'tablet-basics', lessonId: 'typing' },
			'step-1',
			'Vogel'
		);
		await nord1.record(bernd.id, 2);
		await saveDraft(
			nord1.db,
			{ learnerId: bernd.id, courseId: 'tablet-basics', lessonId: 'typing' },
			'step-1',
			'Keller'
		);
		await nord2.record(erna.id, 1);
		const berndBefore = await heldOn(nord1, bernd.id);
		expect(berndBefore).toEqual({
			learner: true,
			progress: 6,
			lessonState: expect.any(Number),
			drafts: 1,
			attendance: 1,
			outbox: 2
		});
		const berndStates = await nord1.db.lessonState.where('learnerId').equals(bernd.id).toArray();
		expect(await heldOn(nord1, erna.id)).toMatchObject({ learner: true, drafts: 1, outbox: 4 });

		expect(await eraseLearner(office.db, erna.id, { staffId: w.adminId, reason: 'request' })).toBe(
			true
		);

		// nord-1 pulls (without pushing first): the notice, and nothing else.
		const cursor = ((await nord1.db.meta.get(CURSOR))?.value as string | undefined) ?? null;
		const reply = await nord1.link(PULL, {
			protocol: PROTOCOL_VERSION,
			deviceId: nord1.device.id,
			cursor,
			history: []
		});
		expect(reply.status).toBe(200);
		const body = reply.body as PullResponse;
		expect(body.changes).toEqual([{ entity: 'learner-erased', data: { id: erna.id } }]);
		await applyPulledPage(nord1.db, body.changes, body.cursor, null);
		expect(await heldOn(nord1, erna.id)).toEqual(NOTHING);
		expect(await deviceTablesMentioning(nord1, 'Vogel')).toEqual([]);
		// Bernd, his pending work and the session are untouched.
		expect(await heldOn(nord1, bernd.id)).toEqual(berndBefore);
		expect(await nord1.db.lessonState.where('learnerId').equals(bernd.id).toArray()).toEqual(
			berndStates
		);
		expect((await nord1.db.attendance.get([session!.id, bernd.id]))?.fields.note).toBe(
			'Bernd hilft gern'
		);
		expect(await nord1.db.sessions.get(session!.id)).toBeDefined();
		// The rest of the sync sends Bernd's work only.
		expect(await nord1.sync()).toMatchObject({ outcome: 'ok', accepted: 2, rejected: 0 });
		expect(await nord1.db.outbox.count()).toBe(0);

		// nord-2 syncs as usual: its event for her is refused, then it forgets her, and the
		// refused change with her.
		expect(await nord2.sync()).toMatchObject({ outcome: 'ok', accepted: 0, rejected: 1 });
		expect(await heldOn(nord2, erna.id)).toEqual(NOTHING);
		expect(await nord2.db.outbox.count()).toBe(0);
		expect(await deviceTablesMentioning(nord2, 'Vogel')).toEqual([]);
		expect(await heldOn(nord2, bernd.id)).toMatchObject({ learner: true, progress: 6 });
		const stored = await office.db
			.selectFrom('progress_events')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('learner_id', '=', erna.id)
			.executeTakeFirstOrThrow();
		expect(Number(stored.n)).toBe(6);

		// A new tablet of the place, syncing from the beginning, never sees her name or note.
		const nord3 = await placeTablet(w, w.p.id, 'nord-3');
		expect(await nord3.sync()).toMatchObject({ outcome: 'ok', rejected: 0 });
		const replies = JSON.stringify(nord3.calls.map((c) => c.reply));
		expect(replies).toContain('learner-erased');
		expect(replies).not.toContain('Vogel');
		expect(await heldOn(nord3, erna.id)).toEqual(NOTHING);
		expect(await deviceTablesMentioning(nord3, 'Vogel')).toEqual([]);
		expect(await heldOn(nord3, bernd.id)).toMatchObject({ learner: true, progress: 6 });
		// And the same from a plain pull, page by page, with the smallest pages.
		const fake = new FakeDevice();
		await enrol(w, w.p.id, fake.id);
		const pages: PullResponse[] = [];
		let at: string | null = null;
		for (let i = 0; i < 200; i++) {
			const r = await handlePull(office, wire(fake.pull(at, 1)));
			const page = wire(r.body) as PullResponse;
			pages.push(page);
			at = page.cursor;
			if (!page.more) break;
		}
		expect(JSON.stringify(pages)).not.toContain('Vogel');
		const learnersSent = pages.flatMap((p) =>
			p.changes.flatMap((c) => (c.entity === 'learner' ? [c.data.id] : []))
		);
		// Each page sends a profile once, in its latest form: Bernd's, never hers.
		expect([...new Set(learnersSent)]).toEqual([bernd.id]);
	});

	it('refuses what a tablet that had not heard yet sends for the learner, and stores none of it', async () => {
		const w = await world(dialect);
		const { office } = w;
		const { a, b } = w.p;
		const erna = newLearnerId();
		const bernd = newLearnerId();
		const created = a.learner({
			id: erna,
			fields: { name: 'Erna Vogelsang', avatar: 'sun', lang: 'de' }
		});
		const session = a.session({ locationId: w.p.id, by: w.p.volunteer });
		const sessionId = session.payload.id;
		const card = printCard(a, erna);
		await pushAccepted(office, a, [
			created,
			a.learner({ id: bernd, fields: { name: 'Bernd Keller', avatar: 'moon', lang: 'de' } }),
			session,
			a.attendance({ sessionId, learnerId: erna, by: w.p.volunteer }),
			a.progress(erna),
			card.mutation
		]);
		// Her own tablet at home, linked by her card.
		const home = new FakeDevice(() => w.time.now);
		value(
			await redeemCard(office, {
				code: card.code,
				deviceId: home.id,
				credential: null,
				address: '10.9.0.1'
			})
		);
		const bAt = (await pullAll(office, b)).cursor;
		const homeAt = (await pullAll(office, home)).cursor;

		later(w);
		expect(await eraseLearner(office.db, erna, { staffId: w.adminId, reason: 'request' })).toBe(
			true
		);
		const before = {
			erna: await officeCounts(office, erna),
			bernd: await officeCounts(office, bernd),
			row: await learnerRow(office, erna),
			mutations: await mutationCount(office)
		};

		later(w);
		const progress = b.progress(erna);
		const profile = b.learner({
			id: erna,
			fields: { name: 'Erna Vogelsang', consent: 'yes', ageGroup: '65-74' },
			base: { name: created.hlc }
		});
		// A whole profile, as a tablet would bring a learner the office never heard of.
		const whole = b.learner({ id: erna, fields: { name: 'Erna V.', avatar: 'sun', lang: 'de' } });
		const mark = b.attendance({
			sessionId,
			learnerId: erna,
			by: w.p.volunteer,
			fields: { status: 'present', note: 'Frau Vogelsang war pünktlich' }
		});
		const newCard = printCard(b, erna).mutation;
		const forBernd = b.progress(bernd);
		const fates = await push(office, b, [progress, profile, whole, mark, newCard, forBernd]);
		expect(fates).toEqual([
			{ id: progress.id, status: 'rejected', reason: ERASED },
			{ id: profile.id, status: 'rejected', reason: ERASED },
			{ id: whole.id, status: 'rejected', reason: ERASED },
			{ id: mark.id, status: 'rejected', reason: ERASED },
			{ id: newCard.id, status: 'rejected', reason: ERASED },
			// The rest of the batch goes through.
			{ id: forBernd.id, status: 'accepted' }
		]);
		const fromHome = home.progress(erna);
		expect(await push(office, home, [fromHome])).toEqual([
			{ id: fromHome.id, status: 'rejected', reason: ERASED }
		]);

		expect(await officeCounts(office, erna)).toEqual(before.erna);
		expect(await learnerRow(office, erna)).toEqual(before.row);
		expect(await officeCounts(office, bernd)).toEqual({
			...before.bernd,
			progress: before.bernd.progress + 1,
			log: before.bernd.log + 1
		});
		// Only Bernd's event was claimed (progress events are their own key: none for her).
		expect(await mutationCount(office)).toBe(before.mutations);
		expect(await tablesMentioning(office, 'Vogel')).toEqual([]);

		// Both devices hear of it at their next pull.
		const atB = await pullAll(office, b, bAt);
		expect(atB.changes.filter((c) => c.entity !== 'progress')).toEqual([
			{ entity: 'learner-erased', data: { id: erna } }
		]);
		const atHome = await pullAll(office, home, homeAt);
		expect(atHome.changes).toEqual([{ entity: 'learner-erased', data: { id: erna } }]);
		// And asking for her history brings nothing that names her.
		const asked = await pullAll(office, home, null, [erna]);
		expect(JSON.stringify(asked.bodies)).not.toContain('Vogel');
	});

	// PostgreSQL only (SQLite runs one writer at a time and cannot interleave like this): an
	// erasure that commits while a push waits for the learner's row must not be overwritten;
	// applyLearner looks at `erased_at` again once it holds the row.
	if (dialect === 'postgres')
		it('does not bring a name back when the erasure lands while a tablet’s push is under way', async () => {
			const w = await world(dialect);
			const { office } = w;
			const { a, b } = w.p;
			const erna = newLearnerId();
			const created = a.learner({
				id: erna,
				fields: { name: 'Erna Vogelsang', avatar: 'sun', lang: 'de' }
			});
			const session = a.session({ locationId: w.p.id, by: w.p.volunteer });
			await pushAccepted(office, a, [created, session]);
			later(w);
			// B edits the session (locks its row) and renames her, in one push.
			const edit = b.session({
				id: session.payload.id,
				locationId: w.p.id,
				by: w.p.volunteer,
				fields: { room: 'Raum 2' },
				base: { room: session.hlc }
			});
			const rename = b.learner({
				id: erna,
				fields: { name: 'Erna Vogelsang-Brandt' },
				base: { name: created.hlc }
			});
			const holder = new pg.Client({ connectionString: office.url });
			await holder.connect();
			try {
				await holder.query('begin');
				await holder.query('select id from training_sessions where id = $1 for update', [
					session.payload.id
				]);
				const pushing = push(office, b, [edit, rename]);
				// Wait until the push has passed its scope check and waits for the session's lock.
				let waiting = false;
				for (let i = 0; i < 500 && !waiting; i++) {
					const { rows } = await holder.query<{ n: string }>(
						`select count(*) as n from pg_stat_activity
						 where datname = current_database() and wait_event_type = 'Lock'`
					);
					waiting = Number(rows[0]!.n) > 0;
					if (!waiting) await new Promise((resolve) => setTimeout(resolve, 10));
				}
				expect(waiting).toBe(true);
				expect(await eraseLearner(office.db, erna, { staffId: w.adminId, reason: 'request' })).toBe(
					true
				);
				await holder.query('commit');
				await pushing;
			} finally {
				await holder.end();
			}
			expect(await learnerRow(office, erna)).toMatchObject({ name: '', avatar: 'erased' });
			expect((await officeCounts(office, erna)).versions).toBe(0);
		});

	describe('the city’s figures', () => {
		const FILTERS: ReportFilter[] = [
			{
				period: { from: '2026-01-01', to: '2026-03-31' },
				locationIds: [LIB, SEN],
				courseId: null,
				today: '2026-03-20'
			},
			{
				period: { from: '2026-01-01', to: '2026-03-31' },
				locationIds: [LIB, SEN],
				courseId: 'citizens-office-appointment',
				today: '2026-03-20'
			},
			{
				period: { from: '2025-10-01', to: '2026-04-30' },
				locationIds: [LIB, SEN, OFF],
				courseId: null,
				today: '2026-04-30'
			}
		];

		const reports = async (office: TestOffice) =>
			Promise.all(FILTERS.map((f) => buildReport(office.db, f)));

		it('are the same before and after erasing learners who never consented to be counted', async () => {
			const office = await open(dialect);
			await seedReportData(office.db);
			const before = await reports(office);
			// Gerd gave age and target group but no consent; Ilse gave nothing.
			for (const id of ['gerd', 'ilse']) {
				expect(await eraseLearner(office.db, id, { staffId: null, reason: 'request' })).toBe(true);
			}
			expect(await reports(office)).toEqual(before);
		});

		// Decided (docs/decisions.md): erasure takes the statistics answers with it, because the
		// person asked for their data to go. The activity figures stay; the table by attribute
		// loses them: for Q1 at LIB and SEN the 50-64 row (Hans) goes, 65-74 drops from 5 to
		// "< 5", older-resident and de from 6 to 5.
		it('keep every activity figure when learners who consented are erased; only their answers go', async () => {
			const office = await open(dialect);
			await seedReportData(office.db);
			const before = await reports(office);
			// Carla (consent, LIB, progress on her own device) and Hans (consent, SEN, own device).
			for (const id of ['carla', 'hans']) {
				expect(await eraseLearner(office.db, id, { staffId: null, reason: 'request' })).toBe(true);
			}
			const after = await reports(office);
			const activity = (r: Awaited<ReturnType<typeof reports>>) =>
				r.map(({ attributes: _attributes, ...figures }) => figures);
			// Sessions, hours, attendances, learners, new, returning, lessons and courses stay.
			expect(activity(after)).toEqual(activity(before));
			expect(after).not.toEqual(before);
			expect(after[0]!.attributes.ageGroup.some((row) => row.key === '50-64')).toBe(false);
		});
	});

	it('exports everything the office holds on a learner, cards without their codes', async () => {
		const office = await open(dialect);
		await insertPlace(office, 'loc-mitte', 'Stadtbibliothek Mitte');
		await insertPlace(office, 'loc-ost', 'Seniorentreff Ost');
		await insertLearner(office, {
			id: 'erna',
			name: 'Erna Vogelsang',
			avatar: 'owl',
			lang: 'de',
			createdAt: '2025-09-01T08:00:00.000Z',
			updatedAt: '2026-01-10T09:30:00.000Z',
			home: 'loc-mitte',
			consent: 'yes',
			age: '65-74',
			target: 'older-resident'
		});
		// Attributes stored, consent withdrawn: the export must not show them as statistics.
		await insertLearner(office, {
			id: 'gerd',
			name: 'Gerd Ohnezustimmung',
			createdAt: '2025-10-01T08:00:00.000Z',
			home: 'loc-ost',
			consent: '',
			age: '75-84',
			target: 'newcomer'
		});
		const h1 = formatHlc({ ms: Date.UTC(2025, 8, 1, 8), counter: 0, node: 'dev-mitte' });
		const h2 = formatHlc({ ms: Date.UTC(2026, 0, 10, 9, 30), counter: 0, node: 'dev-erna' });
		// Stored newest first: the export orders by clock.
		await office.db
			.insertInto('learner_versions')
			.values([
				{
					mutation_id: 'm-2',
					learner_id: 'erna',
					device_id: 'dev-erna',
					hlc: h2,
					fields: JSON.stringify({ name: 'Erna Vogelsang', consent: 'yes', ageGroup: '65-74' }),
					received_at: '2026-01-10T09:30:02.000Z'
				},
				{
					mutation_id: 'm-1',
					learner_id: 'erna',
					device_id: 'dev-mitte',
					hlc: h1,
					fields: JSON.stringify({ name: 'Erna', avatar: 'owl', lang: 'de' }),
					received_at: '2025-09-01T08:00:05.000Z'
				},
				{
					mutation_id: 'm-3',
					learner_id: 'gerd',
					device_id: 'dev-ost',
					hlc: h2,
					fields: JSON.stringify({ name: 'Gerd' }),
					received_at: '2026-01-10T09:30:02.000Z'
				}
			])
			.execute();
		await office.db
			.insertInto('learner_cards')
			.values([
				{
					code_hash: 'secret-digest-new',
					learner_id: 'erna',
					hlc: h2,
					issued_by_device: 'dev-erna',
					issued_at: '2026-01-10T09:31:00.000Z',
					revoked_at: null
				},
				{
					code_hash: 'secret-digest-old',
					learner_id: 'erna',
					hlc: h1,
					issued_by_device: 'dev-mitte',
					issued_at: '2025-09-01T08:10:00.000Z',
					revoked_at: '2026-01-10T09:31:00.000Z'
				}
			])
			.execute();
		await office.db
			.insertInto('location_learners')
			.values([
				{ location_id: 'loc-mitte', learner_id: 'erna' },
				{ location_id: 'loc-ost', learner_id: 'erna' },
				{ location_id: 'loc-ost', learner_id: 'gerd' }
			])
			.execute();
		const device = (id: string, kind: 'location' | 'personal', name: string | null) => ({
			id,
			first_seen_at: SEEDED,
			last_seen_at: SEEDED,
			last_seq: 0,
			gaps: '[]',
			outbox_size: null,
			outbox_oldest_age_s: null,
			kind,
			location_id: kind === 'location' ? 'loc-mitte' : null,
			name,
			credential_hash: null,
			enrolled_at: SEEDED,
			enrolled_by: null,
			revoked_at: null,
			revoked_by: null
		});
		await office.db
			.insertInto('devices')
			.values([
				device('dev-mitte', 'location', 'Tablet Lesesaal'),
				device('dev-erna', 'personal', null),
				device('dev-ost', 'location', 'Tablet Ost')
			])
			.execute();
		await office.db
			.insertInto('device_learners')
			.values([
				{ device_id: 'dev-mitte', learner_id: 'erna' },
				{ device_id: 'dev-erna', learner_id: 'erna' },
				{ device_id: 'dev-ost', learner_id: 'gerd' }
			])
			.execute();
		await insertSession(office, {
			id: 's-jan',
			place: 'loc-mitte',
			date: '2026-01-14',
			title: 'Tablet-Sprechstunde',
			start: '10:00',
			end: '11:30'
		});
		await insertSession(office, {
			id: 's-nov',
			place: 'loc-ost',
			date: '2025-11-05',
			title: 'Treff Ost',
			start: '14:00',
			end: '15:00'
		});
		await insertAttendance(office, {
			session: 's-jan',
			learner: 'erna',
			status: 'present',
			roster: 'signed-up',
			note: 'Braucht eine Lesebrille'
		});
		await insertAttendance(office, {
			session: 's-nov',
			learner: 'erna',
			status: 'late',
			roster: 'walk-in'
		});
		await insertAttendance(office, { session: 's-nov', learner: 'gerd' });
		const e1 = Date.UTC(2025, 10, 5, 14, 20);
		const e2 = Date.UTC(2026, 0, 14, 10, 15);
		const e3 = Date.UTC(2026, 0, 20, 19, 0);
		// Stored out of clock order too.
		const s3 = await insertEvent(office, {
			id: 'ev-3',
			learner: 'erna',
			ms: e3,
			device: 'dev-erna',
			lesson: 'keyboard',
			type: 'step-completed',
			step: 'find-keys',
			attempts: 3,
			receivedAt: '2026-01-20T19:05:00.000Z'
		});
		const s1 = await insertEvent(office, {
			id: 'ev-1',
			learner: 'erna',
			ms: e1,
			device: 'dev-ost',
			lesson: 'tapping',
			attempts: null,
			receivedAt: '2025-11-05T14:21:00.000Z'
		});
		const s2 = await insertEvent(office, {
			id: 'ev-2',
			learner: 'erna',
			ms: e2,
			device: 'dev-mitte',
			lesson: 'scrolling',
			attempts: null,
			receivedAt: '2026-01-14T10:16:00.000Z'
		});
		await insertEvent(office, { id: 'ev-g', learner: 'gerd', ms: e2, device: 'dev-ost' });

		const started = Date.now();
		const data = await exportLearner(office.db, 'erna');
		expect(data).not.toBeNull();
		const sortedBy = <T>(list: T[], key: (t: T) => string) =>
			[...list].sort((x, y) => key(x).localeCompare(key(y)));
		expect({
			...data!,
			places: [...data!.places].sort(),
			devices: sortedBy(data!.devices, (d) => d.name ?? '')
		}).toEqual({
			exportedAt: expect.any(String),
			learner: {
				id: 'erna',
				name: 'Erna Vogelsang',
				picture: 'owl',
				language: 'de',
				createdAt: '2025-09-01T08:00:00.000Z',
				updatedAt: '2026-01-10T09:30:00.000Z',
				erasedAt: null,
				statistics: { consent: true, ageGroup: '65-74', targetGroup: 'older-resident' }
			},
			profileHistory: [
				{ at: '2025-09-01T08:00:05.000Z', fields: { name: 'Erna', avatar: 'owl', lang: 'de' } },
				{
					at: '2026-01-10T09:30:02.000Z',
					fields: { name: 'Erna Vogelsang', consent: 'yes', ageGroup: '65-74' }
				}
			],
			cards: [
				{ issued_at: '2025-09-01T08:10:00.000Z', revoked_at: '2026-01-10T09:31:00.000Z' },
				{ issued_at: '2026-01-10T09:31:00.000Z', revoked_at: null }
			],
			places: ['Seniorentreff Ost', 'Stadtbibliothek Mitte'],
			devices: [
				{ name: null, kind: 'personal' },
				{ name: 'Tablet Lesesaal', kind: 'location' }
			],
			attendance: [
				{
					date: '2025-11-05',
					start_time: '14:00',
					end_time: '15:00',
					title: 'Treff Ost',
					place: 'Seniorentreff Ost',
					roster: 'walk-in',
					status: 'late',
					note: ''
				},
				{
					date: '2026-01-14',
					start_time: '10:00',
					end_time: '11:30',
					title: 'Tablet-Sprechstunde',
					place: 'Stadtbibliothek Mitte',
					roster: 'signed-up',
					status: 'present',
					note: 'Braucht eine Lesebrille'
				}
			],
			progress: [
				{
					course_id: 'tablet-basics',
					lesson_id: 'tapping',
					step_id: null,
					type: 'lesson-completed',
					attempts: null,
					hlc: s1,
					received_at: '2025-11-05T14:21:00.000Z',
					at: '2025-11-05T14:20:00.000Z'
				},
				{
					course_id: 'tablet-basics',
					lesson_id: 'scrolling',
					step_id: null,
					type: 'lesson-completed',
					attempts: null,
					hlc: s2,
					received_at: '2026-01-14T10:16:00.000Z',
					at: '2026-01-14T10:15:00.000Z'
				},
				{
					course_id: 'tablet-basics',
					lesson_id: 'keyboard',
					step_id: 'find-keys',
					type: 'step-completed',
					attempts: 3,
					hlc: s3,
					received_at: '2026-01-20T19:05:00.000Z',
					at: '2026-01-20T19:00:00.000Z'
				}
			]
		});
		const exportedAt = Date.parse(data!.exportedAt);
		expect(exportedAt).toBeGreaterThanOrEqual(started - 1000);
		expect(exportedAt).toBeLessThanOrEqual(Date.now() + 1000);
		// Never a card's code (not even its digest), never another learner's data.
		const text = JSON.stringify(data);
		expect(text).not.toContain('secret-digest');
		expect(text).not.toContain('Gerd');
		expect(text).not.toContain('ev-g');

		// Without consent: no attributes, though they are stored.
		const gerd = await exportLearner(office.db, 'gerd');
		expect(gerd!.learner.statistics).toEqual({ consent: false });
		expect(JSON.stringify(gerd)).not.toContain('75-84');
		expect(gerd!.cards).toEqual([]);
		expect(gerd!.places).toEqual(['Seniorentreff Ost']);
		expect(gerd!.devices).toEqual([{ name: 'Tablet Ost', kind: 'location' }]);
		expect(gerd!.progress.map((p) => p.hlc)).toHaveLength(1);

		expect(await exportLearner(office.db, 'nobody')).toBeNull();

		// After erasure the export shows what is left: no name, history, cards or notes.
		const at = new Date('2026-02-01T12:00:00.000Z');
		expect(await eraseLearner(office.db, 'erna', { staffId: null, reason: 'request' }, at)).toBe(
			true
		);
		const left = await exportLearner(office.db, 'erna');
		expect(left!.learner).toEqual({
			id: 'erna',
			name: '',
			picture: 'erased',
			language: 'de',
			createdAt: '2025-09-01T08:00:00.000Z',
			updatedAt: at.toISOString(),
			erasedAt: at.toISOString(),
			statistics: { consent: false }
		});
		expect(left!.profileHistory).toEqual([]);
		expect(left!.cards).toEqual([]);
		expect(left!.attendance.map((x) => x.note)).toEqual(['', '']);
		expect(left!.progress.map((p) => p.hlc)).toEqual([s1, s2, s3]);
	});

	it('erases after the retention period exactly those with no activity in it', async () => {
		const office = await open(dialect);
		const staffId = uuidv7();
		const now = new Date('2026-06-15T12:00:00.000Z');
		const monthsAgo = (months: number) => new Date(Date.UTC(2026, 5 - months, 15, 12));
		const iso = (months: number) => monthsAgo(months).toISOString();
		const day = (months: number) => iso(months).slice(0, 10);
		await insertPlace(office, 'loc-mitte', 'Stadtbibliothek Mitte');
		await insertSession(office, { id: 's-13', place: 'loc-mitte', date: day(13) });
		await insertSession(office, { id: 's-11', place: 'loc-mitte', date: day(11) });

		// Everything 13 months old: past a 12-month period.
		await insertLearner(office, { id: 'old', name: 'Alt', createdAt: iso(13) });
		await insertAttendance(office, { session: 's-13', learner: 'old' });
		await insertEvent(office, { id: 'ev-old', learner: 'old', ms: monthsAgo(13).getTime() });
		// Made 13 months ago and never seen again.
		await insertLearner(office, { id: 'idle', name: 'Ruhig', createdAt: iso(13) });
		// Signed up but absent 13 months ago: any roster line counts as activity, and it is old.
		await insertLearner(office, { id: 'absent', name: 'Fern', createdAt: iso(13) });
		await insertAttendance(office, { session: 's-13', learner: 'absent', status: 'absent' });
		// Active 11 months ago, each in one way only.
		await insertLearner(office, { id: 'attended', name: 'Besuch', createdAt: iso(13) });
		await insertAttendance(office, { session: 's-13', learner: 'attended' });
		await insertAttendance(office, { session: 's-11', learner: 'attended' });
		await insertEvent(office, { id: 'ev-att', learner: 'attended', ms: monthsAgo(13).getTime() });
		await insertLearner(office, { id: 'learned', name: 'Lernt', createdAt: iso(13) });
		await insertAttendance(office, { session: 's-13', learner: 'learned' });
		await insertEvent(office, {
			id: 'ev-learned',
			learner: 'learned',
			ms: monthsAgo(11).getTime(),
			device: 'dev-home'
		});
		await insertLearner(office, {
			id: 'renamed',
			name: 'Neu',
			createdAt: iso(13),
			updatedAt: iso(11)
		});
		await insertAttendance(office, { session: 's-13', learner: 'renamed' });
		// Just either side of the cut-off, by the progress clock.
		const cutoff = monthsAgo(12).getTime();
		await insertLearner(office, { id: 'just-before', name: 'Knapp', createdAt: iso(13) });
		await insertEvent(office, { id: 'ev-before', learner: 'just-before', ms: cutoff - MINUTE });
		await insertLearner(office, { id: 'just-after', name: 'Gerade', createdAt: iso(13) });
		await insertEvent(office, { id: 'ev-after', learner: 'just-after', ms: cutoff + MINUTE });
		// Already erased: not again.
		await insertLearner(office, {
			id: 'gone',
			name: '',
			createdAt: iso(20),
			erasedAt: iso(14)
		});

		const past = (await learnersPastRetention(office.db, 12, now)).sort();
		expect(past).toEqual(['absent', 'idle', 'just-before', 'old']);

		// Unset: 24 months, and nobody here is that old yet.
		expect(await retentionMonths(office.db)).toBe(24);
		expect(await applyRetention(office.db, now)).toBe(0);
		expect(await auditRows(office, 'learner.retention-erase')).toEqual([]);

		await setRetentionMonths(office.db, 18, staffId);
		expect(await retentionMonths(office.db)).toBe(18);
		await setRetentionMonths(office.db, 12, staffId);
		expect(await retentionMonths(office.db)).toBe(12);
		const meta = await office.db
			.selectFrom('server_meta')
			.select(['key', 'value'])
			.where('key', '=', 'retentionMonths')
			.execute();
		expect(meta).toEqual([{ key: 'retentionMonths', value: '12' }]);
		expect(
			(await auditRows(office, 'retention.set')).map((r) => ({
				staff_id: r.staff_id,
				details: JSON.parse(r.details) as unknown
			}))
		).toEqual([
			{ staff_id: staffId, details: { months: 18 } },
			{ staff_id: staffId, details: { months: 12 } }
		]);

		expect(await applyRetention(office.db, now)).toBe(4);
		const audits = await auditRows(office, 'learner.retention-erase');
		expect(
			audits
				.map((r) => ({ ...r, details: undefined }))
				.sort((x, y) => x.target!.localeCompare(y.target!))
		).toEqual(
			['absent', 'idle', 'just-before', 'old'].map((target) => ({
				at: now.toISOString(),
				staff_id: null,
				target,
				outcome: 'ok',
				details: undefined
			}))
		);
		const rows = await office.db
			.selectFrom('learners')
			.select(['id', 'name', 'erased_at'])
			.orderBy('id')
			.execute();
		const erasedNow = ['absent', 'idle', 'just-before', 'old'];
		const keptNamed: Record<string, string> = {
			attended: 'Besuch',
			'just-after': 'Gerade',
			learned: 'Lernt',
			renamed: 'Neu'
		};
		for (const row of rows) {
			if (row.id === 'gone') {
				expect(row).toEqual({ id: 'gone', name: '', erased_at: iso(14) });
			} else if (erasedNow.includes(row.id)) {
				expect(row).toEqual({ id: row.id, name: '', erased_at: now.toISOString() });
			} else {
				expect(row).toEqual({ id: row.id, name: keptNamed[row.id], erased_at: null });
			}
		}
		// Their activity stays.
		const events = await office.db.selectFrom('progress_events').select('id').execute();
		expect(events).toHaveLength(5);

		// Running it again (another instance, the next night) erases nobody more.
		expect(await learnersPastRetention(office.db, 12, now)).toEqual([]);
		expect(await applyRetention(office.db, now)).toBe(0);
		expect(await auditRows(office, 'learner.retention-erase')).toHaveLength(4);

		// 0 months: keep until erased by hand, even when everyone is long past any period.
		await setRetentionMonths(office.db, 0, staffId);
		expect(await retentionMonths(office.db)).toBe(0);
		const muchLater = new Date('2031-01-01T00:00:00.000Z');
		expect((await learnersPastRetention(office.db, 12, muchLater)).sort()).toEqual(
			Object.keys(keptNamed).sort()
		);
		expect(await applyRetention(office.db, muchLater)).toBe(0);
		expect(await auditRows(office, 'learner.retention-erase')).toHaveLength(4);
		const stillNamed = await office.db
			.selectFrom('learners')
			.select('id')
			.where('erased_at', 'is', null)
			.execute();
		expect(stillNamed).toHaveLength(4);
	});

	describe('finding a learner', () => {
		async function seedNames(office: TestOffice) {
			await insertPlace(office, 'loc-mitte', 'Stadtbibliothek Mitte');
			await insertSession(office, { id: 's-jan', place: 'loc-mitte', date: '2026-01-14' });
			await insertSession(office, { id: 's-feb', place: 'loc-mitte', date: '2026-02-11' });
			const names: [string, string, string | null][] = [
				['erna', 'Erna Vogelsang', 'loc-mitte'],
				['erna-2', 'ERNA MÜLLER', null],
				['bernd', 'Bernd Ernst', 'loc-mitte'],
				['percent', '100% Oma', null],
				['underscore', 'Anna_Lena', null],
				['x-between', 'Annaxlena', null],
				['backslash', 'Back\\slash', null],
				['plain', 'Oma Hilde', null]
			];
			for (const [id, name, home] of names) {
				await insertLearner(office, { id, name, home, createdAt: '2025-05-01T00:00:00.000Z' });
			}
			// A row erased with its name still in it (as if by an older version): never found.
			await insertLearner(office, {
				id: 'erased',
				name: 'Erna Gelöscht',
				erasedAt: '2026-01-01T00:00:00.000Z'
			});
			await insertAttendance(office, { session: 's-jan', learner: 'erna' });
			await insertAttendance(office, { session: 's-feb', learner: 'erna', status: 'absent' });
		}

		const names = (hits: { name: string }[]) => hits.map((h) => h.name).sort();

		it('by part of the name, in any case, with % and _ taken literally, never the erased', async () => {
			const office = await open(dialect);
			await seedNames(office);

			expect(names(await findLearners(office.db, 'erna'))).toEqual([
				'ERNA MÜLLER',
				'Erna Vogelsang'
			]);
			expect(names(await findLearners(office.db, '  eRnA '))).toEqual([
				'ERNA MÜLLER',
				'Erna Vogelsang'
			]);
			expect(names(await findLearners(office.db, 'ern'))).toEqual([
				'Bernd Ernst',
				'ERNA MÜLLER',
				'Erna Vogelsang'
			]);
			expect(names(await findLearners(office.db, 'VOGELS'))).toEqual(['Erna Vogelsang']);
			const [hit] = await findLearners(office.db, 'vogelsang');
			expect(hit).toEqual({
				id: 'erna',
				name: 'Erna Vogelsang',
				place: 'Stadtbibliothek Mitte',
				createdAt: '2025-05-01T00:00:00.000Z',
				lastSession: '2026-02-11'
			});
			const [noPlace] = await findLearners(office.db, 'erna m');
			expect(noPlace).toMatchObject({ id: 'erna-2', place: null, lastSession: null });

			// Wildcards are letters like any other.
			expect(names(await findLearners(office.db, '%'))).toEqual(['100% Oma']);
			expect(names(await findLearners(office.db, '0% o'))).toEqual(['100% Oma']);
			expect(names(await findLearners(office.db, '_'))).toEqual(['Anna_Lena']);
			expect(names(await findLearners(office.db, 'anna_lena'))).toEqual(['Anna_Lena']);
			expect(names(await findLearners(office.db, 'k\\s'))).toEqual(['Back\\slash']);
			expect(names(await findLearners(office.db, '\\'))).toEqual(['Back\\slash']);
			expect(await findLearners(office.db, 'nobody here')).toEqual([]);

			// The erased are never found, neither by their old name nor by an empty search.
			expect(names(await findLearners(office.db, 'gelöscht'))).toEqual([]);
			expect(await eraseLearner(office.db, 'erna', { staffId: null, reason: 'request' })).toBe(
				true
			);
			expect(names(await findLearners(office.db, 'erna'))).toEqual(['ERNA MÜLLER']);
			const everyone = await findLearners(office.db, '');
			expect(everyone.map((h) => h.id).sort()).toEqual(
				['erna-2', 'bernd', 'percent', 'underscore', 'x-between', 'backslash', 'plain'].sort()
			);
		});

		it('gives at most 50, in order of name', async () => {
			const office = await open(dialect);
			await seedNames(office);
			for (let i = 60; i >= 1; i--) {
				await insertLearner(office, { id: `z-${i}`, name: `Zora ${String(i).padStart(2, '0')}` });
			}
			const hits = await findLearners(office.db, 'zora');
			expect(hits).toHaveLength(50);
			expect(hits.map((h) => h.name)).toEqual(
				Array.from({ length: 50 }, (_, i) => `Zora ${String(i + 1).padStart(2, '0')}`)
			);
			expect(await findLearners(office.db, '')).toHaveLength(50);
		});

		// BUG on SQLite (see the report): learners.ts line 34 compares `lower(l.name)` with the
		// query lower-cased in JavaScript. SQLite's lower() folds ASCII letters only, so a name
		// with a capital umlaut (Ö, Ä, Ü) is not found by the same name typed in lower case.
		it('by a name with umlauts typed in any case', async () => {
			const office = await open(dialect);
			await insertLearner(office, { id: 'oezlem', name: 'Özlem Ünal' });
			await insertLearner(office, { id: 'juergen', name: 'JÜRGEN ÄRMEL' });
			await insertLearner(office, { id: 'hans', name: 'Hans Müller' });
			expect.soft(names(await findLearners(office.db, 'özlem'))).toEqual(['Özlem Ünal']);
			expect.soft(names(await findLearners(office.db, 'ünal'))).toEqual(['Özlem Ünal']);
			expect.soft(names(await findLearners(office.db, 'jürgen ärmel'))).toEqual(['JÜRGEN ÄRMEL']);
			// A lower-case umlaut in the name is found however it is typed: only capitals fail.
			expect(names(await findLearners(office.db, 'MÜLLER'))).toEqual(['Hans Müller']);
		});
	});
});
