import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	MAX_RETENTION_MONTHS,
	isRetentionMonths,
	monthsBefore,
	parseRetentionMonths
} from './retention';

describe('parseRetentionMonths', () => {
	it('takes whole numbers from 0 to 120, with spaces around', () => {
		expect(parseRetentionMonths('0')).toBe(0);
		expect(parseRetentionMonths(' 24 ')).toBe(24);
		expect(parseRetentionMonths('120')).toBe(120);
		expect(parseRetentionMonths('007')).toBe(7);
	});

	it('refuses anything else', () => {
		for (const typed of ['', ' ', '121', '-1', '1.5', '1,5', '12 Monate', 'abc', '1e2', '+3']) {
			expect(parseRetentionMonths(typed), typed).toBeNull();
		}
	});

	it('agrees with isRetentionMonths for every number typed', () => {
		fc.assert(
			fc.property(fc.integer({ min: -500, max: 500 }), (n) => {
				expect(parseRetentionMonths(String(n)) !== null).toBe(isRetentionMonths(n));
				expect(isRetentionMonths(n)).toBe(n >= 0 && n <= MAX_RETENTION_MONTHS);
			})
		);
	});

	it('does not take what is not a number', () => {
		expect(isRetentionMonths('24')).toBe(false);
		expect(isRetentionMonths(Number.NaN)).toBe(false);
		expect(isRetentionMonths(2.5)).toBe(false);
	});
});

describe('monthsBefore', () => {
	// Local dates: the arithmetic is by the server's calendar, whatever its time zone.
	it('keeps the day of the month and the time of day', () => {
		const now = new Date(2026, 10, 15, 9, 30);
		expect(monthsBefore(now, 24)).toEqual(new Date(2024, 10, 15, 9, 30));
		expect(monthsBefore(now, 1)).toEqual(new Date(2026, 9, 15, 9, 30));
		expect(monthsBefore(now, 11)).toEqual(new Date(2025, 11, 15, 9, 30));
	});

	it('crosses the turn of the year', () => {
		expect(monthsBefore(new Date(2026, 1, 10, 12), 3)).toEqual(new Date(2025, 10, 10, 12));
	});

	it('runs on into the next month when the day does not exist', () => {
		// 31 March minus one month: "31 February" is 3 March (2026 is no leap year).
		expect(monthsBefore(new Date(2026, 2, 31, 8), 1)).toEqual(new Date(2026, 2, 3, 8));
	});

	it('leaves the date it was given alone, and 0 months is now', () => {
		const now = new Date(2026, 5, 1);
		const copy = new Date(now);
		expect(monthsBefore(now, 0)).toEqual(copy);
		monthsBefore(now, 6);
		expect(now).toEqual(copy);
	});
});
