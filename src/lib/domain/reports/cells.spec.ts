import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cellsOf, countLessons, countVisits, dayNumber, type Cell } from './cells';

const cell = (month: number, place: number, course: string, pairs: number[]): Cell => ({
	month,
	place,
	course,
	pairs: Int32Array.from(pairs)
});

// Learner 1 first came 2026-01-10, 2 on 2026-02-03, 3 before the period (0), 4 on 2026-02-01.
const FIRST: Record<number, number> = { 1: 20260110, 2: 20260203, 3: 0, 4: 20260201 };
const firstDay = (learner: number) => FIRST[learner] ?? 0;

describe('countVisits', () => {
	const cells = [
		cell(202601, 1, '', [1, 1, 3, 2]),
		cell(202602, 1, '', [1, 1, 2, 1]),
		cell(202602, 2, '', [4, 1, 3, 1])
	];

	it('counts learners once per group, adds their visits, and names new and returning', () => {
		const { counts, learners } = countVisits(cells, () => 'total', firstDay, 20260101);
		// 1, 2, 4 first came within the period; 3 before it; 1 and 3 came more than once.
		expect(counts.get('total')).toEqual({
			learners: 4,
			attendances: 7,
			newLearners: 3,
			returningLearners: 2
		});
		expect(learners.sort()).toEqual([1, 2, 3, 4]);
	});

	it('counts a first attendance on the first day as new, the day before as not', () => {
		const on = countVisits(cells, () => 't', firstDay, 20260110).counts.get('t')!;
		const after = countVisits(cells, () => 't', firstDay, 20260111).counts.get('t')!;
		expect(on.newLearners - after.newLearners).toBe(1);
		expect(after.returningLearners - on.returningLearners).toBe(0); // learner 1 came twice
	});

	it('per place, each place on its own', () => {
		const { counts } = countVisits(cells, (c) => c.place, firstDay, 20260101);
		expect(counts.get(1)).toEqual({
			learners: 3,
			attendances: 5,
			newLearners: 2,
			returningLearners: 2
		});
		expect(counts.get(2)).toEqual({
			learners: 2,
			attendances: 2,
			newLearners: 1,
			returningLearners: 1
		});
	});

	it('per month, new only in the month of the first attendance', () => {
		const { counts } = countVisits(cells, (c) => c.month, firstDay, 20260101, true);
		// January: 1 new (once), 3 returning (came before, and twice). February: 2 and 4 new;
		// 1 came in January, 3 before the period: both returning.
		expect(counts.get(202601)).toEqual({
			learners: 2,
			attendances: 3,
			newLearners: 1,
			returningLearners: 1
		});
		expect(counts.get(202602)).toEqual({
			learners: 4,
			attendances: 4,
			newLearners: 2,
			returningLearners: 2
		});
	});

	it('gives the same counts however the cells are split and ordered', () => {
		const visit = fc.record({
			learner: fc.integer({ min: 1, max: 6 }),
			month: fc.constantFrom(202601, 202602),
			place: fc.integer({ min: 1, max: 2 })
		});
		fc.assert(
			fc.property(fc.array(visit, { maxLength: 30 }), (visits) => {
				const single = cellsOf(
					visits.map((v) => ({ month: v.month, place: v.place, course: '', pair: [v.learner, 1] }))
				);
				const reversed = cellsOf(
					[...visits]
						.reverse()
						.map((v) => ({ month: v.month, place: v.place, course: '', pair: [v.learner, 1] }))
				);
				const count = (cs: Cell[]) => countVisits(cs, () => 't', firstDay, 20260101).counts;
				expect(count(reversed)).toEqual(count(single));
				const learners = new Set(visits.map((v) => v.learner)).size;
				expect(count(single).get('t')?.learners ?? 0).toBe(learners);
				expect(count(single).get('t')?.attendances ?? 0).toBe(visits.length);
			})
		);
	});
});

describe('countLessons', () => {
	it('counts each learner-lesson once per group, across places, months and courses', () => {
		const cells = [
			cell(202601, 1, 'a', [1, 10, 1, 11, 2, 10]),
			cell(202602, 1, 'a', [1, 10]),
			cell(202602, 2, 'b', [1, 20, 1, 10])
		];
		expect(countLessons(cells, () => 'total')).toEqual(new Map([['total', 4]]));
		expect(countLessons(cells, (c) => c.place)).toEqual(
			new Map([
				[1, 3],
				[2, 2]
			])
		);
		expect(countLessons(cells, (c) => c.month)).toEqual(
			new Map([
				[202601, 3],
				[202602, 2]
			])
		);
		expect(countLessons(cells, (c) => c.course)).toEqual(
			new Map([
				['a', 3],
				['b', 2]
			])
		);
	});
});

describe('countLessons against a plain set', () => {
	it('gives the number of distinct pairs of each group, however large the numbers', () => {
		const pair = fc.record({
			place: fc.integer({ min: 1, max: 3 }),
			learner: fc.integer({ min: 1, max: 5000 }),
			lesson: fc.integer({ min: 1, max: 300 })
		});
		fc.assert(
			fc.property(fc.array(pair, { maxLength: 60 }), (pairs) => {
				const cells = cellsOf(
					pairs.map((p) => ({
						month: 202601,
						place: p.place,
						course: 'a',
						pair: [p.learner, p.lesson]
					}))
				);
				const expected = new Map<number, number>();
				for (const place of new Set(pairs.map((p) => p.place))) {
					const of = pairs.filter((p) => p.place === place).map((p) => `${p.learner}|${p.lesson}`);
					expected.set(place, new Set(of).size);
				}
				expect(countLessons(cells, (c) => c.place)).toEqual(expected);
			})
		);
	});
});

describe('cellsOf', () => {
	it('makes one cell per month, place and course', () => {
		const cells = cellsOf([
			{ month: 202601, place: 1, course: '', pair: [1, 2] },
			{ month: 202601, place: 1, course: '', pair: [2, 1] },
			{ month: 202601, place: 2, course: '', pair: [1, 1] }
		]);
		expect(cells).toEqual([cell(202601, 1, '', [1, 2, 2, 1]), cell(202601, 2, '', [1, 1])]);
	});
});

describe('dayNumber', () => {
	it('turns a date into yyyymmdd, so that days compare as numbers', () => {
		expect(dayNumber('2026-03-04')).toBe(20260304);
		expect(dayNumber('2025-12-31') < dayNumber('2026-01-01')).toBe(true);
	});
});
