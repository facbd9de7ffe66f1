/**
 * Simulated tablets for sync tests: a real client database (Dexie on fake-indexeddb), a real
 * device identity and clock, and a link to the office that calls the server handlers directly,
 * copying every body through JSON both ways as the network would. Wrappers around that link
 * inject the faults a village-hall Wi-Fi produces; helpers check "exactly once" and convergence.
 */
import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { expect } from 'vitest';
import { LernlotseDatabase } from '../../../src/lib/client/db/database';
import { openDevice, type Device } from '../../../src/lib/client/db/device';
import { createLearner, updateLearner } from '../../../src/lib/client/db/learners';
import { recordProgress } from '../../../src/lib/client/db/progress';
import type { LearnerRecord } from '../../../src/lib/client/db/records';
import { syncOnce, type SyncReport } from '../../../src/lib/client/sync/engine';
import {
	NetworkError,
	type JsonReply,
	type Transport
} from '../../../src/lib/client/sync/transport';
import { HybridClock } from '../../../src/lib/domain/hlc';
import { deriveAll } from '../../../src/lib/domain/progress/derive';
import {
	PROGRESS_EVENT_TYPES,
	type NewProgressEvent,
	type ProgressEvent
} from '../../../src/lib/domain/progress/events';
import type { OfficeDatabase } from '../../../src/lib/server/db/connection';
import { handlePull } from '../../../src/lib/server/sync/pull';
import { handlePush } from '../../../src/lib/server/sync/push';

export const PUSH = '/api/sync/push';
export const PULL = '/api/sync/pull';
export type SyncPath = typeof PUSH | typeof PULL;

export const DAY_MS = 24 * 60 * 60 * 1000;

// ---------------------------------------------------------------------------------------------
// The link to the office, and faults on it
// ---------------------------------------------------------------------------------------------

export interface Call {
	path: string;
	body: unknown;
	/** The office's answer, when it gave one. */
	reply?: JsonReply;
}

/** The office as a tablet reaches it: the endpoint handlers, with JSON on the wire both ways. */
export function officeLink(office: OfficeDatabase, log?: Call[]): Transport {
	return async (path, body) => {
		const wire = JSON.parse(JSON.stringify(body)) as unknown;
		const call: Call = { path, body: wire };
		log?.push(call);
		let reply: JsonReply;
		if (path === PUSH) reply = await handlePush(office, wire);
		else if (path === PULL) reply = await handlePull(office, wire);
		else reply = { status: 404, body: { error: 'invalid-request', message: 'no such path' } };
		call.reply = JSON.parse(JSON.stringify(reply)) as JsonReply;
		return JSON.parse(JSON.stringify(reply)) as JsonReply;
	};
}

export interface Which {
	/** Only calls to this path count; any path when left out. */
	path?: SyncPath;
	/** The fault hits the nth matching call (1-based), once. Default 1. */
	nth?: number;
}

export class InjectedFault extends NetworkError {}

function hits(which: Which): (path: string) => boolean {
	let seen = 0;
	return (path) => {
		if (which.path && path !== which.path) return false;
		seen++;
		return seen === (which.nth ?? 1);
	};
}

/** (a) The server dies before it commits: the request never reaches the handler. */
export function killedBeforeCommit(inner: Transport, which: Which = {}): Transport {
	const hit = hits(which);
	return async (path, body) => {
		if (hit(path)) throw new InjectedFault(`server killed before commit (${path})`);
		return inner(path, body);
	};
}

/** (b) The server commits, then the reply is lost on the way back. */
export function replyLostAfterCommit(inner: Transport, which: Which = {}): Transport {
	const hit = hits(which);
	return async (path, body) => {
		const lost = hit(path);
		const reply = await inner(path, body);
		if (lost) throw new InjectedFault(`reply lost after commit (${path})`);
		return reply;
	};
}

/** (c) The network drops in the middle of a paged pull: the nth pull never comes back. */
export function pullCutAt(inner: Transport, nth: number): Transport {
	return replyLostAfterCommit(inner, { path: PULL, nth });
}

/** (d) A request is sent twice at once (a retrying proxy); the tablet gets the later answer. */
export function duplicated(inner: Transport, which: Which = {}): Transport {
	const hit = hits(which);
	return async (path, body) => {
		if (!hit(path)) return inner(path, body);
		const [, second] = await Promise.all([inner(path, body), inner(path, body)]);
		return second;
	};
}

/**
 * (d) Concurrent requests arrive in the opposite order: the first `count` calls made through
 * any of the returned links are held, then handled one after the other, last first. If fewer
 * arrive, whatever is held is released after `waitMs`.
 */
export function reorderedLinks(count: number, waitMs = 1000) {
	const held: { run: () => Promise<void> }[] = [];
	let open = false;
	let timer: ReturnType<typeof setTimeout> | undefined;
	const release = async () => {
		if (open) return;
		open = true;
		clearTimeout(timer);
		for (const call of held.reverse()) await call.run();
	};
	return (inner: Transport): Transport =>
		async (path, body) => {
			if (open) return inner(path, body);
			return new Promise<JsonReply>((resolve, reject) => {
				held.push({
					run: () => inner(path, body).then(resolve, reject)
				});
				if (held.length >= count) void release();
				else timer ??= setTimeout(() => void release(), waitMs);
			});
		};
}

/** Runs a sync that is expected to fail on an injected fault, and checks that it did. */
export async function syncThatBreaks(tablet: Tablet, link: Transport): Promise<void> {
	await expect(tablet.sync(link)).rejects.toBeInstanceOf(InjectedFault);
}

// ---------------------------------------------------------------------------------------------
// Tablets
// ---------------------------------------------------------------------------------------------

export interface Tablet {
	label: string;
	db: LernlotseDatabase;
	device: Device;
	/** The clean link to the office; faults wrap it. */
	link: Transport;
	/** Every request this tablet sent through `link`, after JSON. */
	calls: Call[];
	sync(via?: Transport): Promise<SyncReport>;
	record(learnerId: string, count: number): Promise<ProgressEvent[]>;
	newLearner(name?: string): Promise<LearnerRecord>;
}

const opened: LernlotseDatabase[] = [];
let counter = 0;

export interface TabletOptions {
	/** Shifts the tablet's wall clock, e.g. 3 * DAY_MS ahead or -3 * DAY_MS behind. */
	skewMs?: number;
}

export async function openTablet(
	office: OfficeDatabase,
	label = 'tablet',
	options: TabletOptions = {}
): Promise<Tablet> {
	const db = new LernlotseDatabase(`it-${label}-${process.pid}-${Date.now()}-${++counter}`);
	opened.push(db);
	await db.open();
	const real = await openDevice(db);
	const skew = options.skewMs ?? 0;
	const device: Device = skew
		? { id: real.id, clock: new HybridClock(real.id, () => Date.now() + skew) }
		: real;
	const calls: Call[] = [];
	const link = officeLink(office, calls);
	const tablet: Tablet = {
		label,
		db,
		device,
		link,
		calls,
		sync: (via = link) => syncOnce(db, device, via),
		record: (learnerId, count) => recordProgress(db, device, lessonEvents(learnerId, count)),
		newLearner: (name = `Erna ${label}`.slice(0, 40)) =>
			createLearner(db, device, { name, avatar: 'sun', lang: 'de' })
	};
	return tablet;
}

/** Closes and deletes every tablet database opened so far (call in afterEach). */
export async function closeTablets(): Promise<void> {
	for (const db of opened.splice(0)) {
		db.close();
		await Dexie.delete(db.name);
	}
}

/**
 * Gives `tablet` a learner another tablet knows, as the learner's card does: the office links
 * the learner to this tablet (what redeeming a card does there), and the tablet holds the
 * profile, here with one field changed.
 */
export async function adoptLearner(
	office: OfficeDatabase,
	tablet: Tablet,
	learner: LearnerRecord,
	avatar = 'moon'
): Promise<LearnerRecord> {
	await linkLearner(office, tablet.device.id, learner.id);
	const copy = structuredClone(learner);
	return updateLearner(tablet.db, tablet.device, copy, {
		avatar: copy.avatar === avatar ? `${avatar}-2` : avatar
	});
}

/** The office's side of a learner card entered on a device: the device may now see the learner. */
export async function linkLearner(
	office: OfficeDatabase,
	deviceId: string,
	learnerId: string
): Promise<void> {
	await office.db
		.insertInto('device_learners')
		.values({ device_id: deviceId, learner_id: learnerId })
		.onConflict((oc) => oc.columns(['device_id', 'learner_id']).doNothing())
		.execute();
}

let made = 0;
const LESSONS = ['tapping', 'typing', 'calling'];

/** `count` varied events of one learner over a few lessons, valid by the wire schema. */
export function lessonEvents(learnerId: string, count: number): NewProgressEvent[] {
	return Array.from({ length: count }, () => {
		const n = made++;
		const type = PROGRESS_EVENT_TYPES[n % PROGRESS_EVENT_TYPES.length]!;
		const base = {
			learnerId,
			courseId: 'tablet-basics',
			courseVersion: 1,
			lessonId: LESSONS[Math.floor(n / 5) % LESSONS.length]!,
			stepId: type === 'lesson-completed' ? null : `step-${n % 7}`,
			type
		};
		if (type === 'step-completed') return { ...base, attempts: 1 + (n % 3) };
		if (type === 'checkpoint-reached') return { ...base, checkpoint: `halfway ${n % 4}` };
		return base;
	});
}

// ---------------------------------------------------------------------------------------------
// What the office holds
// ---------------------------------------------------------------------------------------------

type Row = Record<string, unknown>;

function asEvent(e: Row): ProgressEvent {
	return {
		id: e.id as string,
		learnerId: e.learner_id as string,
		courseId: e.course_id as string,
		courseVersion: Number(e.course_version),
		lessonId: e.lesson_id as string,
		stepId: (e.step_id as string | null) ?? null,
		type: e.type as ProgressEvent['type'],
		...(e.attempts !== null ? { attempts: Number(e.attempts) } : {}),
		...(e.checkpoint !== null ? { checkpoint: e.checkpoint as string } : {}),
		hlc: e.hlc as string,
		deviceId: e.device_id as string
	};
}

const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The learners the office lets this device see: those it created or pushed work for. */
export async function learnersOf(office: OfficeDatabase, deviceId: string): Promise<string[]> {
	const rows = await office.db
		.selectFrom('device_learners')
		.select('learner_id')
		.where('device_id', '=', deviceId)
		.execute();
	return rows.map((r) => r.learner_id).sort();
}

export async function serverEvents(
	office: OfficeDatabase,
	learnerIds?: string[]
): Promise<ProgressEvent[]> {
	if (learnerIds && learnerIds.length === 0) return [];
	let query = office.db.selectFrom('progress_events').selectAll();
	if (learnerIds) query = query.where('learner_id', 'in', learnerIds);
	return (await query.execute()).map((r) => asEvent(r as unknown as Row)).sort(byId);
}

function tally(rows: { id: string; n: number | string | bigint }[]): Map<string, number> {
	return new Map(rows.map((r) => [r.id, Number(r.n)]));
}

/** How often each progress event id occurs in each of the office's tables. */
export async function progressTallies(office: OfficeDatabase) {
	const { db } = office;
	const [events, log] = await Promise.all([
		db
			.selectFrom('progress_events')
			.select('id')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.groupBy('id')
			.execute(),
		// A log row names one event ('progress') or a push's events of one learner ('progress-batch').
		db
			.selectFrom('progress_events as e')
			.innerJoin('change_log as l', (join) =>
				join.on((eb) =>
					eb.or([
						eb.and([eb('l.entity', '=', 'progress'), eb('l.entity_id', '=', eb.ref('e.id'))]),
						eb.and([
							eb('l.entity', '=', 'progress-batch'),
							eb('l.entity_id', '=', eb.ref('e.batch_id'))
						])
					])
				)
			)
			.select('e.id')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.groupBy('e.id')
			.execute()
	]);
	return { events: tally(events), log: tally(log) };
}

/**
 * Every one of `ids` is on the office exactly once, and nothing else is: one row in
 * progress_events (whose id is the mutation's), one entry in the change log.
 */
export async function expectExactlyOnce(office: OfficeDatabase, ids: string[]): Promise<void> {
	const expected = new Map([...new Set(ids)].map((id) => [id, 1]));
	expect(expected.size).toBe(ids.length);
	const tallies = await progressTallies(office);
	expect(tallies.events, 'rows in progress_events by id').toEqual(expected);
	expect(tallies.log, 'progress entries in change_log by id').toEqual(expected);
}

export async function serverLearner(office: OfficeDatabase, id: string) {
	const row = await office.db
		.selectFrom('learners')
		.selectAll()
		.where('id', '=', id)
		.executeTakeFirstOrThrow();
	return {
		id: row.id,
		name: row.name,
		avatar: row.avatar,
		lang: row.lang,
		stamps: { name: row.name_hlc, avatar: row.avatar_hlc, lang: row.lang_hlc }
	};
}

export async function countRows(
	office: OfficeDatabase,
	table: 'progress_events' | 'mutations' | 'learners' | 'conflicts' | 'change_log'
): Promise<number> {
	const row = await office.db
		.selectFrom(table)
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

// ---------------------------------------------------------------------------------------------
// Convergence
// ---------------------------------------------------------------------------------------------

const stateKey = (s: { learnerId: string; courseId: string; lessonId: string }) =>
	`${s.learnerId}|${s.courseId}|${s.lessonId}`;

/**
 * After a clean sync the tablet agrees with the office: nothing left to send (except what the
 * office refused, when allowed), its events are exactly the office's events of its learners,
 * its lesson state is derived from them, and its learner profiles are the office's.
 */
export async function expectConverged(
	office: OfficeDatabase,
	tablet: Tablet,
	options: { rejectedLeft?: number } = {}
): Promise<void> {
	const outbox = await tablet.db.outbox.toArray();
	expect(
		outbox.filter((r) => !r.rejected),
		`${tablet.label}: outbox`
	).toEqual([]);
	expect(outbox.length, `${tablet.label}: refused rows kept`).toBe(options.rejectedLeft ?? 0);

	const learners = await learnersOf(office, tablet.device.id);
	const expected = await serverEvents(office, learners);
	const held = (await tablet.db.progress.toArray()).sort(byId);
	expect(held, `${tablet.label}: progress`).toEqual(expected);

	const states = (await tablet.db.lessonState.toArray()).sort((a, b) =>
		stateKey(a).localeCompare(stateKey(b))
	);
	const derived = deriveAll(expected).sort((a, b) => stateKey(a).localeCompare(stateKey(b)));
	expect(states, `${tablet.label}: lesson state`).toEqual(derived);

	const local = (await tablet.db.learners.toArray()).sort(byId);
	expect(
		local.map((l) => l.id),
		`${tablet.label}: learners`
	).toEqual(learners);
	for (const l of local) {
		const remote = await serverLearner(office, l.id);
		expect(
			{ id: l.id, name: l.name, avatar: l.avatar, lang: l.lang, stamps: l.stamps },
			`${tablet.label}: profile of ${l.id}`
		).toEqual(remote);
	}
}

/**
 * For behaviour the modules get wrong today (each one is in the report that came with these
 * tests): runs the assertions of the correct behaviour and passes only if they fail, with a
 * message matching `symptom`. Once the bug is fixed this fails: then unwrap the assertions.
 */
export async function expectKnownBug(symptom: RegExp, correct: () => Promise<void>): Promise<void> {
	let failure: unknown = null;
	try {
		await correct();
	} catch (error) {
		failure = error;
	}
	expect(failure, 'the known bug no longer shows: turn this into a plain test').not.toBeNull();
	expect(failure).toBeInstanceOf(Error);
	expect((failure as Error).name).toBe('AssertionError');
	expect((failure as Error).message).toMatch(symptom);
}
