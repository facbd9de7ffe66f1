/**
 * Retention periods in whole calendar months: how a period is typed and checked, and where
 * it ends. The learners' retention and the audit log's use the same rules, so "24 months"
 * means the same moment for both.
 */

/** Ten years: longer than any period the city is expected to set, short enough to notice a typo. */
export const MAX_RETENTION_MONTHS = 120;

/** A whole number of months from 0 (keep: nothing is deleted automatically) to the maximum. */
export function isRetentionMonths(value: unknown): value is number {
	return (
		typeof value === 'number' &&
		Number.isInteger(value) &&
		value >= 0 &&
		value <= MAX_RETENTION_MONTHS
	);
}

/** What was typed into a period's field, as months; null when it is not a valid period. */
export function parseRetentionMonths(typed: string): number | null {
	const text = typed.trim();
	if (!/^\d+$/.test(text)) return null;
	const months = Number(text);
	return isRetentionMonths(months) ? months : null;
}

/**
 * The moment `months` calendar months before `now`, by the server's local calendar: the same
 * day of the month and time of day (a day that month does not have runs on into the next, as
 * `Date` does). Data from before this moment is past the period.
 */
export function monthsBefore(now: Date, months: number): Date {
	const cutoff = new Date(now);
	cutoff.setMonth(cutoff.getMonth() - months);
	return cutoff;
}
