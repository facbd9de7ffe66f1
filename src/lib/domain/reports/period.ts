/**
 * The period a report covers: a month, a quarter, a year or any range of days, as calendar
 * dates of the city ("2026-01-01" to "2026-03-31", both included). A report asks for one; a
 * reversed or empty range is named as a problem, never turned into an error page.
 */
import { isLocalDate, type LocalDate } from '../sessions/calendar';

export const PERIOD_KINDS = ['month', 'quarter', 'year', 'range'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

export interface Period {
	from: LocalDate;
	to: LocalDate;
}

export type PeriodProblem = 'missing' | 'invalid' | 'reversed' | 'too-long';

/** Ten years is more than any report needs and keeps a typo like 20260 from scanning forever. */
export const MAX_PERIOD_DAYS = 3660;

export interface PeriodInput {
	kind: PeriodKind;
	/** month: "2026-03"; quarter: "2026-Q1"; year: "2026"; range: from and to. */
	value?: string;
	from?: string;
	to?: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `month` counts from 1; day 0 of the next month is the last day of this one. */
function lastDayOfMonth(year: number, month: number): LocalDate {
	return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
}

function daysBetween(from: LocalDate, to: LocalDate): number {
	return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
}

export function resolvePeriod(input: PeriodInput): { period: Period } | { problem: PeriodProblem } {
	const value = input.value?.trim() ?? '';
	if (input.kind === 'month') {
		const match = /^(\d{4})-(\d{2})$/.exec(value);
		if (!value) return { problem: 'missing' };
		const month = Number(match?.[2]);
		if (!match || month < 1 || month > 12) return { problem: 'invalid' };
		const year = Number(match[1]);
		return { period: { from: `${year}-${pad(month)}-01`, to: lastDayOfMonth(year, month) } };
	}
	if (input.kind === 'quarter') {
		if (!value) return { problem: 'missing' };
		const match = /^(\d{4})-Q([1-4])$/i.exec(value);
		if (!match) return { problem: 'invalid' };
		const year = Number(match[1]);
		const first = (Number(match[2]) - 1) * 3 + 1;
		return { period: { from: `${year}-${pad(first)}-01`, to: lastDayOfMonth(year, first + 2) } };
	}
	if (input.kind === 'year') {
		if (!value) return { problem: 'missing' };
		if (!/^\d{4}$/.test(value)) return { problem: 'invalid' };
		return { period: { from: `${value}-01-01`, to: `${value}-12-31` } };
	}
	const from = input.from?.trim() ?? '';
	const to = input.to?.trim() ?? '';
	if (!from || !to) return { problem: 'missing' };
	if (!isLocalDate(from) || !isLocalDate(to)) return { problem: 'invalid' };
	if (to < from) return { problem: 'reversed' };
	if (daysBetween(from, to) > MAX_PERIOD_DAYS) return { problem: 'too-long' };
	return { period: { from, to } };
}

/** The calendar months a period touches, for trends: "2026-01", "2026-02", … */
export function monthsOf(period: Period): string[] {
	const months: string[] = [];
	let [year, month] = period.from.split('-').map(Number) as [number, number];
	const [endYear, endMonth] = period.to.split('-').map(Number) as [number, number];
	while (year < endYear || (year === endYear && month <= endMonth)) {
		months.push(`${year}-${pad(month)}`);
		month++;
		if (month > 12) {
			month = 1;
			year++;
		}
	}
	return months;
}

/** The quarter a date is in, as the period picker shows it: "2026-Q1". */
export function quarterOf(date: LocalDate): string {
	const [year, month] = date.split('-').map(Number) as [number, number];
	return `${year}-Q${Math.floor((month - 1) / 3) + 1}`;
}

/**
 * A run of days split the way the report tables store attendance: the whole calendar months
 * inside it (first and last, `YYYY-MM`, or null when none is whole) and the days before and
 * after them, at most two runs, which come from the day-by-day records.
 */
export interface MonthSplit {
	months: { first: string; last: string } | null;
	days: Period[];
}

export function splitByMonths(period: Period): MonthSplit {
	const all = monthsOf(period);
	const whole = all.filter((month) => {
		const [from, to] = monthBounds(month);
		return from >= period.from && to <= period.to;
	});
	if (whole.length === 0) return { months: null, days: [period] };
	const first = whole[0]!;
	const last = whole[whole.length - 1]!;
	const days: Period[] = [];
	const firstDay = monthBounds(first)[0];
	const lastDay = monthBounds(last)[1];
	if (period.from < firstDay) days.push({ from: period.from, to: dayBefore(firstDay) });
	if (lastDay < period.to) days.push({ from: dayAfter(lastDay), to: period.to });
	return { months: { first, last }, days };
}

function monthBounds(month: string): [LocalDate, LocalDate] {
	const [year, m] = month.split('-').map(Number) as [number, number];
	return [`${month}-01`, lastDayOfMonth(year, m)];
}

const shift = (date: string, by: number) => {
	const [y, m, d] = date.split('-').map(Number) as [number, number, number];
	return new Date(Date.UTC(y, m - 1, d + by)).toISOString().slice(0, 10);
};
const dayBefore = (date: string) => shift(date, -1);
const dayAfter = (date: string) => shift(date, 1);
