/**
 * Weekly series of sessions ("every Tuesday 10:00 for 8 weeks"): the dates it makes, and single
 * dates changed or cancelled without touching the rest.
 */
import { addDays, type LocalDate, type LocalTime } from './calendar';

export const MAX_SERIES_WEEKS = 52;

export interface SeriesPlan {
	firstDate: LocalDate;
	weeks: number;
	start: LocalTime;
	end: LocalTime;
	room: string;
}

/** One date of a series changed by hand: moved, other times or room, or cancelled. */
export interface SeriesException {
	/** The date the series would have had. */
	originalDate: LocalDate;
	cancelled?: boolean;
	date?: LocalDate;
	start?: LocalTime;
	end?: LocalTime;
	room?: string;
}

export interface PlannedSession {
	/** Which week of the series (0, 1, 2 …): stable even when the date moves. */
	index: number;
	originalDate: LocalDate;
	date: LocalDate;
	start: LocalTime;
	end: LocalTime;
	room: string;
	cancelled: boolean;
}

export function seriesDates(firstDate: LocalDate, weeks: number): LocalDate[] {
	return Array.from({ length: weeks }, (_, i) => addDays(firstDate, 7 * i));
}

export function expandSeries(
	plan: SeriesPlan,
	exceptions: readonly SeriesException[] = []
): PlannedSession[] {
	const byDate = new Map(exceptions.map((e) => [e.originalDate, e]));
	return seriesDates(plan.firstDate, plan.weeks).map((originalDate, index) => {
		const change = byDate.get(originalDate);
		return {
			index,
			originalDate,
			date: change?.date ?? originalDate,
			start: change?.start ?? plan.start,
			end: change?.end ?? plan.end,
			room: change?.room ?? plan.room,
			cancelled: change?.cancelled ?? false
		};
	});
}
