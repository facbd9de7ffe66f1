/**
 * Calendar dates and wall-clock times of training sessions, as people at the place read them:
 * "2026-12-01", "10:00". No time zone is involved: a session is at 10:00 in the reading room,
 * whatever clock a tablet has, and "every Tuesday" stays on Tuesday across daylight saving.
 */
export type LocalDate = string;
export type LocalTime = string;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function isLocalDate(text: string): text is LocalDate {
	const match = DATE.exec(text);
	if (!match) return false;
	const [, y, m, d] = match.map(Number) as [number, number, number, number];
	const date = new Date(Date.UTC(y, m - 1, d));
	return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

export function isLocalTime(text: string): text is LocalTime {
	return TIME.test(text);
}

export function minutesOf(time: LocalTime): number {
	const [h, m] = time.split(':').map(Number) as [number, number];
	return h * 60 + m;
}

/** The date `days` later (or earlier), by the calendar. */
export function addDays(date: LocalDate, days: number): LocalDate {
	const [y, m, d] = date.split('-').map(Number) as [number, number, number];
	return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** 0 = Monday … 6 = Sunday, as German calendars count. */
export function weekdayOf(date: LocalDate): number {
	const [y, m, d] = date.split('-').map(Number) as [number, number, number];
	return (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
}

/** The Monday of the week `date` is in. */
export function weekStart(date: LocalDate): LocalDate {
	return addDays(date, -weekdayOf(date));
}
