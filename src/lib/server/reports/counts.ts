/**
 * The learner counts of a report, each one aggregated by the database from the report facts
 * (`facts.ts`), grouped in total, by place, by month or by course. Both engines run the same
 * statements; counts come back as numbers (PostgreSQL sends `bigint` as text).
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { splitByMonths, type Period } from '../../domain/reports/period';
import type { Database } from '../db/schema';
import { courseCatalogue } from '../content/catalogue';
import { monthNumber } from './facts';
import type { ReportFilter } from './figures';
import { nextDay, stampAt } from './stamps';

type Db = Kysely<Database>;

export type Grouping = 'total' | 'location' | 'month' | 'course';

export interface VisitCount {
	key: string;
	attendances: number;
	learners: number;
	newLearners: number;
	returningLearners: number;
}

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

/**
 * One row per attendance count: (month, location_no, course_id, learner_no, visits) of the
 * held days of the period, at the filter's places and, when it names one, its course. With
 * `perCourse` each course of a session has its rows (for the table by course), otherwise
 * `course_id` is empty and a session counts once.
 */
function visitRows(
	filter: ReportFilter,
	places: Places,
	held: Period,
	perCourse: boolean
): RawBuilder<unknown> {
	const byCourse = perCourse || filter.courseId !== null;
	const course = filter.courseId === null ? sql`` : sql` and c.course_id = ${filter.courseId}`;
	const split = splitByMonths(held);
	const parts: RawBuilder<unknown>[] = [];
	if (split.months) {
		const first = monthNumber(split.months.first);
		const last = monthNumber(split.months.last);
		parts.push(
			byCourse
				? sql`select c.month, c.location_no, c.course_id, c.learner_no, c.visits
					from attendance_course_months c
					where c.month >= ${first} and c.month <= ${last}${atPlaces(places, 'c.location_no')}${course}`
				: sql`select m.month, m.location_no, '' as course_id, m.learner_no, m.visits
					from attendance_months m
					where m.month >= ${first} and m.month <= ${last}${atPlaces(places, 'm.location_no')}`
		);
	}
	if (split.days.length > 0) {
		const days = sql.join(
			split.days.map((d) => sql`(f.date >= ${d.from} and f.date <= ${d.to})`),
			sql` or `
		);
		parts.push(
			byCourse
				? sql`select f.month, f.location_no, c.course_id, f.learner_no, 1 as visits
					from attendance_facts f join session_courses c on c.session_id = f.session_id
					where (${days})${atPlaces(places, 'f.location_no')}${course}`
				: sql`select f.month, f.location_no, '' as course_id, f.learner_no, 1 as visits
					from attendance_facts f
					where (${days})${atPlaces(places, 'f.location_no')}`
		);
	}
	return sql.join(parts, sql` union all `);
}

const GROUP_COLUMN: Record<Exclude<Grouping, 'total'>, string> = {
	location: 'location_no',
	month: 'month',
	course: 'course_id'
};

/** A group's key as the report names it: place id, "YYYY-MM", course id or "total". */
function keyOf(grouping: Grouping, places: Places, g: unknown): string {
	if (grouping === 'location') return places.idOf.get(Number(g)) ?? '';
	if (grouping === 'month') return monthKey(g as number);
	return String(g);
}

/**
 * Attendances, learners, new and returning learners per group. A learner is new in a group
 * when their first attendance ever falls on or after the group's first day (the month's for a
 * month, else the period's), returning when it falls before or they came twice in the group.
 */
export async function visitCounts(
	db: Db,
	filter: ReportFilter,
	places: Places,
	held: Period,
	grouping: Grouping
): Promise<VisitCount[]> {
	const rows = visitRows(filter, places, held, grouping === 'course');
	const column = grouping === 'total' ? null : sql.ref(`v.${GROUP_COLUMN[grouping]}`);
	const perLearner = column
		? sql`select ${column} as g, v.learner_no, sum(v.visits) as n from (${rows}) v group by ${column}, v.learner_no`
		: sql`select 'total' as g, v.learner_no, sum(v.visits) as n from (${rows}) v group by v.learner_no`;
	// New: first attended on or after the row's first day, which is the period's first day or,
	// for a month row, that month's first day when later (months compare as numbers).
	const fresh =
		grouping === 'month'
			? sql`fa.month >= p.g and fa.date >= ${held.from}`
			: sql`fa.date >= ${held.from}`;
	const result = await sql<{
		g: unknown;
		learners: number | string;
		attendances: number | string;
		fresh: number | string;
		came_back: number | string;
	}>`select p.g, count(*) as learners, sum(p.n) as attendances,
			sum(case when ${fresh} then 1 else 0 end) as fresh,
			sum(case when not (${fresh}) or p.n >= 2 then 1 else 0 end) as came_back
		from (${perLearner}) p
		join first_attendance fa on fa.learner_no = p.learner_no
		group by p.g`.execute(db);
	return result.rows.map((r) => ({
		key: keyOf(grouping, places, r.g),
		learners: Number(r.learners),
		attendances: Number(r.attendances),
		newLearners: Number(r.fresh),
		returningLearners: Number(r.came_back)
	}));
}

/** Distinct learner-lessons completed in the period at the filter's places, per group. */
export async function lessonCounts(
	db: Db,
	filter: ReportFilter,
	places: Places,
	grouping: Grouping
): Promise<Map<string, number>> {
	const key =
		grouping === 'total'
			? sql`'total'`
			: grouping === 'month'
				? sql`substr(l.day, 1, 7)`
				: sql.ref(`l.${GROUP_COLUMN[grouping]}`);
	const course = filter.courseId === null ? sql`` : sql` and l.course_id = ${filter.courseId}`;
	// A learner-lesson as one integer (lessons are numbered far below 2^20): counting distinct
	// integers is about a third faster than distinct pairs.
	const learnerLesson = sql`cast(l.learner_no as bigint) * 1048576 + l.lesson_no`;
	const groupBy = grouping === 'total' ? sql`` : sql` group by ${key}`;
	const result = await sql<{ g: unknown; n: number | string }>`
		select ${key} as g, count(distinct ${learnerLesson}) as n
		from lesson_completions l
		where l.day >= ${filter.period.from} and l.day <= ${filter.period.to}
			${atPlaces(places, 'l.location_no')}${course}${groupBy}`.execute(db);
	return new Map(
		result.rows.map((r) => [
			grouping === 'month' ? String(r.g) : keyOf(grouping, places, r.g),
			Number(r.n)
		])
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

/** The period's learners counted by the answers they gave (or did not) for the statistics. */
export async function attributeRows(
	db: Db,
	filter: ReportFilter,
	places: Places,
	held: Period
): Promise<AttributeRow[]> {
	const result = await sql<Omit<AttributeRow, 'n'> & { n: number | string }>`
		select l.consent, l.age_group, l.target_group, l.lang, count(*) as n
		from fact_learners fl join learners l on l.id = fl.learner_id
		where fl.no in (select v.learner_no from (${visitRows(filter, places, held, false)}) v)
		group by l.consent, l.age_group, l.target_group, l.lang`.execute(db);
	return result.rows.map((r) => ({ ...r, n: Number(r.n) }));
}
