/**
 * Training sessions and attendance on a real SQLite and a real PostgreSQL: only a place's own
 * tablets, in the hands of a volunteer of that place, edit its sessions; edits merge field by
 * field whatever order they arrive in, disagreements are kept for the volunteers to see, and
 * nothing of a place's sessions or staff notes reaches another place or a learner's own device.
 */
import fc from 'fast-check';
import { v7 as uuidv7 } from 'uuid';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { redeemCard } from '../../src/lib/server/auth/cards';
import { createEnrolmentCode, enrolDevice } from '../../src/lib/server/auth/devices';
import { createLocation } from '../../src/lib/server/auth/locations';
import type { Outcome } from '../../src/lib/server/auth/outcome';
import { createStaff, updateStaff } from '../../src/lib/server/auth/staff';
import { digest, newCode } from '../../src/lib/server/auth/tokens';
import { handlePull } from '../../src/lib/server/sync/pull';
import { handlePush } from '../../src/lib/server/sync/push';
import type { AttendanceStatus } from '../../src/lib/domain/sessions/attendance';
import type { Change, MutationFate, PullResponse, PushResponse } from '../../src/lib/sync/protocol';
import type {
	AttendanceSnapshot,
	SessionPayload,
	SessionSnapshot
} from '../../src/lib/sync/sessions';
import { DIALECTS, freshOffice, type TestOffice } from './support/databases';
import { FakeDevice, newLearnerId } from './support/factories';

// Light password hashing: these tests make staff accounts but are not about passwords.
vi.mock('argon2', (original) =>
	import('./support/light-argon2').then((m) => m.lightArgon2(original))
);

const PASSWORD = 'volunteer helps at the desk';
const MINUTE = 60_000;
const NOT_OF_TABLET = 'session: not a session of this tablet’s place';
const NOT_VOLUNTEER = 'by: not a volunteer of this place';

const offices: TestOffice[] = [];
afterEach(async () => {
	for (const office of offices.splice(0)) await office.dispose();
});

function value<T>(outcome: Outcome<T>): T {
	if (!outcome.ok) throw new Error(`expected success, got ${outcome.problem}`);
	return outcome.value;
}

/** JSON both ways, as on the network. */
const wire = <T>(body: T): T => JSON.parse(JSON.stringify(body)) as T;

interface World {
	office: TestOffice;
	adminId: string;
	/** The wall clock of every tablet; tests move it on. */
	time: { now: number };
	/** Place P: its volunteer and three of its tablets. */
	p: { id: string; volunteer: string; a: FakeDevice; b: FakeDevice; c: FakeDevice };
	/** Place Q: its volunteer and one tablet. */
	q: { id: string; volunteer: string; tablet: FakeDevice };
}

/** An office with an admin and two libraries, each with a volunteer and enrolled tablets. */
async function world(dialect: (typeof DIALECTS)[number]): Promise<World> {
	const office = await freshOffice(dialect);
	offices.push(office);
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
	const place = async (name: string) =>
		value(
			await createLocation(office, { name, kind: 'library', address: '' }, { staffId: adminId })
		).id;
	const tablet = async (locationId: string) => {
		const device = new FakeDevice(() => time.now);
		const { code } = value(await createEnrolmentCode(office, locationId, { staffId: adminId }));
		value(
			await enrolDevice(office, {
				code,
				deviceId: device.id,
				name: 'Tablet',
				address: '10.1.0.1'
			})
		);
		return device;
	};
	const p = await place('Bibliothek Nord');
	const q = await place('Bibliothek Süd');
	const w = { office, adminId, time } as World;
	w.p = {
		id: p,
		volunteer: await addStaff(w, 'nord@stadt.example', 'volunteer', [p]),
		a: await tablet(p),
		b: await tablet(p),
		c: await tablet(p)
	};
	w.q = {
		id: q,
		volunteer: await addStaff(w, 'sued@stadt.example', 'volunteer', [q]),
		tablet: await tablet(q)
	};
	return w;
}

async function addStaff(
	w: Pick<World, 'office' | 'adminId'>,
	email: string,
	role: 'volunteer' | 'coordinator',
	locationIds: string[]
): Promise<string> {
	return value(
		await createStaff(
			w.office,
			{ email, name: 'Staff Member', role, locationIds, password: PASSWORD },
			{ staffId: w.adminId }
		)
	).id;
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

/** Pushes and expects every mutation accepted. */
async function pushAccepted(office: TestOffice, device: FakeDevice, mutations: { id: string }[]) {
	expect(await push(office, device, mutations)).toEqual(
		mutations.map((m) => ({ id: m.id, status: 'accepted' }))
	);
}

async function pushRejected(
	office: TestOffice,
	device: FakeDevice,
	mutation: { id: string },
	reason: string
) {
	expect(await push(office, device, [mutation])).toEqual([
		{ id: mutation.id, status: 'rejected', reason }
	]);
}

/** Every page from `cursor` on; `history` is asked for with the first page. */
async function pullAll(
	office: TestOffice,
	device: FakeDevice,
	cursor: string | null = null,
	history: string[] = []
) {
	const changes: Change[] = [];
	let first: PullResponse['history'] | null = null;
	const bodies: PullResponse[] = [];
	for (let page = 0; page < 100; page++) {
		const request = { ...device.pull(cursor), ...(page === 0 ? { history } : {}) };
		const reply = await handlePull(office, wire(request));
		expect(reply.status).toBe(200);
		const body = wire(reply.body) as PullResponse;
		bodies.push(body);
		first ??= body.history;
		changes.push(...body.changes);
		cursor = body.cursor;
		if (!body.more) break;
	}
	return { changes, cursor, history: first!, bodies };
}

function dataOf<E extends Change['entity']>(changes: Change[], entity: E) {
	type Data = Extract<Change, { entity: E }>['data'];
	return changes.flatMap((c) => (c.entity === entity ? [c.data as Data] : []));
}

type Counted =
	| 'training_sessions'
	| 'attendance'
	| 'session_history'
	| 'conflicts'
	| 'mutations'
	| 'location_learners';

async function count(office: TestOffice, table: Counted): Promise<number> {
	const row = await office.db
		.selectFrom(table)
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

/** What the office holds about sessions, for "nothing was stored" checks. */
async function stored(office: TestOffice) {
	const log = await office.db
		.selectFrom('change_log')
		.select('entity')
		.where('entity', 'in', ['session', 'attendance'])
		.execute();
	return {
		sessions: await count(office, 'training_sessions'),
		attendance: await count(office, 'attendance'),
		history: await count(office, 'session_history'),
		conflicts: await count(office, 'conflicts'),
		mutations: await count(office, 'mutations'),
		placeLearners: await count(office, 'location_learners'),
		logged: log.length
	};
}

/** A learner made on `tablet` (and so belonging to its place). */
async function newLearner(w: World, tablet: FakeDevice): Promise<string> {
	const id = newLearnerId();
	await pushAccepted(w.office, tablet, [tablet.learner({ id })]);
	return id;
}

/** A session of P made on tablet a by P's volunteer. */
async function newSession(w: World, overrides: { by?: string } = {}) {
	const made = w.p.a.session({ locationId: w.p.id, by: overrides.by ?? w.p.volunteer });
	await pushAccepted(w.office, w.p.a, [made]);
	return made;
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

/** A learner's own tablet at home: a card printed on `tablet`, entered on a new device. */
async function personalDevice(w: World, tablet: FakeDevice, learnerId: string) {
	const card = printCard(tablet, learnerId);
	await pushAccepted(w.office, tablet, [card.mutation]);
	const home = new FakeDevice(() => w.time.now);
	value(
		await redeemCard(w.office, {
			code: card.code,
			deviceId: home.id,
			credential: null,
			address: '10.9.0.1'
		})
	);
	const row = await w.office.db
		.selectFrom('devices')
		.select(['kind', 'location_id'])
		.where('id', '=', home.id)
		.executeTakeFirstOrThrow();
	expect(row).toEqual({ kind: 'personal', location_id: null });
	return home;
}

/** Every field of a mutation stamped with that mutation's clock. */
function stampsOf(fields: object, hlc: string): Record<string, string> {
	return Object.fromEntries(Object.keys(fields).map((f) => [f, hlc]));
}

async function attendanceRow(office: TestOffice, sessionId: string, learnerId: string) {
	const row = await office.db
		.selectFrom('attendance')
		.select(['roster', 'status', 'note', 'help_seen', 'stamps'])
		.where('session_id', '=', sessionId)
		.where('learner_id', '=', learnerId)
		.executeTakeFirstOrThrow();
	return { ...row, stamps: JSON.parse(row.stamps) as Record<string, string> };
}

async function conflictsOf(office: TestOffice, entityId: string) {
	const rows = await office.db
		.selectFrom('conflicts')
		.select(['entity', 'field', 'kept', 'other', 'resolved_at'])
		.where('entity_id', '=', entityId)
		.orderBy('id')
		.execute();
	return rows.map((r) => ({ ...r, kept: JSON.parse(r.kept), other: JSON.parse(r.other) }));
}

async function historyOf(office: TestOffice, entityId: string) {
	const rows = await office.db
		.selectFrom('session_history')
		.select(['mutation_id', 'entity', 'device_id', 'staff_id', 'hlc', 'fields'])
		.where('entity_id', '=', entityId)
		.execute();
	return rows
		.map((r) => ({ ...r, fields: JSON.parse(r.fields) as Record<string, string> }))
		.sort((x, y) => (x.hlc < y.hlc ? -1 : 1));
}

describe.each(DIALECTS)('training sessions on %s', { timeout: 60_000 }, (dialect) => {
	it('serves a session made on a place’s tablet to its other tablets, and to no one else', async () => {
		const w = await world(dialect);
		const { a, b } = w.p;
		const learner = await newLearner(w, a);
		const home = await personalDevice(w, a, learner);

		const made = a.session({ locationId: w.p.id, by: w.p.volunteer });
		await pushAccepted(w.office, a, [made]);

		const expected: SessionSnapshot = {
			id: made.payload.id,
			locationId: w.p.id,
			seriesId: null,
			seriesIndex: null,
			fields: {
				title: 'Tablet-Sprechstunde',
				courseIds: 'tablet-basics',
				date: '2026-12-01',
				start: '10:00',
				end: '11:30',
				room: 'Lesesaal',
				volunteerIds: w.p.volunteer,
				capacity: '12',
				status: 'planned'
			},
			stamps: stampsOf(made.payload.fields, made.hlc),
			createdBy: w.p.volunteer,
			createdAt: made.payload.createdAt
		};
		expect(dataOf((await pullAll(w.office, b)).changes, 'session')).toEqual([expected]);
		// The tablet that made it hears of it too (it may have lost its own copy).
		expect(dataOf((await pullAll(w.office, a)).changes, 'session')).toEqual([expected]);

		// Another place's tablet gets nothing at all; the learner's own device gets the learner only.
		expect((await pullAll(w.office, w.q.tablet)).changes).toEqual([]);
		const atHome = (await pullAll(w.office, home)).changes;
		expect(atHome.map((c) => c.entity)).toEqual(['learner']);
		expect(dataOf(atHome, 'learner')[0]).toMatchObject({ id: learner });
		// A device nobody enrolled gets nothing either.
		expect((await pullAll(w.office, new FakeDevice())).changes).toEqual([]);
	});

	it('refuses session edits from the wrong place, person or shape, and stores nothing', async () => {
		const w = await world(dialect);
		const { a } = w.p;
		const existing = await newSession(w);
		const gone = await addStaff(w, 'gone@stadt.example', 'volunteer', [w.p.id]);
		value(
			await updateStaff(
				w.office,
				gone,
				{
					email: 'gone@stadt.example',
					name: 'Staff Member',
					role: 'volunteer',
					locationIds: [w.p.id],
					disabled: true
				},
				{ staffId: w.adminId }
			)
		);
		const before = await stored(w.office);
		expect(before).toMatchObject({ sessions: 1, history: 1, attendance: 0, logged: 1 });

		const full = existing.payload.fields;
		const loose = new FakeDevice();
		const cases: { what: string; device: FakeDevice; mutation: { id: string }; reason: string }[] =
			[
				{
					what: 'a tablet of another place, for this place',
					device: w.q.tablet,
					mutation: w.q.tablet.session({ locationId: w.p.id, by: w.p.volunteer }),
					reason: NOT_OF_TABLET
				},
				{
					what: 'a device no office enrolled',
					device: loose,
					mutation: loose.session({ locationId: w.p.id, by: w.p.volunteer }),
					reason: NOT_OF_TABLET
				},
				{
					what: 'a volunteer of another place',
					device: a,
					mutation: a.session({ locationId: w.p.id, by: w.q.volunteer }),
					reason: NOT_VOLUNTEER
				},
				{
					what: 'a disabled volunteer of this place',
					device: a,
					mutation: a.session({ locationId: w.p.id, by: gone }),
					reason: NOT_VOLUNTEER
				},
				{
					what: 'someone the office does not know',
					device: a,
					mutation: a.session({ locationId: w.p.id, by: uuidv7() }),
					reason: NOT_VOLUNTEER
				},
				{
					what: 'a new session without room and capacity',
					device: a,
					mutation: a.session({
						locationId: w.p.id,
						by: w.p.volunteer,
						fields: { ...full, room: undefined, capacity: undefined }
					}),
					reason: 'payload.fields: a new session needs room, capacity'
				},
				{
					what: 'a new session ending before it starts',
					device: a,
					mutation: a.session({
						locationId: w.p.id,
						by: w.p.volunteer,
						fields: { ...full, start: '10:00', end: '09:30' }
					}),
					reason: 'payload.fields: end before-start'
				},
				{
					what: 'another place taking over an existing session',
					device: w.q.tablet,
					mutation: w.q.tablet.session({
						id: existing.payload.id,
						locationId: w.q.id,
						by: w.q.volunteer,
						fields: { room: 'Keller' }
					}),
					reason: 'locationId: the session belongs to another place'
				}
			];
		for (const { what, device, mutation, reason } of cases) {
			const fate = await push(w.office, device, [mutation]);
			expect(fate, what).toEqual([{ id: mutation.id, status: 'rejected', reason }]);
			expect(await stored(w.office), what).toEqual(before);
		}
		const row = await w.office.db
			.selectFrom('training_sessions')
			.select(['location_id', 'room'])
			.executeTakeFirstOrThrow();
		expect(row).toEqual({ location_id: w.p.id, room: 'Lesesaal' });

		// The same place, with a coordinator (who works everywhere), may.
		const coordinator = await addStaff(w, 'koordination@stadt.example', 'coordinator', []);
		await pushAccepted(w.office, a, [a.session({ locationId: w.p.id, by: coordinator })]);
		expect(await count(w.office, 'training_sessions')).toBe(2);
	});

	it('refuses attendance for unknown or foreign sessions and unknown learners, storing nothing', async () => {
		const w = await world(dialect);
		const { a } = w.p;
		const learner = await newLearner(w, a);
		const ours = await newSession(w);
		const theirs = w.q.tablet.session({ locationId: w.q.id, by: w.q.volunteer });
		await pushAccepted(w.office, w.q.tablet, [theirs]);
		const before = await stored(w.office);
		expect(before).toMatchObject({ sessions: 2, history: 2, attendance: 0, placeLearners: 1 });

		const notYet = uuidv7();
		const early = a.attendance({ sessionId: notYet, learnerId: learner, by: w.p.volunteer });
		const cases: { what: string; mutation: { id: string }; reason: string }[] = [
			{
				what: 'a session that does not exist',
				mutation: early,
				reason: 'payload.sessionId: the session has not arrived yet'
			},
			{
				what: 'a session of another place',
				mutation: a.attendance({
					sessionId: theirs.payload.id,
					learnerId: learner,
					by: w.p.volunteer
				}),
				reason: NOT_OF_TABLET
			},
			{
				what: 'an unknown learner',
				mutation: a.attendance({
					sessionId: ours.payload.id,
					learnerId: newLearnerId(),
					by: w.p.volunteer
				}),
				reason: 'payload.learnerId: the profile has not arrived yet'
			},
			{
				what: 'a volunteer of another place',
				mutation: a.attendance({
					sessionId: ours.payload.id,
					learnerId: learner,
					by: w.q.volunteer
				}),
				reason: NOT_VOLUNTEER
			}
		];
		for (const { what, mutation, reason } of cases) {
			const fate = await push(w.office, a, [mutation]);
			expect(fate, what).toEqual([{ id: mutation.id, status: 'rejected', reason }]);
			// Neither a roster line, nor an edit in the history, nor the learner on Q's list.
			expect(await stored(w.office), what).toEqual(before);
		}

		// Nothing was claimed: once the session arrives, the same mutation is taken.
		await pushAccepted(w.office, a, [
			a.session({ id: notYet, locationId: w.p.id, by: w.p.volunteer })
		]);
		await pushAccepted(w.office, a, [early]);
		expect(await attendanceRow(w.office, notYet, learner)).toMatchObject({
			roster: 'signed-up',
			stamps: { roster: early.hlc }
		});
	});

	it('applies a session and an attendance mutation once, however often they arrive', async () => {
		const w = await world(dialect);
		const { a } = w.p;
		const learner = await newLearner(w, a);
		const session = a.session({ locationId: w.p.id, by: w.p.volunteer });
		const signUp = a.attendance({
			sessionId: session.payload.id,
			learnerId: learner,
			by: w.p.volunteer
		});
		await pushAccepted(w.office, a, [session, signUp]);
		const once = await stored(w.office);

		// The reply was lost: the tablet sends the batch again, and a retrying proxy twice at once.
		expect(await push(w.office, a, [session, signUp])).toEqual([
			{ id: session.id, status: 'duplicate' },
			{ id: signUp.id, status: 'duplicate' }
		]);
		const [x, y] = await Promise.all([
			push(w.office, a, [session, signUp]),
			push(w.office, a, [session, signUp])
		]);
		expect([...x, ...y].map((r) => r.status)).toEqual([
			'duplicate',
			'duplicate',
			'duplicate',
			'duplicate'
		]);
		// The same mutation twice in one batch: the second is a duplicate.
		const note = a.attendance({
			sessionId: session.payload.id,
			learnerId: learner,
			by: w.p.volunteer,
			fields: { note: 'bringt eigenes Tablet' },
			base: {}
		});
		expect(await push(w.office, a, [note, note])).toEqual([
			{ id: note.id, status: 'accepted' },
			{ id: note.id, status: 'duplicate' }
		]);

		const history = await w.office.db
			.selectFrom('session_history')
			.select(['mutation_id', 'entity'])
			.orderBy('mutation_id')
			.execute();
		expect(history).toEqual(
			[
				{ mutation_id: session.id, entity: 'session' },
				{ mutation_id: signUp.id, entity: 'attendance' },
				{ mutation_id: note.id, entity: 'attendance' }
			].sort((p, q) => (p.mutation_id < q.mutation_id ? -1 : 1))
		);
		expect(await stored(w.office)).toEqual({
			...once,
			history: once.history + 1,
			mutations: once.mutations + 1,
			logged: once.logged + 1
		});
		expect(once).toMatchObject({ sessions: 1, attendance: 1, history: 2, logged: 2 });
		expect(await attendanceRow(w.office, session.payload.id, learner)).toEqual({
			roster: 'signed-up',
			status: '',
			note: 'bringt eigenes Tablet',
			help_seen: '',
			stamps: { roster: signUp.hlc, note: note.hlc }
		});
	});

	it('settles two marks made without seeing each other by clock, in either order, and flags it', async () => {
		const w = await world(dialect);
		const { a, b } = w.p;
		const learner = await newLearner(w, a);

		for (const order of ['earlier first', 'later first'] as const) {
			const session = await newSession(w);
			const sessionId = session.payload.id;
			const key = `${sessionId}/${learner}`;
			later(w);
			const signUp = a.attendance({ sessionId, learnerId: learner, by: w.p.volunteer });
			await pushAccepted(w.office, a, [signUp]);
			// Both tablets mark the learner offline, neither having seen a mark before.
			later(w);
			const present = a.attendance({
				sessionId,
				learnerId: learner,
				by: w.p.volunteer,
				fields: { status: 'present' }
			});
			later(w);
			const absent = b.attendance({
				sessionId,
				learnerId: learner,
				by: w.p.volunteer,
				fields: { status: 'absent' }
			});
			expect(absent.hlc > present.hlc, order).toBe(true);
			const [firstMark, secondMark] =
				order === 'earlier first'
					? ([
							[a, present],
							[b, absent]
						] as const)
					: ([
							[b, absent],
							[a, present]
						] as const);
			await pushAccepted(w.office, firstMark[0], [firstMark[1]]);
			// Both tablets are up to date with the first mark when the second one arrives.
			const cursors = [
				(await pullAll(w.office, a)).cursor,
				(await pullAll(w.office, b)).cursor
			] as const;
			await pushAccepted(w.office, secondMark[0], [secondMark[1]]);

			expect(await attendanceRow(w.office, sessionId, learner), order).toEqual({
				roster: 'signed-up',
				status: 'absent',
				note: '',
				help_seen: '',
				stamps: { roster: signUp.hlc, status: absent.hlc }
			});
			const kept = { value: 'absent', stamp: absent.hlc };
			const other = { value: 'present', stamp: present.hlc };
			expect(await conflictsOf(w.office, key), order).toEqual([
				{ entity: 'attendance', field: 'status', kept, other, resolved_at: null }
			]);
			expect(await historyOf(w.office, key), order).toEqual([
				{
					mutation_id: signUp.id,
					entity: 'attendance',
					device_id: a.id,
					staff_id: w.p.volunteer,
					hlc: signUp.hlc,
					fields: { roster: 'signed-up' }
				},
				{
					mutation_id: present.id,
					entity: 'attendance',
					device_id: a.id,
					staff_id: w.p.volunteer,
					hlc: present.hlc,
					fields: { status: 'present' }
				},
				{
					mutation_id: absent.id,
					entity: 'attendance',
					device_id: b.id,
					staff_id: w.p.volunteer,
					hlc: absent.hlc,
					fields: { status: 'absent' }
				}
			]);
			const expected: AttendanceSnapshot = {
				sessionId,
				learnerId: learner,
				fields: { roster: 'signed-up', status: 'absent', note: '', helpSeen: '' },
				stamps: { roster: signUp.hlc, status: absent.hlc },
				conflicts: [{ field: 'status', kept, other }]
			};
			// The disagreement is news for both tablets, even when the stored mark did not change.
			for (const [i, tablet] of [a, b].entries()) {
				const pulled = dataOf((await pullAll(w.office, tablet, cursors[i])).changes, 'attendance');
				expect(pulled, `${order}: pulled by ${tablet === a ? 'a' : 'b'}`).toEqual([expected]);
			}

			// A correction made after seeing the office's mark is no disagreement.
			later(w);
			const late = a.attendance({
				sessionId,
				learnerId: learner,
				by: w.p.volunteer,
				fields: { status: 'late' },
				base: { status: absent.hlc }
			});
			await pushAccepted(w.office, a, [late]);
			expect(await conflictsOf(w.office, key), order).toHaveLength(1);
			expect(await attendanceRow(w.office, sessionId, learner), order).toMatchObject({
				status: 'late',
				stamps: { roster: signUp.hlc, status: late.hlc }
			});
		}
	});

	// On PostgreSQL two pushes run at once: both first marks must land, one after the other
	// (the session row is locked while a mark is applied), never as a failed insert.
	it('takes two tablets’ first marks of one learner arriving at the same moment', async () => {
		const w = await world(dialect);
		const { a, b } = w.p;
		const learner = await newLearner(w, a);
		const failed: string[] = [];
		for (let round = 0; round < 10; round++) {
			const sessionId = (await newSession(w)).payload.id;
			later(w);
			const present = a.attendance({
				sessionId,
				learnerId: learner,
				by: w.p.volunteer,
				fields: { roster: 'walk-in', status: 'present' }
			});
			later(w);
			const late = b.attendance({
				sessionId,
				learnerId: learner,
				by: w.p.volunteer,
				fields: { roster: 'walk-in', status: 'late' }
			});
			const replies = await Promise.allSettled([
				push(w.office, a, [present]),
				push(w.office, b, [late])
			]);
			for (const reply of replies) {
				if (reply.status === 'rejected') failed.push(String(reply.reason));
				else expect(reply.value.map((r) => r.status)).toEqual(['accepted']);
			}
			if (replies.some((r) => r.status === 'rejected')) continue;
			expect(await attendanceRow(w.office, sessionId, learner)).toEqual({
				roster: 'walk-in',
				status: 'late',
				note: '',
				help_seen: '',
				stamps: { roster: late.hlc, status: late.hlc }
			});
			expect(await conflictsOf(w.office, `${sessionId}/${learner}`)).toEqual([
				{
					entity: 'attendance',
					field: 'status',
					kept: { value: 'late', stamp: late.hlc },
					other: { value: 'present', stamp: present.hlc },
					resolved_at: null
				}
			]);
		}
		expect(failed, 'pushes that failed').toEqual([]);
	});

	it('ends with the latest mark whatever order marks from several tablets arrive in', async () => {
		const w = await world(dialect);
		const tablets = [w.p.a, w.p.b, w.p.c];
		const learner = await newLearner(w, w.p.a);
		const statuses: ('' | AttendanceStatus)[] = ['', 'present', 'late', 'excused', 'absent'];
		const mark = fc.record({
			tablet: fc.integer({ min: 0, max: 2 }),
			status: fc.constantFrom(...statuses),
			at: fc.integer({ min: 0, max: 5 * MINUTE })
		});
		const scenario = fc.array(mark, { minLength: 2, maxLength: 4 }).chain((marks) => {
			const order = fc.shuffledSubarray(
				marks.map((_, i) => i),
				{ minLength: marks.length, maxLength: marks.length }
			);
			return fc.tuple(fc.constant(marks), order, order);
		});
		const start = w.time.now;
		let run = 0;

		await fc.assert(
			fc.asyncProperty(scenario, async ([marks, firstOrder, secondOrder]) => {
				run++;
				// Each run on two new sessions; the same marks (same stamps) arrive in two orders.
				const sessions = [await newSession(w), await newSession(w)].map((s) => s.payload.id);
				const made = marks.map((m) => {
					w.time.now = start + run * 10 * MINUTE + m.at;
					const tablet = tablets[m.tablet]!;
					const first = tablet.attendance({
						sessionId: sessions[0]!,
						learnerId: learner,
						by: w.p.volunteer,
						fields: { status: m.status }
					});
					const second = {
						...first,
						id: uuidv7(),
						payload: { ...first.payload, sessionId: sessions[1]! }
					};
					return { tablet, status: m.status, hlc: first.hlc, copies: [first, second] };
				});
				const winner = made.reduce((x, y) => (y.hlc > x.hlc ? y : x));
				const distinct = new Set(marks.map((m) => m.status)).size;

				for (const [copy, order] of [firstOrder, secondOrder].entries()) {
					for (const i of order) {
						const { tablet, copies } = made[i]!;
						await pushAccepted(w.office, tablet, [copies[copy]!]);
					}
					const sessionId = sessions[copy]!;
					const key = `${sessionId}/${learner}`;
					expect(await attendanceRow(w.office, sessionId, learner)).toEqual({
						roster: '',
						status: winner.status,
						note: '',
						help_seen: '',
						stamps: { status: winner.hlc }
					});
					// Every mark is kept as it arrived; a disagreement is flagged whenever there was one.
					const history = await historyOf(w.office, key);
					expect(history.map((h) => [h.hlc, h.fields])).toEqual(
						[...made]
							.sort((x, y) => (x.hlc < y.hlc ? -1 : 1))
							.map((m) => [m.hlc, { status: m.status }])
					);
					const conflicts = await conflictsOf(w.office, key);
					expect(conflicts.length > 0).toBe(distinct > 1);
					for (const c of conflicts) {
						expect(c).toMatchObject({ entity: 'attendance', field: 'status' });
						expect(c.kept.value).not.toBe(c.other.value);
					}
				}
			}),
			{ numRuns: dialect === 'postgres' ? 15 : 30 }
		);
	});

	it('shares a signed-up learner, their cards and their history with the place’s tablets only', async () => {
		const w = await world(dialect);
		const { a, b } = w.p;
		const q = w.q.tablet;
		const learner = newLearnerId();
		const fromA = a.progress(learner);
		const session = a.session({ locationId: w.p.id, by: w.p.volunteer });
		const signUp = a.attendance({
			sessionId: session.payload.id,
			learnerId: learner,
			by: w.p.volunteer
		});
		await pushAccepted(w.office, a, [a.learner({ id: learner }), fromA, session, signUp]);

		const first = await pullAll(w.office, b);
		expect(dataOf(first.changes, 'learner')).toEqual([
			expect.objectContaining({ id: learner, name: 'Erna', avatar: 'sun', lang: 'de' })
		]);
		expect(dataOf(first.changes, 'learner')[0]!.cards).toBeUndefined();
		expect(dataOf(first.changes, 'attendance')).toEqual([
			{
				sessionId: session.payload.id,
				learnerId: learner,
				fields: { roster: 'signed-up', status: '', note: '', helpSeen: '' },
				stamps: { roster: signUp.hlc },
				conflicts: []
			}
		]);
		expect(dataOf(first.changes, 'session').map((s) => s.id)).toEqual([session.payload.id]);

		// A card printed on A: B learns its digest with the profile, to check the learner in.
		later(w);
		const card = printCard(a, learner);
		await pushAccepted(w.office, a, [card.mutation]);
		const second = await pullAll(w.office, b, first.cursor);
		expect(dataOf(second.changes, 'learner')).toEqual([
			expect.objectContaining({ id: learner, cards: { current: card.digest, replaced: [] } })
		]);
		// A new card printed on B replaces it.
		later(w);
		const newer = printCard(b, learner);
		await pushAccepted(w.office, b, [newer.mutation]);
		const third = await pullAll(w.office, b, second.cursor);
		expect(dataOf(third.changes, 'learner')).toEqual([
			expect.objectContaining({
				id: learner,
				cards: { current: newer.digest, replaced: [card.digest] }
			})
		]);

		// B asks for what happened before it knew the learner: A's progress.
		const history = await pullAll(w.office, b, third.cursor, [learner]);
		expect(history.history.learnerIds).toEqual([learner]);
		expect(dataOf(history.history.changes, 'progress')).toEqual([fromA.payload]);
		expect(dataOf(history.history.changes, 'learner').map((l) => l.id)).toEqual([learner]);

		// B goes on where A left off, and A hears of it.
		later(w);
		const fromB = b.progress(learner);
		await pushAccepted(w.office, b, [fromB]);
		const atA = await pullAll(w.office, a);
		expect(dataOf(atA.changes, 'progress').map((e) => e.id)).toEqual([fromA.id, fromB.id]);

		// Another place's tablet sees none of it, even when it asks, and may not write for them.
		const stranger = await pullAll(w.office, q, null, [learner]);
		expect(stranger.changes).toEqual([]);
		expect(stranger.history).toEqual({ learnerIds: [], changes: [] });
		await pushRejected(
			w.office,
			q,
			q.progress(learner),
			'learner: not on this device; bring it with the learner card'
		);
	});

	it('makes a walk-in from another place known to this place’s tablets', async () => {
		const w = await world(dialect);
		const { a, b } = w.p;
		const q = w.q.tablet;
		const visitor = await newLearner(w, q);
		const fromQ = q.progress(visitor);
		await pushAccepted(w.office, q, [fromQ]);
		const session = await newSession(w);
		const before = await pullAll(w.office, b);
		expect(dataOf(before.changes, 'learner')).toEqual([]);
		// Before the visitor is on a roster here, P's tablets may not write for them.
		await pushRejected(
			w.office,
			b,
			b.progress(visitor),
			'learner: not on this device; bring it with the learner card'
		);

		later(w);
		const walkIn = a.attendance({
			sessionId: session.payload.id,
			learnerId: visitor,
			by: w.p.volunteer,
			fields: { roster: 'walk-in', status: 'present' }
		});
		await pushAccepted(w.office, a, [walkIn]);
		const after = await pullAll(w.office, b, before.cursor, [visitor]);
		expect(dataOf(after.changes, 'learner').map((l) => l.id)).toEqual([visitor]);
		expect(dataOf(after.changes, 'attendance')).toEqual([
			expect.objectContaining({
				learnerId: visitor,
				fields: { roster: 'walk-in', status: 'present', note: '', helpSeen: '' }
			})
		]);
		expect(after.history.learnerIds).toEqual([visitor]);
		expect(dataOf(after.history.changes, 'progress')).toEqual([fromQ.payload]);
		await pushAccepted(w.office, b, [b.progress(visitor)]);
	});

	it('never sends sessions or staff notes to a learner’s own device', async () => {
		const w = await world(dialect);
		const { a } = w.p;
		const learner = await newLearner(w, a);
		const home = await personalDevice(w, a, learner);
		const session = await newSession(w);
		const secret = 'Braucht Lesebrille, Sohn hilft zu Hause';
		const mark = a.attendance({
			sessionId: session.payload.id,
			learnerId: learner,
			by: w.p.volunteer,
			fields: { roster: 'signed-up', status: 'present', note: secret }
		});
		await pushAccepted(w.office, a, [mark, a.progress(learner)]);
		// The learner's device also brings progress of its own.
		await pushAccepted(w.office, home, [home.progress(learner)]);

		const pulled = await pullAll(w.office, home, null, [learner]);
		const entities = [...pulled.changes, ...pulled.history.changes].map((c) => c.entity);
		expect(entities).not.toContain('attendance');
		expect(entities).not.toContain('session');
		// It does get what is its own: the profile and both tablets' progress.
		expect(dataOf(pulled.changes, 'learner').map((l) => l.id)).toEqual([learner]);
		expect(dataOf(pulled.changes, 'progress')).toHaveLength(2);
		expect(pulled.history.learnerIds).toEqual([learner]);
		expect(JSON.stringify(pulled.bodies)).not.toContain(secret);
		// Nor may it write them.
		await pushRejected(
			w.office,
			home,
			home.attendance({
				sessionId: session.payload.id,
				learnerId: learner,
				by: w.p.volunteer,
				fields: { note: '' }
			}),
			NOT_OF_TABLET
		);
		await pushRejected(
			w.office,
			home,
			home.session({ locationId: w.p.id, by: w.p.volunteer }),
			NOT_OF_TABLET
		);
		// The place's tablets do get the note.
		const atPlace = dataOf((await pullAll(w.office, w.p.b)).changes, 'attendance');
		expect(atPlace.map((r) => r.fields.note)).toEqual([secret]);
	});

	it('merges offline edits of different session fields, and flags two of the same field', async () => {
		const w = await world(dialect);
		const { a, b } = w.p;
		const made = await newSession(w);
		const id = made.payload.id;
		const seen = made.hlc; // both tablets pulled the session as made
		const edit = (tablet: FakeDevice, fields: SessionPayload['fields']) =>
			tablet.session({
				id,
				locationId: w.p.id,
				by: w.p.volunteer,
				fields,
				base: stampsOf(fields, seen) as SessionPayload['base']
			});

		later(w);
		const room = edit(a, { room: 'Raum 2' });
		later(w);
		const time = edit(b, { start: '10:30', end: '12:00' });
		// The later edit arrives first.
		await pushAccepted(w.office, b, [time]);
		await pushAccepted(w.office, a, [room]);

		const expected: SessionSnapshot = {
			id,
			locationId: w.p.id,
			seriesId: null,
			seriesIndex: null,
			fields: { ...made.payload.fields, room: 'Raum 2', start: '10:30', end: '12:00' },
			stamps: {
				...stampsOf(made.payload.fields, made.hlc),
				room: room.hlc,
				start: time.hlc,
				end: time.hlc
			},
			createdBy: w.p.volunteer,
			createdAt: made.payload.createdAt
		};
		for (const tablet of [a, b]) {
			expect(dataOf((await pullAll(w.office, tablet)).changes, 'session')).toEqual([expected]);
		}
		expect(await count(w.office, 'conflicts')).toBe(0);
		expect((await historyOf(w.office, id)).map((h) => h.mutation_id)).toEqual([
			made.id,
			room.id,
			time.id
		]);

		// Both rename it without seeing the other's name: the later one stays, and it is flagged.
		later(w);
		const nameA = edit(a, { title: 'Smartphone-Treff' });
		later(w);
		const nameB = edit(b, { title: 'Handy-Sprechstunde' });
		await pushAccepted(w.office, b, [nameB]);
		await pushAccepted(w.office, a, [nameA]);
		const row = await w.office.db
			.selectFrom('training_sessions')
			.select(['title', 'room', 'start_time', 'end_time'])
			.executeTakeFirstOrThrow();
		expect(row).toEqual({
			title: 'Handy-Sprechstunde',
			room: 'Raum 2',
			start_time: '10:30',
			end_time: '12:00'
		});
		expect(await conflictsOf(w.office, id)).toEqual([
			{
				entity: 'session',
				field: 'title',
				kept: { value: 'Handy-Sprechstunde', stamp: nameB.hlc },
				other: { value: 'Smartphone-Treff', stamp: nameA.hlc },
				resolved_at: null
			}
		]);
	});
});
