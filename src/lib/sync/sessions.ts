/**
 * The wire contract of training sessions and attendance: what a place's tablets send and get.
 * Values are strings per field (see `domain/sessions/records.ts`), each with its clock stamp.
 */
import * as v from 'valibot';
import { ATTENDANCE_STATUSES } from '../domain/sessions/attendance';
import {
	ATTENDANCE_FIELDS,
	ROSTER_STATES,
	SESSION_FIELDS,
	SESSION_STATUSES,
	NOTE_MAX_LENGTH,
	type AttendanceField,
	type SessionField
} from '../domain/sessions/records';
import { TITLE_MAX_LENGTH } from '../domain/sessions/session-rules';

const Uuid = v.pipe(
	v.string(),
	v.regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'not a UUID')
);
const Hlc = v.pipe(v.string(), v.regex(/^\d{15}-\d{5}-[0-9a-f-]{36}$/, 'not a clock stamp'));
const IdList = (item: RegExp, max: number) =>
	v.pipe(
		v.string(),
		v.maxLength(max),
		v.check(
			(text) => text === '' || text.split(',').every((id) => item.test(id)),
			'not a list of ids'
		)
	);
const COURSE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const SessionPayload = v.strictObject({
	id: Uuid,
	locationId: Uuid,
	/** Sessions made together as a weekly series share this id; each date is its own session. */
	seriesId: v.optional(v.nullable(Uuid), null),
	seriesIndex: v.optional(v.nullable(v.pipe(v.number(), v.integer(), v.minValue(0))), null),
	fields: v.strictObject({
		title: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(TITLE_MAX_LENGTH))),
		courseIds: v.optional(IdList(COURSE_ID, 800)),
		date: v.optional(v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2}$/, 'not a date'))),
		start: v.optional(v.pipe(v.string(), v.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'not a time'))),
		end: v.optional(v.pipe(v.string(), v.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'not a time'))),
		room: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(80))),
		volunteerIds: v.optional(IdList(UUID, 37 * 20)),
		capacity: v.optional(v.pipe(v.string(), v.regex(/^\d{1,3}$/, 'not a number'))),
		status: v.optional(v.picklist(SESSION_STATUSES))
	}),
	/** The clock stamp of each field as the editing tablet knew it. */
	base: v.optional(v.record(v.picklist(SESSION_FIELDS), Hlc), {}),
	/** The volunteer who made the change on the tablet. */
	by: Uuid,
	createdAt: v.pipe(v.string(), v.isoTimestamp())
});

export const AttendancePayload = v.strictObject({
	sessionId: Uuid,
	learnerId: Uuid,
	fields: v.strictObject({
		roster: v.optional(v.picklist(ROSTER_STATES)),
		status: v.optional(v.picklist(['', ...ATTENDANCE_STATUSES])),
		note: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(NOTE_MAX_LENGTH))),
		helpSeen: v.optional(v.union([v.literal(''), v.pipe(v.string(), v.isoTimestamp())]))
	}),
	base: v.optional(v.record(v.picklist(ATTENDANCE_FIELDS), Hlc), {}),
	by: Uuid
});

export type SessionPayload = v.InferOutput<typeof SessionPayload>;
export type AttendancePayload = v.InferOutput<typeof AttendancePayload>;

export interface SessionSnapshot {
	id: string;
	locationId: string;
	seriesId: string | null;
	seriesIndex: number | null;
	fields: Partial<Record<SessionField, string>>;
	stamps: Partial<Record<SessionField, string>>;
	createdBy: string;
	createdAt: string;
}

export interface AttendanceConflict {
	field: AttendanceField;
	kept: { value: string; stamp: string };
	other: { value: string; stamp: string };
}

export interface AttendanceSnapshot {
	sessionId: string;
	learnerId: string;
	fields: Partial<Record<AttendanceField, string>>;
	stamps: Partial<Record<AttendanceField, string>>;
	/** Disagreements the office found between tablets, for a volunteer to look at. */
	conflicts: AttendanceConflict[];
}
