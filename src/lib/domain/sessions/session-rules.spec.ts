import { describe, expect, it } from 'vitest';
import { sessionHours, sessionProblems, type SessionInput } from './session-rules';

const valid: SessionInput = {
	title: 'Termin im Bürgerbüro buchen',
	date: '2026-12-01',
	start: '10:00',
	end: '11:30',
	capacity: 12,
	courseIds: ['citizens-office-appointment']
};

describe('session rules', () => {
	it('accepts a well-formed session', () => {
		expect(sessionProblems(valid)).toEqual([]);
		expect(sessionHours('10:00', '11:30')).toBe(1.5);
	});

	it('refuses a session that ends before it starts, or when it starts', () => {
		expect(sessionProblems({ ...valid, end: '09:30' })).toEqual([
			{ field: 'end', problem: 'before-start' }
		]);
		expect(sessionProblems({ ...valid, end: '10:00' })).toEqual([
			{ field: 'end', problem: 'before-start' }
		]);
	});

	it('refuses a capacity below the number already checked in', () => {
		expect(sessionProblems({ ...valid, capacity: 8 }, 9)).toEqual([
			{ field: 'capacity', problem: 'below-checked-in', checkedIn: 9 }
		]);
		expect(sessionProblems({ ...valid, capacity: 9 }, 9)).toEqual([]);
	});

	it('names every problem of a bad form at once, in the order of its fields', () => {
		const problems = sessionProblems({
			title: '  ',
			date: '2026-02-30',
			start: '25:00',
			end: '11:00',
			capacity: 0,
			courseIds: [],
			weeks: 60
		});
		expect(problems.map((p) => `${p.field}:${p.problem}`)).toEqual([
			'title:required',
			'date:invalid',
			'start:invalid',
			'capacity:range',
			'courseIds:required',
			'weeks:range'
		]);
	});
});
