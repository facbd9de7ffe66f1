/**
 * Counting learners and lessons from cells. A visit cell is who came how often to one place in
 * one month (for all sessions, or for the sessions of one course), as pairs of learner number
 * and visits; a lesson cell, which lessons which learners completed there that month, per
 * course. A report takes the cells of its whole months and cells made day by day for the broken
 * months at its ends, and counts distinct learners and learner-lessons here, grouped four ways,
 * in one pass over small integer arrays (on SQLite the same counts in SQL took about 0.6 s of
 * CPU for a county's two years; docs/benchmarks.md, "Session 8").
 *
 * Definitions as in `server/reports/figures.ts`: a learner is **new** in a group when their first
 * attendance ever falls on or after the period's first day (for a month, in that month and on or
 * after the period's first day), **returning** when it falls before, or when they came at least
 * twice within the group.
 */

export interface Cell {
	/** 202611 for November 2026. */
	month: number;
	place: number;
	/** A course; for visits '' stands for all sessions. */
	course: string;
	/**
	 * Visits: learner, visits, learner, visits … (a learner twice adds up). Lessons: learner,
	 * lesson, learner, lesson … (a pair twice counts once).
	 */
	pairs: Int32Array;
}

export interface VisitCount {
	learners: number;
	attendances: number;
	newLearners: number;
	returningLearners: number;
}

export interface VisitGroups<K> {
	counts: Map<K, VisitCount>;
	/** The distinct learners of all the cells (the report's own, for the attribute counts). */
	learners: number[];
}

/**
 * Counts per group. `firstDay` gives each learner's first attendance as yyyymmdd (0 when it
 * lies before the period's first month, which is never new); `fromDay` is the period's first
 * day as yyyymmdd. With `perMonth` the group is the cell's month and new means new that month.
 */
export function countVisits<K>(
	cells: Cell[],
	groupOf: (cell: Cell) => K,
	firstDay: (learner: number) => number,
	fromDay: number,
	perMonth = false
): VisitGroups<K> {
	const groups = new Map<K, Cell[]>();
	let top = 0;
	for (const cell of cells) {
		const key = groupOf(cell);
		const list = groups.get(key);
		if (list) list.push(cell);
		else groups.set(key, [cell]);
		for (let i = 0; i < cell.pairs.length; i += 2) top = Math.max(top, cell.pairs[i]!);
	}
	// Visits per learner of the group being counted, cleared after each group; `everyone`
	// marks the learners of all groups.
	const visits = new Int32Array(top + 1);
	const everyone = new Uint8Array(top + 1);
	const learners: number[] = [];
	const counts = new Map<K, VisitCount>();
	for (const [key, list] of groups) {
		const seen: number[] = [];
		let attendances = 0;
		for (const cell of list) {
			const pairs = cell.pairs;
			for (let i = 0; i < pairs.length; i += 2) {
				const learner = pairs[i]!;
				const n = pairs[i + 1]!;
				if (visits[learner] === 0) seen.push(learner);
				visits[learner] = visits[learner]! + n;
				attendances += n;
			}
		}
		let fresh = 0;
		let cameBack = 0;
		for (const learner of seen) {
			const first = firstDay(learner);
			const isNew = first >= fromDay && (!perMonth || Math.floor(first / 100) === Number(key));
			if (isNew) fresh++;
			if (!isNew || visits[learner]! >= 2) cameBack++;
			visits[learner] = 0;
			if (everyone[learner] === 0) {
				everyone[learner] = 1;
				learners.push(learner);
			}
		}
		counts.set(key, {
			learners: seen.length,
			attendances,
			newLearners: fresh,
			returningLearners: cameBack
		});
	}
	return { counts, learners };
}

/** "2026-11-03" → 20261103. */
export const dayNumber = (date: string) =>
	Number(date.slice(0, 4) + date.slice(5, 7) + date.slice(8, 10));

/** Cells from rows of single pairs (the days of a broken month): one per month, place and course. */
export function cellsOf(
	rows: { month: number; place: number; course: string; pair: [number, number] }[]
): Cell[] {
	const byCell = new Map<string, { cell: Omit<Cell, 'pairs'>; pairs: number[] }>();
	for (const row of rows) {
		const key = `${row.month}|${row.place}|${row.course}`;
		let entry = byCell.get(key);
		if (!entry) {
			entry = { cell: { month: row.month, place: row.place, course: row.course }, pairs: [] };
			byCell.set(key, entry);
		}
		entry.pairs.push(...row.pair);
	}
	return [...byCell.values()].map(({ cell, pairs }) => ({
		...cell,
		pairs: Int32Array.from(pairs)
	}));
}

/** Distinct learner-lessons per group (lessons are numbered across all courses). */
export function countLessons<K>(cells: Cell[], groupOf: (cell: Cell) => K): Map<K, number> {
	const groups = new Map<K, Cell[]>();
	let learners = 0;
	let lessons = 0;
	for (const cell of cells) {
		const key = groupOf(cell);
		const list = groups.get(key);
		if (list) list.push(cell);
		else groups.set(key, [cell]);
		const pairs = cell.pairs;
		for (let i = 0; i < pairs.length; i += 2) {
			learners = Math.max(learners, pairs[i]!);
			lessons = Math.max(lessons, pairs[i + 1]!);
		}
	}
	// One bit per learner-lesson, set while a group is counted and cleared after it: a few
	// hundred kilobytes for a city, and far quicker than a Set of numbers.
	const width = lessons + 1;
	const bits = new Uint32Array(Math.ceil(((learners + 1) * width) / 32));
	const counts = new Map<K, number>();
	for (const [key, list] of groups) {
		const set: number[] = [];
		for (const cell of list) {
			const pairs = cell.pairs;
			for (let i = 0; i < pairs.length; i += 2) {
				const bit = pairs[i]! * width + pairs[i + 1]!;
				const word = bit >>> 5;
				const mask = 1 << (bit & 31);
				if ((bits[word]! & mask) === 0) {
					bits[word] = bits[word]! | mask;
					set.push(word);
				}
			}
		}
		counts.set(key, set.length);
		for (const word of set) bits[word] = 0;
	}
	return counts;
}
