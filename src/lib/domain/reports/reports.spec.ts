import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { monthsOf, quarterOf, resolvePeriod, splitByMonths, type Period } from './period';
import { people, peopleText } from './suppression';
import { BOM, toCsv } from './csv';
import { sumSessions } from './session-sums';

describe('resolvePeriod', () => {
	it('turns a month, a quarter and a year into their first and last day', () => {
		expect(resolvePeriod({ kind: 'month', value: '2024-02' })).toEqual({
			period: { from: '2024-02-01', to: '2024-02-29' }
		});
		expect(resolvePeriod({ kind: 'quarter', value: '2026-Q4' })).toEqual({
			period: { from: '2026-10-01', to: '2026-12-31' }
		});
		expect(resolvePeriod({ kind: 'year', value: '2025' })).toEqual({
			period: { from: '2025-01-01', to: '2025-12-31' }
		});
		expect(resolvePeriod({ kind: 'range', from: '2026-03-05', to: '2026-03-05' })).toEqual({
			period: { from: '2026-03-05', to: '2026-03-05' }
		});
	});

	it('names what is wrong instead of guessing', () => {
		expect(resolvePeriod({ kind: 'month', value: '' })).toEqual({ problem: 'missing' });
		expect(resolvePeriod({ kind: 'month', value: '2026-13' })).toEqual({ problem: 'invalid' });
		expect(resolvePeriod({ kind: 'quarter', value: '2026-Q5' })).toEqual({ problem: 'invalid' });
		expect(resolvePeriod({ kind: 'range', from: '2026-03-05' })).toEqual({ problem: 'missing' });
		expect(resolvePeriod({ kind: 'range', from: '2026-03-05', to: '2026-03-04' })).toEqual({
			problem: 'reversed'
		});
		expect(resolvePeriod({ kind: 'range', from: '2000-01-01', to: '2026-01-01' })).toEqual({
			problem: 'too-long'
		});
	});
});

describe('months and quarters', () => {
	it('lists every month a period touches, across a new year', () => {
		expect(monthsOf({ from: '2025-11-20', to: '2026-02-03' })).toEqual([
			'2025-11',
			'2025-12',
			'2026-01',
			'2026-02'
		]);
	});

	it('names the quarter of a date', () => {
		expect(quarterOf('2026-01-01')).toBe('2026-Q1');
		expect(quarterOf('2026-09-30')).toBe('2026-Q3');
		expect(quarterOf('2026-12-31')).toBe('2026-Q4');
	});
});

describe('splitByMonths', () => {
	it('keeps a whole quarter in months and nothing in days', () => {
		expect(splitByMonths({ from: '2026-07-01', to: '2026-09-30' })).toEqual({
			months: { first: '2026-07', last: '2026-09' },
			days: []
		});
	});

	it('puts the broken months at both ends in days', () => {
		expect(splitByMonths({ from: '2024-11-20', to: '2026-11-20' })).toEqual({
			months: { first: '2024-12', last: '2026-10' },
			days: [
				{ from: '2024-11-20', to: '2024-11-30' },
				{ from: '2026-11-01', to: '2026-11-20' }
			]
		});
	});

	it('leaves a period inside one month to the days', () => {
		expect(splitByMonths({ from: '2026-02-02', to: '2026-02-27' })).toEqual({
			months: null,
			days: [{ from: '2026-02-02', to: '2026-02-27' }]
		});
		expect(splitByMonths({ from: '2024-02-01', to: '2024-02-29' }).days).toEqual([]);
	});

	it('covers every day of any period exactly once', () => {
		const day = fc
			.date({
				min: new Date('2024-01-01T00:00:00Z'),
				max: new Date('2027-12-31T00:00:00Z'),
				noInvalidDate: true
			})
			.map((d) => d.toISOString().slice(0, 10));
		fc.assert(
			fc.property(day, day, (a, b) => {
				const period: Period = a <= b ? { from: a, to: b } : { from: b, to: a };
				const split = splitByMonths(period);
				const covered: string[] = [];
				if (split.months) {
					for (const month of monthsOf({
						from: `${split.months.first}-01`,
						to: `${split.months.last}-01`
					})) {
						covered.push(...daysOf({ from: `${month}-01`, to: lastOf(month) }));
					}
				}
				for (const run of split.days) covered.push(...daysOf(run));
				expect(covered.sort()).toEqual(daysOf(period));
			})
		);
	});
});

function daysOf(period: Period): string[] {
	const days: string[] = [];
	for (let t = Date.parse(`${period.from}T00:00:00Z`); ; t += 86_400_000) {
		const day = new Date(t).toISOString().slice(0, 10);
		if (day > period.to) return days;
		days.push(day);
	}
}

function lastOf(month: string): string {
	const [y, m] = month.split('-').map(Number) as [number, number];
	return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

describe('small cells', () => {
	it('hides 1 to 4 people, never 0 or 5', () => {
		expect([0, 1, 4, 5, 12].map((n) => peopleText(people(n)))).toEqual([
			'0',
			'< 5',
			'< 5',
			'5',
			'12'
		]);
	});
});

describe('toCsv', () => {
	it('writes what spreadsheet programs in German offices open right', () => {
		const csv = toCsv(['Ort', 'Stunden'], [['Bücherei; Süd', '2,5']]);
		expect(csv.startsWith(BOM)).toBe(true);
		expect(csv.slice(1)).toBe('Ort;Stunden\r\n"Bücherei; Süd";2,5\r\n');
	});

	it('defuses cells that start like a formula, not numbers', () => {
		const csv = toCsv(['Name', 'n'], [['=HYPERLINK("x")', -3]]);
		expect(csv.slice(1).split('\r\n')[1]).toBe(`"'=HYPERLINK(""x"")";-3`);
	});
});

describe('sumSessions', () => {
	const session = (date: string, courseIds: string, volunteerIds: string, end = '11:30') => ({
		date,
		start: '10:00',
		end,
		courseIds,
		volunteerIds
	});

	it('sums per month, in all and per course, and names each volunteer once', () => {
		const sums = sumSessions([
			session('2026-03-03', 'tablet-basics', 'vera,walter'),
			session('2026-03-10', 'tablet-basics,citizens-office-appointment', 'vera'),
			session('2026-04-07', 'citizens-office-appointment', 'xaver', '10:45')
		]);
		const by = (month: string, courseId: string) =>
			sums.find((s) => s.month === month && s.courseId === courseId);
		expect(by('2026-03', '')).toEqual({
			month: '2026-03',
			courseId: '',
			sessions: 2,
			minutes: 180,
			volunteerMinutes: 270,
			volunteers: ['vera', 'walter']
		});
		expect(by('2026-03', 'citizens-office-appointment')).toMatchObject({
			sessions: 1,
			minutes: 90,
			volunteers: ['vera']
		});
		expect(by('2026-04', '')).toMatchObject({ sessions: 1, minutes: 45, volunteerMinutes: 45 });
		expect(sums).toHaveLength(5);
	});

	it('counts an end before the start as no time, not negative time', () => {
		expect(sumSessions([session('2026-03-03', 'x', 'v', '09:00')])[0]).toMatchObject({
			sessions: 1,
			minutes: 0
		});
	});
});
