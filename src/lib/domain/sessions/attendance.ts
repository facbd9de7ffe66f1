/**
 * Attendance at a session: one mark per learner, merged between tablets like any small record
 * (latest clock stamp wins, ties broken by device id inside the stamp, disagreeing edits that
 * did not see each other flagged: `domain/merge/fields.ts`). Closing a session turns everyone
 * still unmarked into "absent".
 */
import type { HlcStamp } from '../hlc';
import { mergeFields, type MergeResult, type Stamped } from '../merge/fields';

export const ATTENDANCE_STATUSES = ['present', 'late', 'excused', 'absent'] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];

export function isAttendanceStatus(value: unknown): value is AttendanceStatus {
	return ATTENDANCE_STATUSES.includes(value as AttendanceStatus);
}

/** Who came counts for reports; "late" came too. */
export function attended(status: AttendanceStatus | undefined): boolean {
	return status === 'present' || status === 'late';
}

export interface AttendanceChange {
	status: AttendanceStatus;
	stamp: HlcStamp;
	/** The stamp of the status as the marking tablet knew it (none for a first mark). */
	base?: HlcStamp;
}

export type AttendanceRecord = Partial<Record<'status', Stamped>>;

export function mergeAttendance(
	current: AttendanceRecord,
	change: AttendanceChange
): MergeResult<'status'> {
	return mergeFields<'status'>(current, {
		fields: { status: change.status },
		stamp: change.stamp,
		base: change.base ? { status: change.base } : {}
	});
}

/** The marks that closing a session adds: "absent" for everyone on the roster still unmarked. */
export function closingMarks(
	roster: readonly string[],
	marked: ReadonlyMap<string, AttendanceStatus>
): { learnerId: string; status: 'absent' }[] {
	return roster
		.filter((learnerId) => !marked.has(learnerId))
		.map((learnerId) => ({ learnerId, status: 'absent' as const }));
}

/** "Mark all present": the learners on the roster not marked yet. Marks already made stay. */
export function allPresentMarks(
	roster: readonly string[],
	marked: ReadonlyMap<string, AttendanceStatus>
): { learnerId: string; status: 'present' }[] {
	return roster
		.filter((learnerId) => !marked.has(learnerId))
		.map((learnerId) => ({ learnerId, status: 'present' as const }));
}

export interface AttendanceSummary {
	present: number;
	late: number;
	excused: number;
	absent: number;
	unmarked: number;
	/** present + late */
	attended: number;
}

export function summarizeAttendance(
	roster: readonly string[],
	marked: ReadonlyMap<string, AttendanceStatus>
): AttendanceSummary {
	const summary: AttendanceSummary = {
		present: 0,
		late: 0,
		excused: 0,
		absent: 0,
		unmarked: 0,
		attended: 0
	};
	for (const learnerId of new Set([...roster, ...marked.keys()])) {
		const status = marked.get(learnerId);
		if (status) summary[status]++;
		else summary.unmarked++;
		if (attended(status)) summary.attended++;
	}
	return summary;
}
