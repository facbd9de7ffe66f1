/**
 * What makes a training session valid. Each problem is named, so the page can say it in the
 * volunteer's language and put it beside the field it concerns.
 */
import { isLocalDate, isLocalTime, minutesOf } from './calendar';
import { MAX_SERIES_WEEKS } from './series';

export const MAX_CAPACITY = 100;
export const TITLE_MAX_LENGTH = 120;

export interface SessionInput {
	title: string;
	date: string;
	start: string;
	end: string;
	capacity: number;
	courseIds: readonly string[];
	/** For a weekly series: how many weeks (1 = a single session). */
	weeks?: number;
}

export type SessionProblem =
	| { field: 'title'; problem: 'required' | 'too-long' }
	| { field: 'date'; problem: 'invalid' }
	| { field: 'start' | 'end'; problem: 'invalid' }
	| { field: 'end'; problem: 'before-start' }
	| { field: 'capacity'; problem: 'range'; max: number }
	| { field: 'capacity'; problem: 'below-checked-in'; checkedIn: number }
	| { field: 'courseIds'; problem: 'required' }
	| { field: 'weeks'; problem: 'range'; max: number };

/** Every problem of the input, in the order of the form's fields (empty when it is valid). */
export function sessionProblems(input: SessionInput, checkedIn = 0): SessionProblem[] {
	const problems: SessionProblem[] = [];
	const title = input.title.trim();
	if (title === '') problems.push({ field: 'title', problem: 'required' });
	else if (title.length > TITLE_MAX_LENGTH) problems.push({ field: 'title', problem: 'too-long' });
	if (!isLocalDate(input.date)) problems.push({ field: 'date', problem: 'invalid' });
	const startOk = isLocalTime(input.start);
	const endOk = isLocalTime(input.end);
	if (!startOk) problems.push({ field: 'start', problem: 'invalid' });
	if (!endOk) problems.push({ field: 'end', problem: 'invalid' });
	if (startOk && endOk && minutesOf(input.end) <= minutesOf(input.start)) {
		problems.push({ field: 'end', problem: 'before-start' });
	}
	if (!Number.isInteger(input.capacity) || input.capacity < 1 || input.capacity > MAX_CAPACITY) {
		problems.push({ field: 'capacity', problem: 'range', max: MAX_CAPACITY });
	} else if (input.capacity < checkedIn) {
		problems.push({ field: 'capacity', problem: 'below-checked-in', checkedIn });
	}
	if (input.courseIds.length === 0) problems.push({ field: 'courseIds', problem: 'required' });
	const weeks = input.weeks ?? 1;
	if (!Number.isInteger(weeks) || weeks < 1 || weeks > MAX_SERIES_WEEKS) {
		problems.push({ field: 'weeks', problem: 'range', max: MAX_SERIES_WEEKS });
	}
	return problems;
}

/** Training time in hours, for reports (a session 10:00–11:30 is 1.5 hours). */
export function sessionHours(start: string, end: string): number {
	return Math.max(0, minutesOf(end) - minutesOf(start)) / 60;
}
