import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, isLocalDate, isLocalTime, minutesOf, weekStart, weekdayOf } from './calendar';

describe('calendar dates and times', () => {
	it('knows real dates from look-alikes', () => {
		expect(isLocalDate('2028-02-29')).toBe(true);
		expect(isLocalDate('2026-02-29')).toBe(false);
		expect(isLocalDate('2026-13-01')).toBe(false);
		expect(isLocalDate('1.12.2026')).toBe(false);
		expect(isLocalTime('10:00')).toBe(true);
		expect(isLocalTime('24:00')).toBe(false);
		expect(isLocalTime('9:00')).toBe(false);
		expect(minutesOf('10:30')).toBe(630);
	});

	it('counts days by the calendar, across months, years and daylight saving', () => {
		expect(addDays('2026-10-20', 7)).toBe('2026-10-27'); // the clocks change on 25 October
		expect(addDays('2026-12-29', 7)).toBe('2027-01-05');
		expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
		expect(weekdayOf('2026-12-01')).toBe(1); // a Tuesday
		expect(weekStart('2026-12-06')).toBe('2026-11-30');
	});

	it('keeps the weekday when it steps by weeks', () => {
		fc.assert(
			fc.property(
				fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }),
				fc.integer({ min: -60, max: 60 }),
				(when, weeks) => {
					const date = when.toISOString().slice(0, 10);
					const later = addDays(date, 7 * weeks);
					expect(isLocalDate(later)).toBe(true);
					expect(weekdayOf(later)).toBe(weekdayOf(date));
					expect(addDays(later, -7 * weeks)).toBe(date);
				}
			)
		);
	});
});
