/**
 * What a volunteer sees during and after a session: where each attendee is in their course,
 * who is waiting for help, and the summary when the session closes. Pure functions of the
 * progress events and attendance, so every tablet that holds the same data shows the same.
 */
import { parseHlc } from '../hlc';
import type { LessonState } from '../progress/derive';
import type { ProgressEvent } from '../progress/events';
import { summarizeAttendance, type AttendanceStatus, type AttendanceSummary } from './attendance';

/** Learners who come early or stay on count: the session's work is this window's work. */
export const WINDOW_MARGIN_MS = 30 * 60_000;

/**
 * The session's time on this tablet's clock. Sessions are in the place's local time; the
 * place's tablets run in that time zone, so the local calendar is the right one here.
 */
export function sessionWindow(
	date: string,
	start: string,
	end: string
): { from: number; to: number } {
	const [y, m, d] = date.split('-').map(Number) as [number, number, number];
	const at = (time: string) => {
		const [h, min] = time.split(':').map(Number) as [number, number];
		return new Date(y, m - 1, d, h, min).getTime();
	};
	return { from: at(start) - WINDOW_MARGIN_MS, to: at(end) + WINDOW_MARGIN_MS };
}

export function stampMs(stamp: string): number {
	return parseHlc(stamp).ms;
}

/** The lesson the learner touched last: where they are now. */
export function currentLesson(states: readonly LessonState[]): LessonState | null {
	let latest: LessonState | null = null;
	for (const state of states) if (!latest || state.updatedAt > latest.updatedAt) latest = state;
	return latest;
}

/**
 * The learner's latest call for help that no volunteer has answered yet: raised after `since`
 * (the session's start) and after the volunteer last marked them as helped.
 */
export function openHelpCall(
	events: readonly ProgressEvent[],
	since: number,
	helpSeen: string
): ProgressEvent | null {
	const seen = helpSeen ? Date.parse(helpSeen) : -Infinity;
	let latest: ProgressEvent | null = null;
	for (const event of events) {
		if (event.type !== 'help-requested') continue;
		const ms = stampMs(event.hlc);
		if (ms < since || ms <= seen) continue;
		if (!latest || event.hlc > latest.hlc) latest = event;
	}
	return latest;
}

export interface SessionSummary extends AttendanceSummary {
	/** Walk-ins and learners whose profile was made during the session. */
	newLearners: number;
	/** Course id → how many attendees worked on it during the session. */
	courses: Map<string, number>;
	lessonsCompleted: number;
}

export interface SummaryInput {
	roster: readonly string[];
	marks: ReadonlyMap<string, AttendanceStatus>;
	closed: boolean;
	window: { from: number; to: number };
	walkIns: ReadonlySet<string>;
	/** When each learner's profile was made (ISO time). */
	createdAt: ReadonlyMap<string, string>;
	/** Progress events of the learners at the session (any time; the window picks). */
	events: readonly ProgressEvent[];
}

export function summarizeSession(input: SummaryInput): SessionSummary {
	const attendance = summarizeAttendance(input.roster, input.marks);
	if (input.closed) {
		// Closing turns everyone still unmarked into "absent".
		attendance.absent += attendance.unmarked;
		attendance.unmarked = 0;
	}
	const attendees = new Set(
		[...input.marks].filter(([, s]) => s === 'present' || s === 'late').map(([id]) => id)
	);
	const inWindow = (ms: number) => ms >= input.window.from && ms <= input.window.to;
	let newLearners = 0;
	for (const id of attendees) {
		const made = input.createdAt.get(id);
		if (input.walkIns.has(id) || (made && inWindow(Date.parse(made)))) newLearners++;
	}
	const learnersByCourse = new Map<string, Set<string>>();
	// A lesson done twice in one session counts once.
	const completed = new Set<string>();
	for (const event of input.events) {
		if (!attendees.has(event.learnerId) || !inWindow(stampMs(event.hlc))) continue;
		const learners = learnersByCourse.get(event.courseId) ?? new Set<string>();
		learners.add(event.learnerId);
		learnersByCourse.set(event.courseId, learners);
		if (event.type === 'lesson-completed') {
			completed.add(`${event.learnerId}|${event.courseId}|${event.lessonId}`);
		}
	}
	const courses = new Map([...learnersByCourse].map(([course, set]) => [course, set.size]));
	return { ...attendance, newLearners, courses, lessonsCompleted: completed.size };
}
