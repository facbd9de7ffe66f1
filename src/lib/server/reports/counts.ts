/**
 * The learner counts of a report, each one aggregated by the database from the report facts
 * (`facts.ts`), grouped in total, by place, by month or by course. Both engines run the same
 * statements; counts come back as numbers (PostgreSQL sends `bigint` as text).
 */
import { sql, type Kysely } from 'kysely';
import { splitByMonths, type Period } from '../../domain/reports/period';
import {
	cellsOf,
	countLessons,
	countVisits,
	dayNumber,
	type Cell,
	type VisitCount
} from '../../domain/reports/cells';
import type { Database } from '../db/schema';
import { courseCatalogue } from '../content/catalogue';
import { monthNumber } from './facts';
import type { ReportFilter } from './figures';
import { unpackPairs } from './cells';
import { nextDay, stampAt } from './stamps';

type Db = Kysely<Database>;

export type Grouping = 'total' | 'location' | 'month' | 'course';

/** The filter's places as numbered in the facts (a place without facts has none). */
export interface Places {
	numbers: number[];
	idOf: Map<number, string>;
	/** Every place with facts is asked for: no need to name them (and the indexes by learner fit). */
	all: boolean;
}

export async function placesOf(db: Db, filter: ReportFilter): Promise<Places> {
	const rows = filter.locationIds.length
		? await db
				.selectFrom('fact_places')
				.select(['no', 'location_id'])
				.where('location_id', 'in', filter.locationIds)
				.execute()
		: [];
	const known = await db
		.selectFrom('fact_places')
		.select((eb) => eb.fn.countAll<number | string>().as('n'))
		.executeTakeFirstOrThrow();
	return {
		numbers: rows.map((r) => r.no),
		idOf: new Map(rows.map((r) => [r.no, r.location_id])),
		all: rows.length > 0 && rows.length === Number(known.n)
	};
}

/**
 * ` and <column> in (the places)`; when all places are asked for, only that there is a place
 * (a lesson done on a learner's own device with no home place counts nowhere).
 */
export function atPlaces(places: Places, column: string) {
	if (places.all) return sql` and ${sql.ref(column)} is not null`;
	return sql` and ${sql.ref(column)} in (${sql.join(places.numbers.length ? places.numbers : [-1])})`;
}
/** 202611 → "2026-11". */
export const monthKey = (no: number | string) =>
	`${String(no).slice(0, 4)}-${String(no).slice(4, 6)}`;

export type VisitGroupCount = VisitCount & { key: string };

export interface VisitFigures {
	groups: Record<Grouping, VisitGroupCount[]>;
	/** The learner numbers of the report (for the attribute counts). */
	learners: number[];
}

/**
 * Attendances, learners, new and returning learners in total, per place, month and course:
 * the cells of the whole months and, for the broken months at the period's ends, cells made
 * from the days' facts, counted in `domain/reports/cells.ts`. With a course filter that
 * course's cells count everywhere.
 */
export async function visitCounts(
	db: Db,
	filter: ReportFilter,
	places: Places,
	held: Period
): Promise<VisitFigures> {
	const [all, courses, firsts] = await Promise.all([
		filter.courseId === null ? visitCells(db, filter, places, held, false) : null,
		visitCells(db, filter, places, held, true),
		firstDays(db, held)
	]);
	const cells = all ?? courses;
	const fromDay = dayNumber(held.from);
	const count = <K>(on: Cell[], groupOf: (c: Cell) => K, perMonth = false) =>
		countVisits(on, groupOf, firsts, fromDay, perMonth);
	const total = count(cells, () => 'total');
	const keyed = <K>(counts: Map<K, VisitCount>, keyOf: (k: K) => string) =>
		[...counts].map(([k, c]) => ({ ...c, key: keyOf(k) }));
	return {
		groups: {
			total: keyed(total.counts, String),
			location: keyed(count(cells, (c) => c.place).counts, (no) => places.idOf.get(no) ?? ''),
			month: keyed(count(cells, (c) => c.month, true).counts, monthKey),
			course: keyed(count(courses, (c) => c.course).counts, String)
		},
		learners: total.learners
	};
}

/**
 * The visit cells of the held period at the filter's places: for all sessions, or per course
 * (only the filter's course when it names one). Whole months come packed from `visit_cells`, the
 * days of broken months are counted from the facts.
 */
async function visitCells(
	db: Db,
	filter: ReportFilter,
	places: Places,
	held: Period,
	perCourse: boolean
): Promise<Cell[]> {
	const split = splitByMonths(held);
	const course = !perCourse
		? sql` and course_id = ''`
		: filter.courseId === null
			? sql` and course_id <> ''`
			: sql` and course_id = ${filter.courseId}`;
	const months = split.months
		? sql<{ month: number; location_no: number; course_id: string; learners: Uint8Array }>`
				select month, location_no, course_id, learners from visit_cells
				where month >= ${monthNumber(split.months.first)} and month <= ${monthNumber(split.months.last)}
				${atPlaces(places, 'location_no')}${course}`.execute(db)
		: null;
	const days = split.days.length > 0 ? dayVisits(db, filter, places, split.days, perCourse) : [];
	return [...unpacked((await months)?.rows ?? []), ...(await days)];
}

/** Rows of `visit_cells` or `lesson_cells` as cells to count. */
function unpacked(
	rows: { month: number; location_no: number; course_id: string; learners: Uint8Array }[]
): Cell[] {
	return rows.map((r) => ({
		month: Number(r.month),
		place: Number(r.location_no),
		course: r.course_id,
		pairs: unpackPairs(r.learners)
	}));
}

/** Cells of single days (the broken months at a period's ends), counted from the facts. */
async function dayVisits(
	db: Db,
	filter: ReportFilter,
	places: Places,
	days: Period[],
	perCourse: boolean
): Promise<Cell[]> {
	const within = sql.join(
		days.map((d) => sql`(f.date >= ${d.from} and f.date <= ${d.to})`),
		sql` or `
	);
	const course = filter.courseId === null ? sql`` : sql` and c.course_id = ${filter.courseId}`;
	const { rows } = await (
		perCourse
			? sql<DayRow>`select f.month, f.location_no, c.course_id, f.learner_no, count(*) as visits
				from attendance_facts f join session_courses c on c.session_id = f.session_id
				where (${within})${atPlaces(places, 'f.location_no')}${course}
				group by f.month, f.location_no, c.course_id, f.learner_no`
			: sql<DayRow>`select f.month, f.location_no, '' as course_id, f.learner_no, count(*) as visits
				from attendance_facts f
				where (${within})${atPlaces(places, 'f.location_no')}
				group by f.month, f.location_no, f.learner_no`
	).execute(db);
	return cellsOf(
		rows.map((r) => ({
			month: Number(r.month),
			place: Number(r.location_no),
			course: r.course_id,
			pair: [Number(r.learner_no), Number(r.visits)]
		}))
	);
}

interface DayRow {
	month: number;
	location_no: number;
	course_id: string;
	learner_no: number;
	visits: number | string;
}

/**
 * Each learner's first attendance as yyyymmdd, for those whose first attendance falls in the
 * held period's months (everyone else came first before it, or not at all: 0).
 */
async function firstDays(db: Db, held: Period): Promise<(learner: number) => number> {
	const { rows } = await sql<{ learners: Uint8Array }>`
		select learners from first_cells
		where month >= ${monthNumber(held.from)} and month <= ${monthNumber(held.to)}`.execute(db);
	const lists = rows.map((r) => unpackPairs(r.learners));
	let top = 0;
	for (const pairs of lists)
		for (let i = 0; i < pairs.length; i += 2) top = Math.max(top, pairs[i]!);
	const days = new Int32Array(top + 1);
	for (const pairs of lists)
		for (let i = 0; i < pairs.length; i += 2) days[pairs[i]!] = pairs[i + 1]!;
	return (learner) => (learner <= top ? days[learner]! : 0);
}

/**
 * Distinct learner-lessons completed in the period at the filter's places, in total, per place,
 * month and course: the lesson cells of the whole months and, for the broken months, cells made
 * from the days' completions.
 */
export async function lessonCounts(
	db: Db,
	filter: ReportFilter,
	places: Places
): Promise<Record<Grouping, Map<string, number>>> {
	const split = splitByMonths(filter.period);
	const course = filter.courseId === null ? sql`` : sql` and course_id = ${filter.courseId}`;
	const months = split.months
		? sql<{ month: number; location_no: number; course_id: string; learners: Uint8Array }>`
				select month, location_no, course_id, learners from lesson_cells
				where month >= ${monthNumber(split.months.first)} and month <= ${monthNumber(split.months.last)}
				${atPlaces(places, 'location_no')}${course}`.execute(db)
		: null;
	const days = split.days.length > 0 ? dayLessons(db, filter, places, split.days) : [];
	const cells = [...unpacked((await months)?.rows ?? []), ...(await days)];
	const keyed = <K>(counts: Map<K, number>, keyOf: (k: K) => string) =>
		new Map([...counts].map(([k, n]) => [keyOf(k), n]));
	return {
		total: countLessons(cells, () => 'total'),
		location: keyed(
			countLessons(cells, (c) => c.place),
			(no) => places.idOf.get(no) ?? ''
		),
		month: keyed(
			countLessons(cells, (c) => c.month),
			monthKey
		),
		course: countLessons(cells, (c) => c.course)
	};
}

/** Cells of the lessons completed on single days (the broken months at a period's ends). */
async function dayLessons(
	db: Db,
	filter: ReportFilter,
	places: Places,
	days: Period[]
): Promise<Cell[]> {
	const within = sql.join(
		days.map((d) => sql`(l.day >= ${d.from} and l.day <= ${d.to})`),
		sql` or `
	);
	const course = filter.courseId === null ? sql`` : sql` and l.course_id = ${filter.courseId}`;
	const { rows } = await sql<{
		day: string;
		location_no: number;
		course_id: string;
		learner_no: number;
		lesson_no: number;
	}>`select distinct l.day, l.location_no, l.course_id, l.learner_no, l.lesson_no
		from lesson_completions l
		where (${within})${atPlaces(places, 'l.location_no')}${course}`.execute(db);
	return cellsOf(
		rows.map((r) => ({
			month: monthNumber(r.day),
			place: Number(r.location_no),
			course: r.course_id,
			pair: [Number(r.learner_no), Number(r.lesson_no)]
		}))
	);
}

export interface CourseCompletion {
	learnerNo: number;
	courseId: string;
	/** The first completion of the course's last lesson still missing. */
	hlc: string;
	locationId: string;
}

/**
 * Learners who completed a course within the period: the first completions of all its lessons
 * are known and the latest of them falls in the period, at one of the filter's places.
 */
export async function courseCompletions(
	db: Db,
	filter: ReportFilter,
	places: Places
): Promise<CourseCompletion[]> {
	const from = stampAt(filter.period.from);
	const to = stampAt(nextDay(filter.period.to));
	const courses = courseCatalogue().filter(
		(c) => c.lessonIds.length > 0 && (filter.courseId === null || c.id === filter.courseId)
	);
	const found = await Promise.all(
		courses.map(async (course) => {
			const result = await sql<{ learner_no: number; done: string; location_no: number }>`
				select d.learner_no, d.done, y.location_no
				from (
					select f.learner_no, max(f.first_hlc) as done, count(*) as n
					from lesson_firsts f
					where f.course_id = ${course.id} and f.lesson_id in (${sql.join(course.lessonIds)})
						and f.learner_no in (
							select r.learner_no from lesson_firsts r
							where r.course_id = ${course.id} and r.first_hlc >= ${from} and r.first_hlc < ${to}
						)
					group by f.learner_no
				) d
				join lesson_firsts y
					on y.learner_no = d.learner_no and y.course_id = ${course.id} and y.first_hlc = d.done
				where d.n = ${course.lessonIds.length} and d.done >= ${from} and d.done < ${to}
					${atPlaces(places, 'y.location_no')}`.execute(db);
			const byLearner = new Map(result.rows.map((r) => [r.learner_no, r]));
			return [...byLearner.values()].map((r) => ({
				learnerNo: r.learner_no,
				courseId: course.id,
				hlc: r.done,
				locationId: places.idOf.get(r.location_no) ?? ''
			}));
		})
	);
	return found.flat();
}

export interface AttributeRow {
	consent: string;
	age_group: string;
	target_group: string;
	lang: string;
	n: number;
}

/** These learners counted by the answers they gave (or did not) for the statistics. */
export async function attributeRows(db: Db, learners: number[]): Promise<AttributeRow[]> {
	const counts = new Map<string, AttributeRow>();
	// In parts, to stay far inside either database's limit of parameters in one statement. The
	// learners by a subquery: as a join, SQLite compared every learner with every number.
	for (let i = 0; i < learners.length; i += 10_000) {
		const part = learners.slice(i, i + 10_000);
		const result = await sql<Omit<AttributeRow, 'n'> & { n: number | string }>`
			select l.consent, l.age_group, l.target_group, l.lang, count(*) as n
			from learners l
			where l.id in (select fl.learner_id from fact_learners fl where fl.no in (${sql.join(part)}))
			group by l.consent, l.age_group, l.target_group, l.lang`.execute(db);
		for (const row of result.rows) {
			const key = [row.consent, row.age_group, row.target_group, row.lang].join('\u0000');
			const known = counts.get(key);
			if (known) known.n += Number(row.n);
			else counts.set(key, { ...row, n: Number(row.n) });
		}
	}
	return [...counts.values()];
}
