/**
 * Visit cells and first-attendance cells (migration 009): the report facts of whole months,
 * packed one row per place and month (and course), so that a report over two years of a county
 * reads a few thousand small rows and counts distinct learners in JavaScript
 * (`domain/reports/cells.ts`), where counting 60,000 rows in SQL took most of its time.
 *
 * - `visit_cells`: per month, place and course ('' for all sessions), the learners who came and
 *   how often, as little-endian 32-bit pairs (learner number, visits) sorted by learner.
 * - `first_cells`: per month, the learners whose first attendance ever falls in it, as pairs
 *   (learner number, yyyymmdd of that day).
 * - `lesson_cells`: per month, place and course, the lessons completed there, as pairs (learner
 *   number, lesson number), each pair once. Completions without a place count in no report and
 *   have no cell.
 *
 * They are derived from `attendance_facts`, `first_attendance` and `lesson_completions` in the
 * same transaction as every write (`facts.ts`), and made again from them by `rebuildCells`.
 */
import { sql, type Kysely } from 'kysely';
import { dayNumber } from '../../domain/reports/cells';
import type { Database } from '../db/schema';

type Db = Kysely<Database>;

/**
 * On PostgreSQL, writes that keep the cells take turns. A cell is remade from the facts by each
 * write of its place and month (or, for first attendances, of its month), and two transactions
 * remaking the same cell at once would each miss the other's facts or collide on its key.
 * SQLite has one writer anyway. Taken at the start of a push that will touch the facts, before
 * any row lock, so that it cannot deadlock with them; released at commit.
 */
export async function takeTurnWithCells(db: Db): Promise<void> {
	await sql`select pg_advisory_xact_lock(${CELLS_LOCK})`.execute(db);
}

/** Any number of our own, the same in every instance of the office. */
const CELLS_LOCK = 7_100_309;

/** Pairs of small integers as bytes, sorted (the same pairs make the same bytes every time). */
export function packPairs(pairs: [number, number][]): Buffer {
	const sorted = [...pairs].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
	const bytes = Buffer.alloc(sorted.length * 8);
	sorted.forEach(([a, b], i) => {
		bytes.writeInt32LE(a, i * 8);
		bytes.writeInt32LE(b, i * 8 + 4);
	});
	return bytes;
}

/** Whether this machine stores integers little-endian, as the cells do (every usual CPU). */
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/** The pairs back (a Buffer from the database or a Uint8Array from a reader thread). */
export function unpackPairs(bytes: Uint8Array): Int32Array {
	const length = bytes.byteLength >> 2;
	// Read in place where the bytes allow it: a report reads thousands of cells.
	if (LITTLE_ENDIAN && bytes.byteOffset % 4 === 0) {
		return new Int32Array(bytes.buffer, bytes.byteOffset, length);
	}
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const out = new Int32Array(length);
	for (let i = 0; i < length; i++) out[i] = view.getInt32(i * 4, true);
	return out;
}

const monthDays = (month: number) => {
	const text = `${String(month).slice(0, 4)}-${String(month).slice(4, 6)}`;
	return { from: `${text}-01`, to: `${text}-31` };
};

/** Groups rows into one packed cell each. */
function packCells<R>(
	rows: R[],
	keyOf: (row: R) => string,
	pairOf: (row: R) => [number, number]
): Map<string, { first: R; bytes: Buffer }> {
	const grouped = new Map<string, { first: R; pairs: [number, number][] }>();
	for (const row of rows) {
		const key = keyOf(row);
		const entry = grouped.get(key);
		if (entry) entry.pairs.push(pairOf(row));
		else grouped.set(key, { first: row, pairs: [pairOf(row)] });
	}
	return new Map(
		[...grouped].map(([key, { first, pairs }]) => [key, { first, bytes: packPairs(pairs) }])
	);
}

interface VisitRow {
	month: number;
	location_no: number;
	course_id: string;
	learner_no: number;
	visits: number | string;
}

/** Rows of (month, place, course, learner, value) as one packed cell per month, place and course. */
async function insertPlaceCells<
	R extends { month: number | string; location_no: number; course_id: string }
>(
	db: Db,
	table: 'visit_cells' | 'lesson_cells',
	rows: R[],
	pairOf: (row: R) => [number, number]
): Promise<void> {
	const cells = packCells(rows, (r) => `${r.month}|${r.location_no}|${r.course_id}`, pairOf);
	const values = [...cells.values()].map(({ first, bytes }) => ({
		month: Number(first.month),
		location_no: Number(first.location_no),
		course_id: first.course_id,
		learners: bytes
	}));
	for (let i = 0; i < values.length; i += 500) {
		await db
			.insertInto(table)
			.values(values.slice(i, i + 500))
			.execute();
	}
}

const insertVisitCells = (db: Db, rows: VisitRow[]) =>
	insertPlaceCells(db, 'visit_cells', rows, (r) => [Number(r.learner_no), Number(r.visits)]);

/** The visits of these facts, per learner, for all sessions ('') and per course. */
function visitRowsOf(db: Db, where: ReturnType<typeof sql>) {
	return sql<VisitRow>`
		select f.month, f.location_no, '' as course_id, f.learner_no, count(*) as visits
		from attendance_facts f where ${where}
		group by f.month, f.location_no, f.learner_no
		union all
		select f.month, f.location_no, c.course_id, f.learner_no, count(*) as visits
		from attendance_facts f join session_courses c on c.session_id = f.session_id
		where ${where}
		group by f.month, f.location_no, c.course_id, f.learner_no`.execute(db);
}

/** The visit cells of one place in these months, again from the facts. */
export async function rebuildVisitCells(db: Db, place: number, months: number[]): Promise<void> {
	for (const month of new Set(months)) {
		await db
			.deleteFrom('visit_cells')
			.where('month', '=', month)
			.where('location_no', '=', place)
			.execute();
		const { rows } = await visitRowsOf(db, sql`f.location_no = ${place} and f.month = ${month}`);
		await insertVisitCells(db, rows);
	}
}

/** The first-attendance cells of these months, again from `first_attendance`. */
export async function rebuildFirstCells(db: Db, months: number[]): Promise<void> {
	const wanted = [...new Set(months)];
	if (wanted.length === 0) return;
	await db.deleteFrom('first_cells').where('month', 'in', wanted).execute();
	const rows = await db
		.selectFrom('first_attendance')
		.select(['month', 'learner_no', 'date'])
		.where('month', 'in', wanted)
		.execute();
	await insertFirstCells(db, rows);
}

async function insertFirstCells(
	db: Db,
	rows: { month: number; learner_no: number; date: string }[]
): Promise<void> {
	const cells = packCells(
		rows,
		(r) => String(r.month),
		(r) => [Number(r.learner_no), dayNumber(r.date)]
	);
	const values = [...cells.values()].map(({ first, bytes }) => ({
		month: Number(first.month),
		learners: bytes
	}));
	for (let i = 0; i < values.length; i += 500) {
		await db
			.insertInto('first_cells')
			.values(values.slice(i, i + 500))
			.execute();
	}
}

interface LessonRow {
	month: number | string;
	location_no: number;
	course_id: string;
	learner_no: number;
	lesson_no: number;
}

/** The learner-lessons of these completions, each once, per month, place and course. */
function lessonRowsOf(db: Db, where: ReturnType<typeof sql>) {
	return sql<LessonRow>`
		select distinct cast(substr(l.day, 1, 4) || substr(l.day, 6, 2) as integer) as month,
			l.location_no, l.course_id, l.learner_no, l.lesson_no
		from lesson_completions l
		where l.location_no is not null and ${where}`.execute(db);
}

const insertLessonCells = (db: Db, rows: LessonRow[]) =>
	insertPlaceCells(db, 'lesson_cells', rows, (r) => [Number(r.learner_no), Number(r.lesson_no)]);

/** The lesson cells of these places in these months (202611), again from the completions. */
export async function rebuildLessonCells(
	db: Db,
	cells: { month: number; place: number }[]
): Promise<void> {
	const unique = new Map(cells.map((c) => [`${c.month}|${c.place}`, c]));
	for (const { month, place } of unique.values()) {
		const { from, to } = monthDays(month);
		await db
			.deleteFrom('lesson_cells')
			.where('month', '=', month)
			.where('location_no', '=', place)
			.execute();
		const { rows } = await lessonRowsOf(
			db,
			sql`l.location_no = ${place} and l.day >= ${from} and l.day <= ${to}`
		);
		await insertLessonCells(db, rows);
	}
}

/** Every cell again from the facts (after a rebuild of the facts, and the migration). */
export async function rebuildCells(db: Db): Promise<void> {
	await db.deleteFrom('visit_cells').execute();
	await db.deleteFrom('first_cells').execute();
	await db.deleteFrom('lesson_cells').execute();
	await insertLessonCells(db, (await lessonRowsOf(db, sql`1 = 1`)).rows);
	const { rows } = await visitRowsOf(db, sql`1 = 1`);
	await insertVisitCells(db, rows);
	const firsts = await db
		.selectFrom('first_attendance')
		.select(['month', 'learner_no', 'date'])
		.execute();
	await insertFirstCells(db, firsts);
}
