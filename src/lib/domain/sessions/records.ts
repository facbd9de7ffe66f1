/**
 * Training sessions and attendance as small records that tablets edit offline and merge field
 * by field (`domain/merge/fields.ts`): the later clock stamp wins, ties cannot happen, and an
 * edit made without seeing the value it replaces is flagged when it disagrees. Values travel as
 * strings so one merge serves every field; these helpers turn them into what pages use.
 */
import { isAttendanceStatus, type AttendanceStatus } from './attendance';

export const SESSION_FIELDS = [
	'title',
	'courseIds',
	'date',
	'start',
	'end',
	'room',
	'volunteerIds',
	'capacity',
	'status'
] as const;
export type SessionField = (typeof SESSION_FIELDS)[number];

export const SESSION_STATUSES = ['planned', 'cancelled', 'closed'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

export interface SessionValues {
	title: string;
	courseIds: string[];
	date: string;
	start: string;
	end: string;
	room: string;
	volunteerIds: string[];
	capacity: number;
	status: SessionStatus;
}

/** Lists travel as comma-separated ids (ids never hold commas), numbers as decimal text. */
export function encodeSession(
	values: Partial<SessionValues>
): Partial<Record<SessionField, string>> {
	const out: Partial<Record<SessionField, string>> = {};
	for (const field of SESSION_FIELDS) {
		const value = values[field];
		if (value === undefined) continue;
		out[field] = Array.isArray(value) ? value.join(',') : String(value);
	}
	return out;
}

export function decodeSession(fields: Partial<Record<SessionField, string>>): SessionValues {
	const list = (text: string | undefined) => (text ? text.split(',').filter(Boolean) : []);
	const status = fields.status as SessionStatus | undefined;
	return {
		title: fields.title ?? '',
		courseIds: list(fields.courseIds),
		date: fields.date ?? '',
		start: fields.start ?? '',
		end: fields.end ?? '',
		room: fields.room ?? '',
		volunteerIds: list(fields.volunteerIds),
		capacity: Number(fields.capacity ?? 0),
		status: status && SESSION_STATUSES.includes(status) ? status : 'planned'
	};
}

export const ATTENDANCE_FIELDS = ['roster', 'status', 'note', 'helpSeen'] as const;
export type AttendanceField = (typeof ATTENDANCE_FIELDS)[number];

/** How a learner came onto the roster; "removed" takes them off again (the history stays). */
export const ROSTER_STATES = ['signed-up', 'walk-in', 'removed'] as const;
export type RosterState = (typeof ROSTER_STATES)[number];

export const NOTE_MAX_LENGTH = 500;

export interface AttendanceValues {
	roster: RosterState | '';
	/** Empty until someone marks the learner. */
	status: AttendanceStatus | '';
	/** Staff only: never sent to a learner's own device. */
	note: string;
	/** When a volunteer last answered this learner's call for help (an ISO time, or empty). */
	helpSeen: string;
}

export function decodeAttendance(
	fields: Partial<Record<AttendanceField, string>>
): AttendanceValues {
	const roster = fields.roster as RosterState | undefined;
	const status = fields.status;
	return {
		roster: roster && ROSTER_STATES.includes(roster) ? roster : '',
		status: isAttendanceStatus(status) ? status : '',
		note: fields.note ?? '',
		helpSeen: fields.helpSeen ?? ''
	};
}

/** On the roster: signed up or walked in, and not taken off again. */
export function onRoster(values: Pick<AttendanceValues, 'roster'>): boolean {
	return values.roster === 'signed-up' || values.roster === 'walk-in';
}
