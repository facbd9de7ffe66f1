/**
 * What held sessions add up to for the reports, per month and course: how many, their minutes,
 * the minutes of everyone running them ("volunteer hours"), and who ran them. A session counts
 * once under course '' (all sessions) and once under each of its courses. Sums of months add
 * up; the people do not (the same volunteer in two months is one volunteer).
 */
import { sessionHours } from '../sessions/session-rules';

export interface SessionLike {
	date: string;
	start: string;
	end: string;
	/** Comma-separated, as stored. */
	courseIds: string;
	volunteerIds: string;
}

export interface SessionSum {
	/** "2026-11" */
	month: string;
	/** '' for all sessions, else one course. */
	courseId: string;
	sessions: number;
	minutes: number;
	volunteerMinutes: number;
	volunteers: string[];
}

const listOf = (text: string) => [...new Set(text.split(',').filter(Boolean))];

export function sumSessions(sessions: readonly SessionLike[]): SessionSum[] {
	const sums = new Map<string, SessionSum & { people: Set<string> }>();
	for (const s of sessions) {
		const minutes = Math.round(sessionHours(s.start, s.end) * 60);
		const volunteers = listOf(s.volunteerIds);
		const month = s.date.slice(0, 7);
		for (const courseId of ['', ...listOf(s.courseIds)]) {
			const key = `${month}|${courseId}`;
			let sum = sums.get(key);
			if (!sum) {
				sum = {
					month,
					courseId,
					sessions: 0,
					minutes: 0,
					volunteerMinutes: 0,
					volunteers: [],
					people: new Set()
				};
				sums.set(key, sum);
			}
			sum.sessions++;
			sum.minutes += minutes;
			sum.volunteerMinutes += minutes * volunteers.length;
			for (const v of volunteers) sum.people.add(v);
		}
	}
	return [...sums.values()].map(({ people, ...sum }) => ({
		...sum,
		volunteers: [...people].sort()
	}));
}
