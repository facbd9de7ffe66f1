import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatHlc } from '../hlc';
import {
	ATTENDANCE_STATUSES,
	allPresentMarks,
	closingMarks,
	mergeAttendance,
	summarizeAttendance,
	type AttendanceChange,
	type AttendanceRecord,
	type AttendanceStatus
} from './attendance';

const at = (ms: number, node: string) => formatHlc({ ms, counter: 0, node });

function replay(changes: AttendanceChange[]) {
	let record: AttendanceRecord = {};
	let conflicts = 0;
	for (const change of changes) {
		const result = mergeAttendance(record, change);
		record = result.fields;
		conflicts += result.conflicts.length;
	}
	return { status: record.status?.value, stamp: record.status?.stamp, conflicts };
}

const change: fc.Arbitrary<AttendanceChange> = fc.record(
	{
		status: fc.constantFrom(...ATTENDANCE_STATUSES),
		stamp: fc
			.record({
				ms: fc.integer({ min: 1, max: 6 }),
				counter: fc.integer({ min: 0, max: 2 }),
				node: fc.constantFrom('tablet-a', 'tablet-b', 'tablet-c')
			})
			.map(formatHlc),
		base: fc.constantFrom(undefined, at(1, 'tablet-a'), at(3, 'tablet-b'))
	},
	{ requiredKeys: ['status', 'stamp'] }
);

describe('attendance merge', () => {
	it('ends with the same mark on every tablet, whatever order the marks arrive in', () => {
		fc.assert(
			fc.property(
				// A clock never gives two changes the same stamp.
				fc
					.uniqueArray(change, { selector: (c) => c.stamp, minLength: 1, maxLength: 8 })
					.chain((marks) =>
						fc.tuple(fc.constant(marks), fc.shuffledSubarray(marks, { minLength: marks.length }))
					),
				([marks, shuffled]) => {
					const one = replay(marks);
					const other = replay(shuffled);
					expect(other.status).toBe(one.status);
					expect(other.stamp).toBe(one.stamp);
					// The winner is the mark with the latest stamp.
					const latest = [...marks].sort((a, b) => (a.stamp < b.stamp ? 1 : -1))[0]!;
					expect(one.stamp).toBe(latest.stamp);
				}
			)
		);
	});

	it('flags two volunteers who marked one learner differently without seeing each other', () => {
		const a = { status: 'present' as const, stamp: at(100, 'tablet-a') };
		const b = { status: 'excused' as const, stamp: at(105, 'tablet-b') };
		for (const order of [
			[a, b],
			[b, a]
		]) {
			const result = replay(order);
			expect(result).toMatchObject({ status: 'excused', conflicts: 1 });
		}
		// Tablet B had seen A's mark and changed it on purpose: no conflict.
		expect(replay([a, { ...b, base: a.stamp }])).toMatchObject({
			status: 'excused',
			conflicts: 0
		});
		// The same mark from both: nothing to flag.
		expect(replay([a, { ...a, stamp: at(105, 'tablet-b') }]).conflicts).toBe(0);
	});

	it('breaks a tie in time by the device id inside the stamp', () => {
		const a = { status: 'late' as const, stamp: at(100, 'tablet-a') };
		const b = { status: 'absent' as const, stamp: at(100, 'tablet-b') };
		expect(replay([a, b]).status).toBe('absent');
		expect(replay([b, a]).status).toBe('absent');
	});
});

describe('closing and summing up a session', () => {
	const roster = ['erna', 'ali', 'hilde', 'kurt'];
	const marked = new Map<string, AttendanceStatus>([
		['erna', 'present'],
		['ali', 'late'],
		['walk-in', 'present']
	]);

	it('marks everyone still unmarked absent when the session closes', () => {
		expect(closingMarks(roster, marked)).toEqual([
			{ learnerId: 'hilde', status: 'absent' },
			{ learnerId: 'kurt', status: 'absent' }
		]);
	});

	it('"mark all present" leaves the marks already made', () => {
		expect(allPresentMarks(roster, marked).map((m) => m.learnerId)).toEqual(['hilde', 'kurt']);
	});

	it('counts who came, late ones and walk-ins included', () => {
		expect(summarizeAttendance(roster, marked)).toEqual({
			present: 2,
			late: 1,
			excused: 0,
			absent: 0,
			unmarked: 2,
			attended: 3
		});
	});
});
