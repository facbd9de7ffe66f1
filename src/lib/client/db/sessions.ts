/**
 * Training sessions and attendance on a place's tablet. Every change is written with its outbox
 * row in one transaction and carries, per field, the stamp it replaces, so the office can merge
 * two tablets' edits and flag a disagreement (see `domain/sessions/records.ts`).
 */
import { v7 as uuidv7 } from 'uuid';
import { expandSeries } from '../../domain/sessions/series';
import {
	ATTENDANCE_FIELDS,
	SESSION_FIELDS,
	decodeAttendance,
	decodeSession,
	encodeSession,
	type AttendanceField,
	type AttendanceValues,
	type SessionField,
	type SessionValues
} from '../../domain/sessions/records';
import { baseOf } from '../../domain/merge/stamped';
import type { AttendancePayload, SessionPayload } from '../../sync/sessions';
import type { LernlotseDatabase } from './database';
import { LAST_STAMP, type Device } from './device';
import { createLearner } from './learners';
import type {
	AttendanceRecord,
	LearnerRecord,
	LessonStateRecord,
	ProgressRecord,
	SessionRecord
} from './records';

/** Who changes what, where: the tablet, the unlocked volunteer and the tablet's place. */
export interface Actor {
	device: Device;
	staffId: string;
	locationId: string;
}

function changedFields<F extends string>(
	fields: readonly F[],
	before: Partial<Record<F, string>>,
	after: Partial<Record<F, string>>
): F[] {
	return fields.filter((f) => after[f] !== undefined && after[f] !== before[f]);
}

/** Writes one session change; the caller holds a transaction over sessions, outbox and meta. */
async function writeSession(
	db: LernlotseDatabase,
	actor: Actor,
	current: SessionRecord,
	values: Partial<SessionValues>,
	isNew: boolean
): Promise<SessionRecord> {
	const encoded = encodeSession(values);
	const changed = changedFields(SESSION_FIELDS, isNew ? {} : current.fields, encoded);
	if (changed.length === 0) return current;
	const hlc = actor.device.clock.tick();
	const fields = Object.fromEntries(changed.map((f) => [f, encoded[f]!])) as Partial<
		Record<SessionField, string>
	>;
	const next: SessionRecord = {
		...current,
		fields: { ...current.fields, ...fields },
		stamps: { ...current.stamps, ...Object.fromEntries(changed.map((f) => [f, hlc])) }
	};
	next.date = next.fields.date ?? '';
	const payload: SessionPayload = {
		id: current.id,
		locationId: current.locationId,
		seriesId: current.seriesId,
		seriesIndex: current.seriesIndex,
		// Encoded from checked values: the status is one of the statuses.
		fields: fields as SessionPayload['fields'],
		base: isNew ? {} : baseOf(current.stamps, changed),
		by: actor.staffId,
		createdAt: current.createdAt
	};
	await db.sessions.put(next);
	await db.outbox.add({
		mutationId: uuidv7(),
		kind: 'session',
		payload,
		hlc,
		createdAt: new Date().toISOString()
	});
	await db.meta.put({ key: LAST_STAMP, value: hlc });
	return next;
}

export interface NewSessions {
	title: string;
	courseIds: string[];
	date: string;
	start: string;
	end: string;
	room: string;
	volunteerIds: string[];
	capacity: number;
	/** 1 for a single session; more for "every week at this time". */
	weeks: number;
}

/** One session, or a weekly series of them: each date its own session, changeable alone. */
export async function createSessions(
	db: LernlotseDatabase,
	actor: Actor,
	input: NewSessions
): Promise<SessionRecord[]> {
	const { weeks, ...values } = input;
	const seriesId = weeks > 1 ? uuidv7() : null;
	const planned = expandSeries({
		firstDate: input.date,
		weeks,
		start: input.start,
		end: input.end,
		room: input.room
	});
	const createdAt = new Date().toISOString();
	return db.transaction('rw', [db.sessions, db.outbox, db.meta], async () => {
		const made: SessionRecord[] = [];
		for (const plan of planned) {
			const blank: SessionRecord = {
				id: uuidv7(),
				locationId: actor.locationId,
				seriesId,
				seriesIndex: seriesId ? plan.index : null,
				date: plan.date,
				fields: {},
				stamps: {},
				createdBy: actor.staffId,
				createdAt
			};
			made.push(
				await writeSession(
					db,
					actor,
					blank,
					{ ...values, date: plan.date, status: 'planned' },
					true
				)
			);
		}
		return made;
	});
}

/**
 * Changes a session, or this one and the later dates of its series. The date itself changes
 * only for the one session: moving a series is a new series.
 */
export async function updateSessions(
	db: LernlotseDatabase,
	actor: Actor,
	session: SessionRecord,
	values: Partial<SessionValues>,
	scope: 'this' | 'following' = 'this'
): Promise<SessionRecord[]> {
	return db.transaction('rw', [db.sessions, db.outbox, db.meta], async () => {
		const targets =
			scope === 'following' && session.seriesId !== null
				? (await db.sessions.where('seriesId').equals(session.seriesId).toArray()).filter(
						(s) => (s.seriesIndex ?? 0) >= (session.seriesIndex ?? 0)
					)
				: [session];
		const saved: SessionRecord[] = [];
		for (const target of targets) {
			const fresh = (await db.sessions.get(target.id)) ?? target;
			const own = target.id === session.id ? values : { ...values, date: undefined };
			saved.push(await writeSession(db, actor, fresh, own, false));
		}
		return saved;
	});
}

export function getSession(db: LernlotseDatabase, id: string): Promise<SessionRecord | undefined> {
	return db.sessions.get(id);
}

export interface SessionView extends SessionValues {
	record: SessionRecord;
}

export function viewSession(record: SessionRecord): SessionView {
	return { ...decodeSession(record.fields), record };
}

/** Sessions from `from` to `to` (inclusive), by date and start time. */
export async function listSessions(
	db: LernlotseDatabase,
	from: string,
	to: string
): Promise<SessionView[]> {
	const rows = await db.sessions.where('date').between(from, to, true, true).toArray();
	return rows
		.map(viewSession)
		.sort((a, b) => a.date.localeCompare(b.date) || a.start.localeCompare(b.start));
}

/** Writes one attendance change; the caller holds a transaction over attendance, outbox, meta. */
async function writeAttendance(
	db: LernlotseDatabase,
	actor: Actor,
	sessionId: string,
	learnerId: string,
	values: Partial<AttendanceValues>
): Promise<AttendanceRecord> {
	const current: AttendanceRecord = (await db.attendance.get([sessionId, learnerId])) ?? {
		sessionId,
		learnerId,
		fields: {},
		stamps: {},
		conflicts: []
	};
	const wanted = Object.fromEntries(
		Object.entries(values).filter(([, v]) => v !== undefined)
	) as Partial<Record<AttendanceField, string>>;
	const changed = changedFields(ATTENDANCE_FIELDS, current.fields, wanted);
	if (changed.length === 0) return current;
	const hlc = actor.device.clock.tick();
	const fields = Object.fromEntries(changed.map((f) => [f, wanted[f]!]));
	const next: AttendanceRecord = {
		...current,
		fields: { ...current.fields, ...fields },
		stamps: { ...current.stamps, ...Object.fromEntries(changed.map((f) => [f, hlc])) }
	};
	const payload: AttendancePayload = {
		sessionId,
		learnerId,
		fields: fields as AttendancePayload['fields'],
		base: baseOf(current.stamps, changed),
		by: actor.staffId
	};
	await db.attendance.put(next);
	await db.outbox.add({
		mutationId: uuidv7(),
		kind: 'attendance',
		payload,
		hlc,
		createdAt: new Date().toISOString()
	});
	await db.meta.put({ key: LAST_STAMP, value: hlc });
	return next;
}

/** The same change for several learners at once ("mark all present"), all or nothing. */
export async function setAttendance(
	db: LernlotseDatabase,
	actor: Actor,
	sessionId: string,
	learnerIds: readonly string[],
	values: Partial<AttendanceValues>
): Promise<AttendanceRecord[]> {
	return db.transaction('rw', [db.attendance, db.outbox, db.meta], async () => {
		const saved: AttendanceRecord[] = [];
		for (const learnerId of learnerIds) {
			saved.push(await writeAttendance(db, actor, sessionId, learnerId, values));
		}
		return saved;
	});
}

/** A walk-in: a new learner made on the spot, on the roster and present, in one transaction. */
export async function addWalkIn(
	db: LernlotseDatabase,
	actor: Actor,
	sessionId: string,
	input: { name: string; avatar: string; lang: string }
): Promise<LearnerRecord> {
	return db.transaction('rw', [db.learners, db.attendance, db.outbox, db.meta], async () => {
		const learner = await createLearner(db, actor.device, input);
		await writeAttendance(db, actor, sessionId, learner.id, {
			roster: 'walk-in',
			status: 'present'
		});
		return learner;
	});
}

export interface RosterEntry {
	learner: LearnerRecord | undefined;
	learnerId: string;
	values: AttendanceValues;
	record: AttendanceRecord;
}

/** Everyone with an attendance record at the session: on the roster, or marked anyway. */
export async function sessionRoster(
	db: LernlotseDatabase,
	sessionId: string
): Promise<RosterEntry[]> {
	const records = await db.attendance.where('sessionId').equals(sessionId).toArray();
	const learners = await db.learners.bulkGet(records.map((r) => r.learnerId));
	return records
		.map((record, i) => ({
			learner: learners[i],
			learnerId: record.learnerId,
			values: decodeAttendance(record.fields),
			record
		}))
		.sort((a, b) => (a.learner?.name ?? '').localeCompare(b.learner?.name ?? ''));
}

/** Learners this tablet knows: its own and its place's, for signing up and finding walk-ins. */
export async function knownLearners(db: LernlotseDatabase): Promise<LearnerRecord[]> {
	const all = await db.learners.toArray();
	return all.sort((a, b) => a.name.localeCompare(b.name));
}

export interface AttendeeProgress {
	states: LessonStateRecord[];
	/** The learner's events from `since` on (the session's window). */
	events: ProgressRecord[];
}

/** Where each learner stands and what they did since `since`, for the session page. */
export async function attendeeProgress(
	db: LernlotseDatabase,
	learnerIds: readonly string[],
	since: number
): Promise<Map<string, AttendeeProgress>> {
	// Clock stamps start with the time in ms, zero-padded: string order is time order.
	const from = String(Math.max(0, since)).padStart(15, '0');
	const result = new Map<string, AttendeeProgress>();
	for (const learnerId of learnerIds) {
		const [states, events] = await Promise.all([
			db.lessonState.where('learnerId').equals(learnerId).toArray(),
			db.progress
				.where('learnerId')
				.equals(learnerId)
				.filter((e) => e.hlc >= from)
				.toArray()
		]);
		result.set(learnerId, { states, events });
	}
	return result;
}
