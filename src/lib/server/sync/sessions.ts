/**
 * Applies tablets' edits of training sessions and attendance. Only a place's own tablets, in the
 * hands of a volunteer of that place, may change its sessions. Each edit is merged field by
 * field (later clock wins), kept in `session_history` as it arrived, and a disagreement between
 * two edits that did not see each other goes to `conflicts` for the volunteers to see.
 */
import type { Transaction } from 'kysely';
import { inScope, type Role } from '../../domain/auth/roles';
import { mergeFields, type MergeResult } from '../../domain/merge/fields';
import {
	SESSION_FIELDS,
	decodeAttendance,
	decodeSession,
	onRoster,
	type AttendanceField,
	type SessionField
} from '../../domain/sessions/records';
import { splitStamped, stampedOf } from '../../domain/merge/stamped';
import { MAX_CAPACITY, sessionProblems } from '../../domain/sessions/session-rules';
import type { Mutation } from '../../sync/protocol';
import type { AttendancePayload, SessionPayload } from '../../sync/sessions';
import type { OfficeDatabase } from '../db/connection';
import type { Database } from '../db/schema';
import { refreshSessionFacts } from '../reports/facts';

type Tx = Transaction<Database>;

export interface PushingDevice {
	id: string;
	kind: string | null;
	location_id: string | null;
}

export type SessionFate = 'accepted' | 'duplicate' | { rejected: string };

/** Claims a mutation id (false: applied before), as the push does for every kind. */
export type Claim = (mutation: Mutation) => Promise<boolean>;

async function staffMayActAt(tx: Tx, staffId: string, locationId: string): Promise<boolean> {
	const staff = await tx
		.selectFrom('staff')
		.select(['role', 'disabled_at'])
		.where('id', '=', staffId)
		.executeTakeFirst();
	if (!staff || staff.disabled_at) return false;
	const locationIds = (
		await tx
			.selectFrom('staff_locations')
			.select('location_id')
			.where('staff_id', '=', staffId)
			.execute()
	).map((l) => l.location_id);
	return inScope({ role: staff.role as Role, locationIds }, locationId);
}

/** Why this device, with this volunteer, may not edit this place's sessions (null: it may). */
async function outOfPlace(
	tx: Tx,
	device: PushingDevice,
	locationId: string,
	staffId: string
): Promise<string | null> {
	if (device.kind !== 'location' || device.location_id !== locationId) {
		return 'session: not a session of this tablet’s place';
	}
	if (!(await staffMayActAt(tx, staffId, locationId))) {
		return 'by: not a volunteer of this place';
	}
	return null;
}

async function recordHistory(
	tx: Tx,
	entity: 'session' | 'attendance',
	entityId: string,
	device: PushingDevice,
	mutation: Mutation,
	staffId: string,
	fields: object,
	now: string
): Promise<void> {
	await tx
		.insertInto('session_history')
		.values({
			mutation_id: mutation.id,
			entity,
			entity_id: entityId,
			device_id: device.id,
			staff_id: staffId,
			hlc: mutation.hlc,
			fields: JSON.stringify(fields),
			received_at: now
		})
		.execute();
}

async function recordConflicts<F extends string>(
	tx: Tx,
	entity: 'session' | 'attendance',
	entityId: string,
	merged: MergeResult<F>,
	now: string
): Promise<void> {
	for (const conflict of merged.conflicts) {
		await tx
			.insertInto('conflicts')
			.values({
				entity,
				entity_id: entityId,
				field: conflict.field,
				kept: JSON.stringify(conflict.kept),
				other: JSON.stringify(conflict.other),
				flagged_at: now,
				resolved_at: null
			})
			.execute();
	}
}

async function logPlaceChange(
	tx: Tx,
	entity: 'session' | 'attendance',
	entityId: string,
	learnerId: string,
	locationId: string,
	now: string
): Promise<void> {
	await tx
		.insertInto('change_log')
		.values({
			entity,
			entity_id: entityId,
			learner_id: learnerId,
			location_id: locationId,
			created_at: now
		})
		.execute();
}

export function attendanceKey(sessionId: string, learnerId: string): string {
	return `${sessionId}/${learnerId}`;
}

export async function applySession(
	tx: Tx,
	dialect: OfficeDatabase['dialect'],
	device: PushingDevice,
	mutation: Mutation,
	payload: SessionPayload,
	claim: Claim,
	now: string
): Promise<SessionFate> {
	const refusal = await outOfPlace(tx, device, payload.locationId, payload.by);
	if (refusal) return { rejected: refusal };
	const row = await tx
		.selectFrom('training_sessions')
		.selectAll()
		.where('id', '=', payload.id)
		.$if(dialect === 'postgres', (q) => q.forUpdate())
		.executeTakeFirst();
	if (row && row.location_id !== payload.locationId) {
		return { rejected: 'locationId: the session belongs to another place' };
	}
	const editProblem = row ? editProblems(payload.fields) : null;
	if (editProblem) return { rejected: `payload.fields: ${editProblem}` };
	if (!row) {
		const missing = SESSION_FIELDS.filter((f) => payload.fields[f] === undefined);
		if (missing.length > 0) {
			return { rejected: `payload.fields: a new session needs ${missing.join(', ')}` };
		}
		const values = decodeSession(payload.fields);
		const problems = sessionProblems(values);
		if (problems.length > 0) {
			return {
				rejected: `payload.fields: ${problems.map((p) => `${p.field} ${p.problem}`).join('; ')}`
			};
		}
	}
	if (!(await claim(mutation))) return 'duplicate';

	const current = row ? stampedOf<SessionField>(sessionValuesOf(row), JSON.parse(row.stamps)) : {};
	const merged = mergeFields<SessionField>(current, {
		fields: payload.fields,
		stamp: mutation.hlc,
		base: payload.base
	});
	await recordHistory(tx, 'session', payload.id, device, mutation, payload.by, payload.fields, now);
	await recordConflicts(tx, 'session', payload.id, merged, now);
	if (!merged.changed) return 'accepted';
	const { values, stamps } = splitStamped(merged.fields);
	const decoded = decodeSession(values);
	const columns = {
		title: decoded.title,
		course_ids: values.courseIds ?? '',
		date: decoded.date,
		start_time: decoded.start,
		end_time: decoded.end,
		room: decoded.room,
		volunteer_ids: values.volunteerIds ?? '',
		capacity: decoded.capacity,
		status: decoded.status,
		stamps: JSON.stringify(stamps),
		updated_at: now
	};
	if (row) {
		await tx.updateTable('training_sessions').set(columns).where('id', '=', payload.id).execute();
	} else {
		await tx
			.insertInto('training_sessions')
			.values({
				id: payload.id,
				location_id: payload.locationId,
				series_id: payload.seriesId,
				series_index: payload.seriesIndex,
				created_by: payload.by,
				created_at: payload.createdAt,
				...columns
			})
			.execute();
	}
	await refreshSessionFacts(tx, payload.id, null, row?.date ?? null);
	await logPlaceChange(tx, 'session', payload.id, '', payload.locationId, now);
	return 'accepted';
}

/**
 * What an edit must get right on its own. Its fields merge with others' edits, so rules that
 * span fields it did not send (an end after a start someone else moved) cannot be refused here.
 */
function editProblems(fields: SessionPayload['fields']): string | null {
	if (fields.capacity !== undefined) {
		const capacity = Number(fields.capacity);
		if (capacity < 1 || capacity > MAX_CAPACITY) return `capacity ${capacity} out of range`;
	}
	if (fields.start !== undefined && fields.end !== undefined && fields.end <= fields.start) {
		return 'end before-start';
	}
	return null;
}

export function sessionValuesOf(row: {
	title: string;
	course_ids: string;
	date: string;
	start_time: string;
	end_time: string;
	room: string;
	volunteer_ids: string;
	capacity: number;
	status: string;
}): Record<SessionField, string> {
	return {
		title: row.title,
		courseIds: row.course_ids,
		date: row.date,
		start: row.start_time,
		end: row.end_time,
		room: row.room,
		volunteerIds: row.volunteer_ids,
		capacity: String(row.capacity),
		status: row.status
	};
}

export function attendanceValuesOf(row: {
	roster: string;
	status: string;
	note: string;
	help_seen: string;
}): Record<AttendanceField, string> {
	return { roster: row.roster, status: row.status, note: row.note, helpSeen: row.help_seen };
}

export async function applyAttendance(
	tx: Tx,
	dialect: OfficeDatabase['dialect'],
	device: PushingDevice,
	mutation: Mutation,
	payload: AttendancePayload,
	claim: Claim,
	now: string
): Promise<SessionFate> {
	// Locked on PostgreSQL: two tablets' first marks of one learner would otherwise both find no
	// row and both insert it. Marks of one session are few; taking them in turn costs nothing.
	const session = await tx
		.selectFrom('training_sessions')
		.select('location_id')
		.where('id', '=', payload.sessionId)
		.$if(dialect === 'postgres', (q) => q.forUpdate())
		.executeTakeFirst();
	if (!session) return { rejected: 'payload.sessionId: the session has not arrived yet' };
	const refusal = await outOfPlace(tx, device, session.location_id, payload.by);
	if (refusal) return { rejected: refusal };
	const learner = await tx
		.selectFrom('learners')
		.select(['id', 'erased_at'])
		.where('id', '=', payload.learnerId)
		.executeTakeFirst();
	if (!learner) return { rejected: 'payload.learnerId: the profile has not arrived yet' };
	if (learner.erased_at) return { rejected: 'learner: erased at the office' };
	if (!(await claim(mutation))) return 'duplicate';

	const key = attendanceKey(payload.sessionId, payload.learnerId);
	const row = await tx
		.selectFrom('attendance')
		.selectAll()
		.where('session_id', '=', payload.sessionId)
		.where('learner_id', '=', payload.learnerId)
		.$if(dialect === 'postgres', (q) => q.forUpdate())
		.executeTakeFirst();
	const current = row
		? stampedOf<AttendanceField>(attendanceValuesOf(row), JSON.parse(row.stamps))
		: {};
	const merged = mergeFields<AttendanceField>(current, {
		fields: payload.fields,
		stamp: mutation.hlc,
		base: payload.base
	});
	await recordHistory(tx, 'attendance', key, device, mutation, payload.by, payload.fields, now);
	await recordConflicts(tx, 'attendance', key, merged, now);
	const { values, stamps } = splitStamped(merged.fields);
	if (onRoster(decodeAttendance(values))) {
		// On a roster of the place: from now on its tablets see this learner and their progress.
		await tx
			.insertInto('location_learners')
			.values({ location_id: session.location_id, learner_id: payload.learnerId })
			.onConflict((oc) => oc.columns(['location_id', 'learner_id']).doNothing())
			.execute();
	}
	// A disagreement is news for the other tablets even when the stored value stays.
	if (!merged.changed && merged.conflicts.length === 0) return 'accepted';
	const columns = {
		roster: values.roster ?? '',
		status: values.status ?? '',
		note: values.note ?? '',
		help_seen: values.helpSeen ?? '',
		stamps: JSON.stringify(stamps),
		// Who made the mark that now stands (a losing edit that only raised a conflict did not).
		updated_by: merged.changed || !row ? payload.by : row.updated_by,
		updated_at: now
	};
	if (row) {
		await tx
			.updateTable('attendance')
			.set(columns)
			.where('session_id', '=', payload.sessionId)
			.where('learner_id', '=', payload.learnerId)
			.execute();
	} else {
		await tx
			.insertInto('attendance')
			.values({ session_id: payload.sessionId, learner_id: payload.learnerId, ...columns })
			.execute();
	}
	await refreshSessionFacts(tx, payload.sessionId, [payload.learnerId]);
	await logPlaceChange(tx, 'attendance', key, payload.learnerId, session.location_id, now);
	return 'accepted';
}
