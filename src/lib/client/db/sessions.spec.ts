import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { v7 as uuidv7 } from 'uuid';
import * as v from 'valibot';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatHlc, parseHlc } from '../../domain/hlc';
import type { LessonState } from '../../domain/progress/derive';
import type { ProgressEvent } from '../../domain/progress/events';
import { LearnerPayload, type Change, type LearnerSnapshot } from '../../sync/protocol';
import {
	AttendancePayload,
	SessionPayload,
	type AttendanceSnapshot,
	type SessionSnapshot
} from '../../sync/sessions';
import { applyPulledPage, CURSOR } from '../sync/apply-pull';
import { LernlotseDatabase, SCHEMA_V2 } from './database';
import { LAST_STAMP, openDevice } from './device';
import { createLearner, listLearners } from './learners';
import type {
	CourseRecord,
	DraftRecord,
	LearnerRecord,
	MetaRecord,
	OutboxRecord,
	SessionRecord
} from './records';
import {
	addWalkIn,
	createSessions,
	knownLearners,
	listSessions,
	sessionRoster,
	setAttendance,
	updateSessions,
	viewSession,
	type Actor,
	type NewSessions
} from './sessions';
import { freshDatabase, track, uniqueName } from './test-databases';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The office's stamps, made by a node that is not this device. */
const OFFICE = uuidv7();

/** A stamp `deltaMs` away from `stamp`, from the office. */
function shifted(stamp: string, deltaMs: number): string {
	return formatHlc({ ms: parseHlc(stamp).ms + deltaMs, counter: 0, node: OFFICE });
}

async function setUp(label: string) {
	const db = await freshDatabase(label);
	const device = await openDevice(db);
	const actor: Actor = { device, staffId: uuidv7(), locationId: uuidv7() };
	return { db, device, actor };
}

const volunteers = [uuidv7(), uuidv7()];

function plan(overrides: Partial<NewSessions> = {}): NewSessions {
	return {
		title: 'Tablet-Treff',
		courseIds: ['tablet-basics', 'online-banking'],
		date: '2025-03-18',
		start: '10:00',
		end: '11:30',
		room: 'Lesesaal',
		volunteerIds: volunteers,
		capacity: 12,
		weeks: 3,
		...overrides
	};
}

/** The stored fields of `plan()` on the given date. */
function planFields(date: string) {
	return {
		title: 'Tablet-Treff',
		courseIds: 'tablet-basics,online-banking',
		date,
		start: '10:00',
		end: '11:30',
		room: 'Lesesaal',
		volunteerIds: volunteers.join(','),
		capacity: '12',
		status: 'planned'
	};
}

async function outboxRows(db: LernlotseDatabase, kind?: OutboxRecord['kind']) {
	const rows = await db.outbox.orderBy('seq').toArray();
	return kind ? rows.filter((r) => r.kind === kind) : rows;
}

afterEach(() => {
	vi.restoreAllMocks();
});

describe('upgrade from schema version 2', () => {
	const deviceId = uuidv7();
	const lastStamp = formatHlc({ ms: Date.now() - 60_000, counter: 4, node: deviceId });
	const annaId = uuidv7();
	const benId = uuidv7();
	const anna: LearnerRecord = {
		id: annaId,
		name: 'Anna',
		avatar: 'owl',
		lang: 'de',
		createdAt: '2025-01-10T09:00:00.000Z',
		updatedAt: '2025-01-12T09:00:00.000Z',
		stamps: { name: lastStamp, avatar: lastStamp, lang: lastStamp },
		historyOn: deviceId,
		card: { code: 'ANNA-1234', issuedAt: '2025-01-10T09:05:00.000Z' },
		pin: { salt: 'c2FsdA==', hash: 'aGFzaA==', iterations: 100_000 }
	};
	const ben: LearnerRecord = {
		id: benId,
		name: 'Ben',
		avatar: 'fox',
		lang: 'en',
		createdAt: '2025-01-11T09:00:00.000Z',
		updatedAt: '2025-01-11T09:00:00.000Z'
	};
	const course: CourseRecord = {
		id: 'tablet-basics',
		lang: 'de',
		version: 2,
		hash: 'def456',
		title: 'Das Tablet kennenlernen',
		pack: null,
		problem: 'kept as it was',
		installedAt: '2025-01-10T08:00:00.000Z'
	};
	const at = (ms: number) => formatHlc({ ms, counter: 0, node: deviceId });
	const events: ProgressEvent[] = [
		{
			id: uuidv7(),
			learnerId: annaId,
			courseId: 'tablet-basics',
			courseVersion: 2,
			lessonId: 'tapping',
			stepId: 'why-tap',
			type: 'step-viewed',
			hlc: at(1_000),
			deviceId
		},
		{
			id: uuidv7(),
			learnerId: annaId,
			courseId: 'tablet-basics',
			courseVersion: 2,
			lessonId: 'tapping',
			stepId: 'why-tap',
			type: 'step-completed',
			attempts: 2,
			hlc: at(2_000),
			deviceId
		}
	];
	// Deliberately not what the events derive to: the v3 upgrade must not derive anything again.
	const lessonState: LessonState = {
		learnerId: annaId,
		courseId: 'tablet-basics',
		lessonId: 'tapping',
		currentStepId: 'stored-as-is',
		completedStepIds: ['why-tap', 'first-tap'],
		helpStepIds: [],
		helpCount: 0,
		checkpoints: ['kept'],
		completed: false,
		startedAt: at(1_000),
		updatedAt: at(2_000),
		completedAt: null
	};
	const draft: DraftRecord = {
		learnerId: annaId,
		courseId: 'tablet-basics',
		lessonId: 'tapping',
		stepId: 'first-tap',
		value: { choice: ['b', 'c'], text: 'halb fertig' },
		updatedAt: '2025-01-12T09:30:00.000Z'
	};
	const outbox: OutboxRecord[] = [
		{
			seq: 5,
			mutationId: events[1]!.id,
			kind: 'progress',
			payload: events[1],
			hlc: events[1]!.hlc,
			createdAt: '2025-01-12T09:00:00.000Z'
		},
		{
			seq: 9,
			mutationId: uuidv7(),
			kind: 'learner',
			payload: { id: benId, fields: { name: 'Ben' }, base: {}, createdAt: ben.createdAt },
			hlc: lastStamp,
			createdAt: '2025-01-12T09:01:00.000Z',
			rejected: 'kept and shown'
		}
	];
	const meta: MetaRecord[] = [
		{ key: 'deviceId', value: deviceId },
		{ key: LAST_STAMP, value: lastStamp },
		{ key: CURSOR, value: 'cursor-42' }
	];

	async function createVersion2(name: string) {
		const v2 = new Dexie(name);
		v2.version(2).stores(SCHEMA_V2);
		await v2.open();
		await v2.table('learners').bulkPut([anna, ben]);
		await v2.table('courses').put(course);
		await v2.table('progress').bulkPut(events);
		await v2.table('lessonState').put(lessonState);
		await v2.table('drafts').put(draft);
		await v2.table('outbox').bulkAdd(outbox);
		await v2.table('meta').bulkPut(meta);
		v2.close();
	}

	it('keeps every row unchanged, adds empty session tables, and takes sessions afterwards', async () => {
		const name = uniqueName('upgrade-v2');
		await createVersion2(name);

		const db = track(new LernlotseDatabase(name));
		await db.open();

		expect(db.verno).toBe(3);
		expect(await db.learners.orderBy('name').toArray()).toEqual([anna, ben]);
		expect(await db.courses.toArray()).toEqual([course]);
		expect(await db.progress.orderBy('id').toArray()).toEqual(events);
		expect(await db.lessonState.toArray()).toEqual([lessonState]);
		expect(await db.drafts.toArray()).toEqual([draft]);
		expect(await db.outbox.orderBy('seq').toArray()).toEqual(outbox);
		expect(await db.meta.toArray()).toEqual([...meta].sort((a, b) => a.key.localeCompare(b.key)));

		expect(db.tables.map((t) => t.name).sort()).toEqual(
			[
				'attendance',
				'courses',
				'drafts',
				'learners',
				'lessonState',
				'meta',
				'outbox',
				'progress',
				'sessions'
			].sort()
		);
		expect(await db.sessions.count()).toBe(0);
		expect(await db.attendance.count()).toBe(0);

		// The device keeps its identity, and its clock continues after the stored stamp.
		const device = await openDevice(db);
		expect(device.id).toBe(deviceId);
		const actor: Actor = { device, staffId: uuidv7(), locationId: uuidv7() };
		const [session] = await createSessions(db, actor, plan({ weeks: 1 }));
		expect(await db.sessions.get(session!.id)).toEqual(session);
		expect((await listSessions(db, '2025-03-18', '2025-03-18')).map((s) => s.record)).toEqual([
			session
		]);
		await setAttendance(db, actor, session!.id, [annaId], { roster: 'signed-up' });
		expect(await db.attendance.get([session!.id, annaId])).toMatchObject({
			fields: { roster: 'signed-up' }
		});

		const rows = await db.outbox.orderBy('seq').toArray();
		expect(rows.slice(0, 2)).toEqual(outbox);
		expect(rows.map((r) => r.kind)).toEqual(['progress', 'learner', 'session', 'attendance']);
		// The outbox keeps counting after the rows already queued.
		expect(rows[2]!.seq).toBeGreaterThan(9);
		expect(rows[2]!.hlc > lastStamp).toBe(true);
		expect(v.parse(SessionPayload, rows[2]!.payload).id).toBe(session!.id);
		expect(v.parse(AttendancePayload, rows[3]!.payload).learnerId).toBe(annaId);
		// Nothing else was touched by writing.
		expect(await db.learners.orderBy('name').toArray()).toEqual([anna, ben]);
		expect(await db.lessonState.toArray()).toEqual([lessonState]);
	});
});

describe('createSessions and listSessions', () => {
	it('makes a weekly series: one session per week, one outbox row each, all fields sent', async () => {
		const { db, device, actor } = await setUp('create-series');
		const before = Date.now();
		const sessions = await createSessions(db, actor, plan());

		// Across the end of March and the change to summer time: still one week apart.
		expect(sessions.map((s) => s.date)).toEqual(['2025-03-18', '2025-03-25', '2025-04-01']);
		expect(sessions.map((s) => s.seriesIndex)).toEqual([0, 1, 2]);
		const seriesId = sessions[0]!.seriesId;
		expect(seriesId).toMatch(UUID_V7);
		expect(sessions.map((s) => s.seriesId)).toEqual([seriesId, seriesId, seriesId]);
		expect(new Set(sessions.map((s) => s.id)).size).toBe(3);

		const rows = await outboxRows(db);
		expect(rows).toHaveLength(3);
		expect(rows.map((r) => r.kind)).toEqual(['session', 'session', 'session']);
		expect(rows[0]!.hlc < rows[1]!.hlc && rows[1]!.hlc < rows[2]!.hlc).toBe(true);

		sessions.forEach((session, i) => {
			const row = rows[i]!;
			const fields = planFields(session.date);
			expect(session.id).toMatch(UUID_V7);
			expect(session).toEqual({
				id: session.id,
				locationId: actor.locationId,
				seriesId,
				seriesIndex: i,
				date: fields.date,
				fields,
				stamps: Object.fromEntries(Object.keys(fields).map((f) => [f, row.hlc])),
				createdBy: actor.staffId,
				createdAt: session.createdAt
			});
			expect(Date.parse(session.createdAt)).toBeGreaterThanOrEqual(before - 1);
			expect(row.mutationId).toMatch(UUID_V7);
			expect(parseHlc(row.hlc).node).toBe(device.id);
			expect(v.parse(SessionPayload, row.payload)).toEqual({
				id: session.id,
				locationId: actor.locationId,
				seriesId,
				seriesIndex: i,
				fields,
				base: {},
				by: actor.staffId,
				createdAt: session.createdAt
			});
		});
		for (const session of sessions) {
			expect(await db.sessions.get(session.id)).toEqual(session);
		}
		expect((await db.meta.get(LAST_STAMP))?.value).toBe(rows[2]!.hlc);

		expect(viewSession(sessions[1]!)).toEqual({
			title: 'Tablet-Treff',
			courseIds: ['tablet-basics', 'online-banking'],
			date: '2025-03-25',
			start: '10:00',
			end: '11:30',
			room: 'Lesesaal',
			volunteerIds: volunteers,
			capacity: 12,
			status: 'planned',
			record: sessions[1]
		});
	});

	it('makes a single session without a series', async () => {
		const { db, actor } = await setUp('create-single');
		const sessions = await createSessions(
			db,
			actor,
			plan({ weeks: 1, courseIds: [], volunteerIds: [] })
		);
		expect(sessions).toHaveLength(1);
		expect(sessions[0]).toMatchObject({ seriesId: null, seriesIndex: null, date: '2025-03-18' });
		const rows = await outboxRows(db);
		expect(rows).toHaveLength(1);
		const payload = v.parse(SessionPayload, rows[0]!.payload);
		expect(payload).toMatchObject({ seriesId: null, seriesIndex: null, base: {} });
		expect(payload.fields).toEqual({
			...planFields('2025-03-18'),
			courseIds: '',
			volunteerIds: ''
		});
		expect(viewSession(sessions[0]!)).toMatchObject({ courseIds: [], volunteerIds: [] });
	});

	it('lists sessions in a date range, inclusive, by date and start time', async () => {
		const { db, actor } = await setUp('list');
		const series = await createSessions(db, actor, plan());
		const [afternoon] = await createSessions(
			db,
			actor,
			plan({ weeks: 1, date: '2025-03-25', start: '14:00', end: '15:00', title: 'Nachmittag' })
		);
		const [morning] = await createSessions(
			db,
			actor,
			plan({ weeks: 1, date: '2025-03-25', start: '09:00', end: '09:45', title: 'Früh' })
		);
		const [before] = await createSessions(db, actor, plan({ weeks: 1, date: '2025-03-17' }));
		const [after] = await createSessions(db, actor, plan({ weeks: 1, date: '2025-04-02' }));

		const all = await listSessions(db, '2025-03-18', '2025-04-01');
		expect(all.map((s) => s.record.id)).toEqual([
			series[0]!.id,
			morning!.id,
			series[1]!.id,
			afternoon!.id,
			series[2]!.id
		]);
		expect(all.map((s) => `${s.date} ${s.start}`)).toEqual([
			'2025-03-18 10:00',
			'2025-03-25 09:00',
			'2025-03-25 10:00',
			'2025-03-25 14:00',
			'2025-04-01 10:00'
		]);
		expect(all[1]).toEqual(viewSession(morning!));

		expect((await listSessions(db, '2025-03-19', '2025-03-31')).map((s) => s.start)).toEqual([
			'09:00',
			'10:00',
			'14:00'
		]);
		expect((await listSessions(db, '2025-03-17', '2025-03-17')).map((s) => s.record)).toEqual([
			before
		]);
		expect((await listSessions(db, '2025-04-02', '2025-04-30')).map((s) => s.record)).toEqual([
			after
		]);
		expect(await listSessions(db, '2025-05-01', '2025-05-31')).toEqual([]);
	});
});

describe('updateSessions', () => {
	it('changes this and the following sessions of a series, the date only of this one', async () => {
		const { db, actor } = await setUp('update-following');
		const series = await createSessions(db, actor, plan());
		const [first, second, third] = series as [SessionRecord, SessionRecord, SessionRecord];

		const saved = await updateSessions(
			db,
			actor,
			second,
			{ room: 'Raum 2', date: '2025-03-26' },
			'following'
		);

		expect(await db.sessions.get(first.id)).toEqual(first);

		const rows = await outboxRows(db);
		expect(rows).toHaveLength(5);
		const [forSecond, forThird] = [rows[3]!, rows[4]!];
		expect([forSecond.kind, forThird.kind]).toEqual(['session', 'session']);

		const storedSecond = await db.sessions.get(second.id);
		expect(storedSecond).toEqual({
			...second,
			date: '2025-03-26',
			fields: { ...second.fields, room: 'Raum 2', date: '2025-03-26' },
			stamps: { ...second.stamps, room: forSecond.hlc, date: forSecond.hlc }
		});
		const storedThird = await db.sessions.get(third.id);
		expect(storedThird).toEqual({
			...third,
			fields: { ...third.fields, room: 'Raum 2' },
			stamps: { ...third.stamps, room: forThird.hlc }
		});
		expect(storedThird!.date).toBe('2025-04-01');
		expect(saved).toEqual([storedSecond, storedThird]);

		expect(v.parse(SessionPayload, forSecond.payload)).toEqual({
			id: second.id,
			locationId: actor.locationId,
			seriesId: second.seriesId,
			seriesIndex: 1,
			fields: { date: '2025-03-26', room: 'Raum 2' },
			base: { date: second.stamps.date, room: second.stamps.room },
			by: actor.staffId,
			createdAt: second.createdAt
		});
		expect(v.parse(SessionPayload, forThird.payload)).toEqual({
			id: third.id,
			locationId: actor.locationId,
			seriesId: third.seriesId,
			seriesIndex: 2,
			fields: { room: 'Raum 2' },
			base: { room: third.stamps.room },
			by: actor.staffId,
			createdAt: third.createdAt
		});
		expect((await db.meta.get(LAST_STAMP))?.value).toBe(forThird.hlc);
	});

	it('writes nothing for an update that changes nothing, even from a stale copy', async () => {
		const { db, actor } = await setUp('update-nothing');
		const series = await createSessions(db, actor, plan());
		await updateSessions(db, actor, series[1]!, { room: 'Raum 2' }, 'following');
		const rowsBefore = await outboxRows(db);
		const sessionsBefore = await db.sessions.toArray();
		const stampBefore = (await db.meta.get(LAST_STAMP))?.value;

		// `series[1]` still says "Lesesaal": what counts is what is stored.
		await updateSessions(db, actor, series[1]!, { room: 'Raum 2' }, 'following');
		await updateSessions(db, actor, series[2]!, { room: 'Raum 2' }, 'this');
		await updateSessions(db, actor, series[0]!, { title: 'Tablet-Treff', capacity: 12 }, 'this');
		await updateSessions(db, actor, series[2]!, {}, 'following');

		expect(await outboxRows(db)).toEqual(rowsBefore);
		expect(await db.sessions.toArray()).toEqual(sessionsBefore);
		expect((await db.meta.get(LAST_STAMP))?.value).toBe(stampBefore);
	});

	it('changes a stale copy against what is stored, with the stored stamps as base', async () => {
		const { db, actor } = await setUp('update-stale');
		const series = await createSessions(db, actor, plan());
		const [moved] = await updateSessions(db, actor, series[2]!, { room: 'Raum 2' }, 'this');

		// `series[2]` is the copy from before the move: its room must not come back.
		const [saved] = await updateSessions(db, actor, series[2]!, { capacity: 8 }, 'this');
		const rows = await outboxRows(db);
		expect(rows).toHaveLength(5);
		expect(saved).toEqual({
			...moved,
			fields: { ...moved!.fields, capacity: '8' },
			stamps: { ...moved!.stamps, capacity: rows[4]!.hlc }
		});
		expect(await db.sessions.get(series[2]!.id)).toEqual(saved);
		expect(v.parse(SessionPayload, rows[4]!.payload)).toMatchObject({
			fields: { capacity: '8' },
			base: { capacity: series[2]!.stamps.capacity }
		});
	});

	it('changes only this session when asked for this one', async () => {
		const { db, actor } = await setUp('update-this');
		const [first, second, third] = (await createSessions(db, actor, plan())) as [
			SessionRecord,
			SessionRecord,
			SessionRecord
		];
		await updateSessions(db, actor, second, { status: 'cancelled' }, 'this');
		expect(await db.sessions.get(first.id)).toEqual(first);
		expect(await db.sessions.get(third.id)).toEqual(third);
		expect((await db.sessions.get(second.id))!.fields.status).toBe('cancelled');
		const rows = await outboxRows(db);
		expect(rows).toHaveLength(4);
		expect(v.parse(SessionPayload, rows[3]!.payload)).toMatchObject({
			id: second.id,
			fields: { status: 'cancelled' },
			base: { status: second.stamps.status }
		});
	});
});

describe('setAttendance', () => {
	it('writes one record and one outbox row per learner, with the stamps it replaces', async () => {
		const { db, actor } = await setUp('attendance');
		const [session] = await createSessions(db, actor, plan({ weeks: 1 }));
		const sessionId = session!.id;
		const [mira, olek] = [uuidv7(), uuidv7()];

		const saved = await setAttendance(db, actor, sessionId, [mira, olek], {
			roster: 'signed-up',
			status: 'present'
		});
		const rows = await outboxRows(db, 'attendance');
		expect(rows).toHaveLength(2);
		expect(await db.attendance.count()).toBe(2);
		const expected = [mira, olek].map((learnerId, i) => ({
			sessionId,
			learnerId,
			fields: { roster: 'signed-up', status: 'present' },
			stamps: { roster: rows[i]!.hlc, status: rows[i]!.hlc },
			conflicts: []
		}));
		expect(saved).toEqual(expected);
		expect(await db.attendance.get([sessionId, mira])).toEqual(expected[0]);
		expect(await db.attendance.get([sessionId, olek])).toEqual(expected[1]);
		rows.forEach((row, i) => {
			expect(v.parse(AttendancePayload, row.payload)).toEqual({
				sessionId,
				learnerId: [mira, olek][i],
				fields: { roster: 'signed-up', status: 'present' },
				base: {},
				by: actor.staffId
			});
		});

		const firstStamp = rows[0]!.hlc;
		await setAttendance(db, actor, sessionId, [mira], { status: 'late', note: 'Bus verpasst' });
		const [, , second] = await outboxRows(db, 'attendance');
		expect(second).toBeDefined();
		expect(v.parse(AttendancePayload, second!.payload)).toEqual({
			sessionId,
			learnerId: mira,
			fields: { status: 'late', note: 'Bus verpasst' },
			base: { status: firstStamp },
			by: actor.staffId
		});
		const afterSecond = await db.attendance.get([sessionId, mira]);
		expect(afterSecond).toEqual({
			sessionId,
			learnerId: mira,
			fields: { roster: 'signed-up', status: 'late', note: 'Bus verpasst' },
			stamps: { roster: firstStamp, status: second!.hlc, note: second!.hlc },
			conflicts: []
		});

		// The same values again: nothing to send.
		const countBefore = await db.outbox.count();
		await setAttendance(db, actor, sessionId, [mira], { status: 'late', note: undefined });
		await setAttendance(db, actor, sessionId, [mira, olek], { roster: 'signed-up' });
		expect(await db.outbox.count()).toBe(countBefore);
		expect(await db.attendance.get([sessionId, mira])).toEqual(afterSecond);
		expect(await db.attendance.get([sessionId, olek])).toEqual(expected[1]);
	});
});

describe('addWalkIn', () => {
	it('writes the learner and the attendance, learner row first', async () => {
		const { db, device, actor } = await setUp('walk-in');
		const [session] = await createSessions(db, actor, plan({ weeks: 1 }));
		const learner = await addWalkIn(db, actor, session!.id, {
			name: '  Mira  ',
			avatar: 'owl',
			lang: 'de'
		});

		expect(learner).toMatchObject({
			name: 'Mira',
			avatar: 'owl',
			lang: 'de',
			historyOn: device.id
		});
		expect(learner.id).toMatch(UUID_V7);
		expect(learner.placeOnly).toBeUndefined();
		expect(await db.learners.get(learner.id)).toEqual(learner);

		const rows = await outboxRows(db);
		expect(rows.map((r) => r.kind)).toEqual(['session', 'learner', 'attendance']);
		const [, learnerRow, attendanceRow] = rows as [OutboxRecord, OutboxRecord, OutboxRecord];
		expect(learnerRow.seq!).toBeLessThan(attendanceRow.seq!);
		expect(v.parse(LearnerPayload, learnerRow.payload)).toMatchObject({
			id: learner.id,
			fields: { name: 'Mira', avatar: 'owl', lang: 'de' }
		});
		expect(v.parse(AttendancePayload, attendanceRow.payload)).toEqual({
			sessionId: session!.id,
			learnerId: learner.id,
			fields: { roster: 'walk-in', status: 'present' },
			base: {},
			by: actor.staffId
		});
		expect(await db.attendance.get([session!.id, learner.id])).toEqual({
			sessionId: session!.id,
			learnerId: learner.id,
			fields: { roster: 'walk-in', status: 'present' },
			stamps: { roster: attendanceRow.hlc, status: attendanceRow.hlc },
			conflicts: []
		});
		expect((await listLearners(db)).map((l) => l.id)).toEqual([learner.id]);
		expect((await sessionRoster(db, session!.id)).map((e) => e.learner)).toEqual([learner]);
	});

	it('leaves neither the learner nor any outbox row when the attendance cannot be written', async () => {
		const { db, actor } = await setUp('walk-in-fails');
		const [session] = await createSessions(db, actor, plan({ weeks: 1 }));
		const rowsBefore = await outboxRows(db);
		const stampBefore = (await db.meta.get(LAST_STAMP))?.value;

		const put = vi.spyOn(db.attendance, 'put').mockImplementation(() => {
			throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
		});
		await expect(
			addWalkIn(db, actor, session!.id, { name: 'Mira', avatar: 'owl', lang: 'de' })
		).rejects.toThrow('quota');
		expect(put).toHaveBeenCalledTimes(1);
		put.mockRestore();

		expect(await db.learners.count()).toBe(0);
		expect(await db.attendance.count()).toBe(0);
		expect(await outboxRows(db)).toEqual(rowsBefore);
		expect((await db.meta.get(LAST_STAMP))?.value).toBe(stampBefore);
	});
});

describe('applyPulledPage with sessions and attendance', () => {
	const locationId = uuidv7();
	const staffId = uuidv7();
	const base = formatHlc({ ms: Date.now() - 3_600_000, counter: 0, node: OFFICE });

	function sessionSnapshot(overrides: Partial<SessionSnapshot> = {}): SessionSnapshot {
		return {
			id: uuidv7(),
			locationId,
			seriesId: null,
			seriesIndex: null,
			fields: { ...planFields('2025-03-18'), room: 'Saal 3' },
			stamps: Object.fromEntries(Object.keys(planFields('')).map((f) => [f, base])),
			createdBy: staffId,
			createdAt: '2025-03-01T10:00:00.000Z',
			...overrides
		};
	}

	it('stores what the office sends on a fresh device', async () => {
		const db = await freshDatabase('pull-fresh');
		const session = sessionSnapshot({ seriesId: uuidv7(), seriesIndex: 4 });
		const learnerId = uuidv7();
		const other = formatHlc({ ms: parseHlc(base).ms + 5, counter: 0, node: uuidv7() });
		const attendance: AttendanceSnapshot = {
			sessionId: session.id,
			learnerId,
			fields: { roster: 'signed-up', status: 'present', note: 'Brille vergessen' },
			stamps: { roster: base, status: other, note: base },
			conflicts: [
				{
					field: 'status',
					kept: { value: 'present', stamp: other },
					other: { value: 'absent', stamp: base }
				}
			]
		};
		const changes: Change[] = [
			{ entity: 'session', data: session },
			{ entity: 'attendance', data: attendance }
		];
		await applyPulledPage(db, changes, 'cursor-1');

		expect(await db.sessions.toArray()).toEqual([{ ...session, date: '2025-03-18' }]);
		expect(await db.attendance.toArray()).toEqual([attendance]);
		expect((await listSessions(db, '2025-03-18', '2025-03-18')).map((s) => s.room)).toEqual([
			'Saal 3'
		]);
		expect((await db.meta.get(CURSOR))?.value).toBe('cursor-1');
		expect(await db.outbox.count()).toBe(0);
	});

	it('keeps fields changed here later and takes those the office changed later', async () => {
		const { db, actor } = await setUp('pull-merge');
		const [mine] = await createSessions(db, actor, plan({ weeks: 1 }));
		const [edited] = await updateSessions(db, actor, mine!, { room: 'Raum 2' });
		const created = mine!.stamps.title!;
		const roomHere = edited!.stamps.room!;
		expect(roomHere > created).toBe(true);

		const office = sessionSnapshot({
			id: mine!.id,
			locationId: actor.locationId,
			createdBy: actor.staffId,
			createdAt: mine!.createdAt,
			fields: {
				title: 'Tablet-Treff (neu)',
				room: 'Lesesaal',
				start: '08:00',
				date: '2025-03-19'
			},
			stamps: {
				title: shifted(created, 60_000),
				room: shifted(roomHere, -1),
				start: shifted(created, -60_000),
				date: shifted(created, 60_000)
			}
		});
		await applyPulledPage(db, [{ entity: 'session', data: office }], 'cursor-2');

		expect(await db.sessions.get(mine!.id)).toEqual({
			...edited,
			date: '2025-03-19',
			fields: {
				...edited!.fields,
				title: 'Tablet-Treff (neu)',
				date: '2025-03-19',
				room: 'Raum 2',
				start: '10:00'
			},
			stamps: {
				...edited!.stamps,
				title: office.stamps.title,
				date: office.stamps.date,
				room: roomHere,
				start: created
			}
		});

		const learnerId = uuidv7();
		const [mark] = await setAttendance(db, actor, mine!.id, [learnerId], {
			roster: 'signed-up',
			status: 'present'
		});
		const markedHere = mark!.stamps.status!;
		const conflicts: AttendanceSnapshot['conflicts'] = [
			{
				field: 'status',
				kept: { value: 'present', stamp: markedHere },
				other: { value: 'absent', stamp: shifted(markedHere, -1) }
			}
		];
		await applyPulledPage(
			db,
			[
				{
					entity: 'attendance',
					data: {
						sessionId: mine!.id,
						learnerId,
						fields: { roster: 'removed', status: 'absent', note: 'vom Büro' },
						stamps: {
							roster: shifted(markedHere, 1_000),
							status: shifted(markedHere, -1),
							note: shifted(markedHere, -5_000)
						},
						conflicts
					}
				}
			],
			'cursor-3'
		);
		expect(await db.attendance.get([mine!.id, learnerId])).toEqual({
			sessionId: mine!.id,
			learnerId,
			fields: { roster: 'removed', status: 'present', note: 'vom Büro' },
			stamps: {
				roster: shifted(markedHere, 1_000),
				status: markedHere,
				note: shifted(markedHere, -5_000)
			},
			conflicts
		});
		expect((await db.meta.get(CURSOR))?.value).toBe('cursor-3');
	});

	it("stores the place's learners apart from this device's, with their card digests", async () => {
		const { db, device } = await setUp('pull-learners');
		const anna = await createLearner(db, device, { name: 'Anna', avatar: 'owl', lang: 'de' });
		const cards = { current: 'ab'.repeat(32), replaced: [] };
		const annaFromOffice: LearnerSnapshot = {
			id: anna.id,
			name: 'Anna K.',
			avatar: 'owl',
			lang: 'de',
			createdAt: anna.createdAt,
			stamps: {
				name: shifted(anna.stamps!.name!, 1_000),
				avatar: shifted(anna.stamps!.avatar!, -1_000),
				lang: shifted(anna.stamps!.lang!, -1_000)
			},
			cards: { current: 'cd'.repeat(32), replaced: ['ef'.repeat(32)] }
		};
		const zeynepStamp = shifted(anna.stamps!.name!, -86_400_000);
		const zeynep: LearnerSnapshot = {
			id: uuidv7(),
			name: 'Zeynep',
			avatar: 'fox',
			lang: 'tr',
			createdAt: '2025-02-01T12:00:00.000Z',
			stamps: { name: zeynepStamp, avatar: zeynepStamp, lang: zeynepStamp },
			cards
		};
		const bogdan: LearnerSnapshot = {
			...zeynep,
			id: uuidv7(),
			name: 'Bogdan',
			avatar: 'cat',
			lang: 'uk'
		};
		delete bogdan.cards;

		await applyPulledPage(
			db,
			[
				{ entity: 'learner', data: annaFromOffice },
				{ entity: 'learner', data: zeynep },
				{ entity: 'learner', data: bogdan }
			],
			'cursor-1'
		);

		const storedZeynep = await db.learners.get(zeynep.id);
		expect(storedZeynep).toEqual({
			id: zeynep.id,
			name: 'Zeynep',
			avatar: 'fox',
			lang: 'tr',
			createdAt: zeynep.createdAt,
			updatedAt: zeynep.createdAt,
			stamps: zeynep.stamps,
			placeOnly: true,
			cardDigests: cards
		});
		const storedBogdan = await db.learners.get(bogdan.id);
		expect(storedBogdan).toMatchObject({ placeOnly: true, name: 'Bogdan' });
		expect(storedBogdan!.cardDigests).toBeUndefined();

		const storedAnna = await db.learners.get(anna.id);
		expect(storedAnna).toEqual({
			...anna,
			name: 'Anna K.',
			stamps: { ...anna.stamps, name: annaFromOffice.stamps.name },
			cardDigests: annaFromOffice.cards
		});
		expect(storedAnna!.placeOnly).toBeUndefined();

		expect((await listLearners(db)).map((l) => l.name)).toEqual(['Anna K.']);
		expect((await knownLearners(db)).map((l) => l.name)).toEqual(['Anna K.', 'Bogdan', 'Zeynep']);

		// The next page about the same learner does not make them this device's.
		await applyPulledPage(
			db,
			[
				{
					entity: 'learner',
					data: {
						...zeynep,
						name: 'Zeynep A.',
						stamps: { ...zeynep.stamps, name: shifted(zeynepStamp, 1) }
					}
				}
			],
			'cursor-2'
		);
		expect(await db.learners.get(zeynep.id)).toMatchObject({ name: 'Zeynep A.', placeOnly: true });
		expect((await listLearners(db)).map((l) => l.name)).toEqual(['Anna K.']);
	});
});

describe('sessionRoster', () => {
	it("lists the session's learners by name with decoded values", async () => {
		const { db, device, actor } = await setUp('roster');
		const [session, otherSession] = await createSessions(db, actor, plan({ weeks: 2 }));
		const learners: Record<string, LearnerRecord> = {};
		for (const name of ['Zeynep', 'anna', 'Ben', 'Chris']) {
			learners[name] = await createLearner(db, device, { name, avatar: 'owl', lang: 'de' });
		}
		await setAttendance(db, actor, session!.id, [learners.Zeynep!.id, learners.anna!.id], {
			roster: 'signed-up'
		});
		await setAttendance(db, actor, session!.id, [learners.Ben!.id], {
			roster: 'walk-in',
			status: 'late',
			note: 'kam mit dem Bus'
		});
		await setAttendance(db, actor, otherSession!.id, [learners.Chris!.id], {
			roster: 'signed-up'
		});

		const roster = await sessionRoster(db, session!.id);
		expect(roster.map((e) => e.learner?.name)).toEqual(['anna', 'Ben', 'Zeynep']);
		expect(roster.map((e) => e.learnerId)).toEqual([
			learners.anna!.id,
			learners.Ben!.id,
			learners.Zeynep!.id
		]);
		expect(roster.map((e) => e.learner)).toEqual([learners.anna, learners.Ben, learners.Zeynep]);
		expect(roster.map((e) => e.values)).toEqual([
			{ roster: 'signed-up', status: '', note: '', helpSeen: '' },
			{ roster: 'walk-in', status: 'late', note: 'kam mit dem Bus', helpSeen: '' },
			{ roster: 'signed-up', status: '', note: '', helpSeen: '' }
		]);
		for (const entry of roster) {
			expect(entry.record).toEqual(await db.attendance.get([session!.id, entry.learnerId]));
		}
		expect((await sessionRoster(db, otherSession!.id)).map((e) => e.learner?.name)).toEqual([
			'Chris'
		]);
	});
});
