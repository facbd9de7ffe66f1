import { describe, expect, it } from 'vitest';
import { weekdayOf } from './calendar';
import { expandSeries, seriesDates } from './series';

const plan = { firstDate: '2026-12-01', weeks: 8, start: '10:00', end: '11:30', room: 'Lesesaal' };

describe('weekly series', () => {
	it('makes "every Tuesday 10:00 for 8 weeks"', () => {
		const sessions = expandSeries(plan);
		expect(sessions).toHaveLength(8);
		expect(sessions.map((s) => s.date)).toEqual(seriesDates('2026-12-01', 8));
		expect(sessions.every((s) => weekdayOf(s.date) === 1)).toBe(true);
		expect(sessions.at(-1)).toMatchObject({ index: 7, date: '2027-01-19', start: '10:00' });
	});

	it('changes or cancels single dates and leaves the others alone', () => {
		const sessions = expandSeries(plan, [
			{ originalDate: '2026-12-22', cancelled: true },
			{ originalDate: '2026-12-29', date: '2026-12-30', start: '14:00', end: '15:30' },
			{ originalDate: '2027-03-02', room: 'nowhere' } // not a date of the series: ignored
		]);
		expect(sessions).toHaveLength(8);
		expect(sessions[3]).toMatchObject({ originalDate: '2026-12-22', cancelled: true });
		expect(sessions[4]).toMatchObject({
			index: 4,
			originalDate: '2026-12-29',
			date: '2026-12-30',
			start: '14:00',
			room: 'Lesesaal',
			cancelled: false
		});
		expect(sessions.filter((s) => s.cancelled)).toHaveLength(1);
		expect(sessions.filter((s) => s.room !== 'Lesesaal')).toEqual([]);
	});
});
