/**
 * The figures of the attendance and reach report, for a period and the places and course a
 * coordinator chose: in total, per place, per course and per month, and the learners by the
 * attributes they agreed to. Counts of learners are made small-cell safe here, on the server,
 * so a count under 5 never leaves it (see `domain/reports/suppression.ts`).
 *
 * Definitions (docs/data-protection.md repeats them for the council):
 * - a session was **held** when it was not cancelled and its date is not in the future;
 * - an **attendance** is a learner marked present or late at a held session;
 * - a **new** learner attended for the first time ever within the period;
 * - a **returning** learner attended within the period and either had attended before it or
 *   attended at least twice within it (so a new learner who came back counts as both);
 * - per month, "the period" is that month: new and returning are counted month by month;
 * - **lessons completed** are distinct learner-lessons with a completion in the period, placed
 *   at the tablet's place (a learner's own device counts for their home place);
 * - a **course completed** is a learner who, within the period, completed the last lesson of a
 *   course they had not completed before;
 * - **volunteer hours** are each held session's length times the volunteers running it.
 */
import { sql, type Kysely } from 'kysely';
import { people } from '../../domain/reports/suppression';
import type { AttributeCounts, FigureRow, Report } from '../../domain/reports/report';
import { monthsOf, type Period } from '../../domain/reports/period';
import { sessionHours } from '../../domain/sessions/session-rules';
import type { Database } from '../db/schema';
import { courseCatalogue } from '../content/catalogue';

export interface ReportFilter {
	period: Period;
	/** The places to report on (already limited to the coordinator's scope). */
	locationIds: string[];
	courseId: string | null;
	/** Sessions after this date have not been held yet. */
	today: string;
}

/** Raw tallies of one row before small cells are hidden. */
class Tally {
	sessions = 0;
	hours = 0;
	volunteers = new Set<string>();
	volunteerHours = 0;
	attendances = 0;
	/** Attendances per learner within this row. */
	visits = new Map<string, number>();
	lessons = new Set<string>();
	courses = new Set<string>();

	/** `since`: the first day of the row's period (the month's, for a month row). */
	row(key: string, firsts: Map<string, string>, since: string): FigureRow {
		let fresh = 0;
		let returning = 0;
		for (const [learner, visits] of this.visits) {
			const first = firsts.get(learner);
			if (first === undefined) continue;
			if (first >= since) fresh++;
			if (first < since || visits >= 2) returning++;
		}
		return {
			key,
			sessions: this.sessions,
			hours: round(this.hours),
			volunteers: this.volunteers.size,
			volunteerHours: round(this.volunteerHours),
			attendances: people(this.attendances),
			learners: people(this.visits.size),
			newLearners: people(fresh),
			returningLearners: people(returning),
			lessonsCompleted: people(this.lessons.size),
			coursesCompleted: people(this.courses.size)
		};
	}
}

const round = (n: number) => Math.round(n * 100) / 100;
const ATTENDED = ['present', 'late'];

function tallyOf(map: Map<string, Tally>, key: string): Tally {
	let tally = map.get(key);
	if (!tally) map.set(key, (tally = new Tally()));
	return tally;
}

/** The clock stamp that sorts before every stamp of that local day (`hlc` strings sort by ms). */
function stampAt(date: string): string {
	const [y, m, d] = date.split('-').map(Number) as [number, number, number];
	return String(new Date(y, m - 1, d).getTime()).padStart(15, '0');
}

function nextDay(date: string): string {
	const [y, m, d] = date.split('-').map(Number) as [number, number, number];
	return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

function monthOfStamp(stamp: string): string {
	const date = new Date(Number(stamp.slice(0, 15)));
	return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}`;
}

/** Held sessions of the filter, as a query to reuse inside others. */
function heldSessions(db: Kysely<Database>, filter: ReportFilter) {
	const until = filter.period.to < filter.today ? filter.period.to : filter.today;
	return db
		.selectFrom('training_sessions as s')
		.where('s.location_id', 'in', filter.locationIds.length ? filter.locationIds : [''])
		.where('s.date', '>=', filter.period.from)
		.where('s.date', '<=', until)
		.where('s.status', '!=', 'cancelled')
		.$if(filter.courseId !== null, (q) =>
			q.where(sql<boolean>`(',' || s.course_ids || ',') like ${`%,${filter.courseId},%`}`)
		);
}

export async function buildReport(db: Kysely<Database>, filter: ReportFilter): Promise<Report> {
	const { period } = filter;
	const sessions = await heldSessions(db, filter)
		.select([
			's.id',
			's.location_id',
			's.date',
			's.start_time',
			's.end_time',
			's.course_ids',
			's.volunteer_ids'
		])
		.execute();
	const attendance = await heldSessions(db, filter)
		.innerJoin('attendance as a', 'a.session_id', 's.id')
		.where('a.status', 'in', ATTENDED)
		.select(['a.session_id', 'a.learner_id'])
		.execute();
	const [histories, attributes, completions] = await Promise.all([
		learnerHistories(db, filter),
		attributeRows(db, filter),
		lessonCompletions(db, filter)
	]);

	const total = new Tally();
	const byLocation = new Map<string, Tally>(filter.locationIds.map((id) => [id, new Tally()]));
	const byCourse = new Map<string, Tally>();
	const byMonth = new Map<string, Tally>(monthsOf(period).map((m) => [m, new Tally()]));
	const courseList = (text: string) => text.split(',').filter(Boolean);
	const relevantCourses = (text: string) =>
		courseList(text).filter((c) => filter.courseId === null || c === filter.courseId);

	const sessionById = new Map(sessions.map((s) => [s.id, s]));
	for (const s of sessions) {
		const hours = sessionHours(s.start_time, s.end_time);
		const volunteers = courseList(s.volunteer_ids);
		const groups = [
			total,
			tallyOf(byLocation, s.location_id),
			tallyOf(byMonth, s.date.slice(0, 7)),
			...relevantCourses(s.course_ids).map((c) => tallyOf(byCourse, c))
		];
		for (const tally of groups) {
			tally.sessions++;
			tally.hours += hours;
			tally.volunteerHours += hours * volunteers.length;
			for (const v of volunteers) tally.volunteers.add(v);
		}
	}
	for (const row of attendance) {
		const s = sessionById.get(row.session_id);
		if (!s) continue;
		const groups = [
			total,
			tallyOf(byLocation, s.location_id),
			tallyOf(byMonth, s.date.slice(0, 7)),
			...relevantCourses(s.course_ids).map((c) => tallyOf(byCourse, c))
		];
		for (const tally of groups) {
			tally.attendances++;
			tally.visits.set(row.learner_id, (tally.visits.get(row.learner_id) ?? 0) + 1);
		}
	}
	for (const done of completions.lessons) {
		const key = `${done.learner_id}|${done.course_id}|${done.lesson_id}`;
		for (const tally of [
			total,
			tallyOf(byLocation, done.location_id ?? ''),
			tallyOf(byMonth, monthOfStamp(done.hlc)),
			tallyOf(byCourse, done.course_id)
		]) {
			tally.lessons.add(key);
		}
	}
	for (const done of completions.courses) {
		const key = `${done.learnerId}|${done.courseId}`;
		for (const tally of [
			total,
			tallyOf(byLocation, done.locationId ?? ''),
			tallyOf(byMonth, monthOfStamp(done.hlc)),
			tallyOf(byCourse, done.courseId)
		]) {
			tally.courses.add(key);
		}
	}
	byLocation.delete('');

	const rows = (map: Map<string, Tally>, since: (key: string) => string = () => period.from) =>
		[...map].map(([key, tally]) => tally.row(key, histories, since(key)));
	const catalogue = courseCatalogue().map((c) => c.id);
	const courseRows = rows(byCourse).sort(
		(a, b) => indexIn(catalogue, a.key) - indexIn(catalogue, b.key) || a.key.localeCompare(b.key)
	);
	return {
		total: total.row('total', histories, period.from),
		byLocation: rows(byLocation),
		byCourse: courseRows,
		byMonth: rows(byMonth, (month) =>
			`${month}-01` > period.from ? `${month}-01` : period.from
		).sort((a, b) => a.key.localeCompare(b.key)),
		attributes: countAttributes(new Set(total.visits.keys()), attributes)
	};
}

const indexIn = (list: string[], key: string) => {
	const i = list.indexOf(key);
	return i === -1 ? list.length : i;
};

/** The date of each of the period's learners' first attendance ever, at any place. */
async function learnerHistories(
	db: Kysely<Database>,
	filter: ReportFilter
): Promise<Map<string, string>> {
	const inPeriod = heldSessions(db, filter)
		.innerJoin('attendance as a2', 'a2.session_id', 's.id')
		.where('a2.status', 'in', ATTENDED)
		.select('a2.learner_id');
	const rows = await db
		.selectFrom('attendance as a')
		.innerJoin('training_sessions as t', 't.id', 'a.session_id')
		.where('a.status', 'in', ATTENDED)
		.where('t.status', '!=', 'cancelled')
		.where('t.date', '<=', filter.period.to)
		.where('a.learner_id', 'in', inPeriod)
		.groupBy('a.learner_id')
		.select((eb) => ['a.learner_id', eb.fn.min('t.date').as('first')])
		.execute();
	return new Map(rows.map((r) => [r.learner_id, String(r.first)]));
}

async function attributeRows(db: Kysely<Database>, filter: ReportFilter) {
	const inPeriod = heldSessions(db, filter)
		.innerJoin('attendance as a', 'a.session_id', 's.id')
		.where('a.status', 'in', ATTENDED)
		.select('a.learner_id');
	return db
		.selectFrom('learners')
		.where('id', 'in', inPeriod)
		.select(['id', 'consent', 'age_group', 'target_group', 'lang'])
		.execute();
}

function countAttributes(
	learners: Set<string>,
	rows: { id: string; consent: string; age_group: string; target_group: string; lang: string }[]
): AttributeCounts {
	const byKey = (pick: (r: (typeof rows)[number]) => string) => {
		const counts = new Map<string, number>();
		for (const r of rows) {
			if (!learners.has(r.id) || r.consent !== 'yes') continue;
			const key = pick(r) || 'unknown';
			counts.set(key, (counts.get(key) ?? 0) + 1);
		}
		return [...counts]
			.sort(([a], [b]) => a.localeCompare(b))
			.map(([key, n]) => ({ key, learners: people(n) }));
	};
	const without = rows.filter((r) => learners.has(r.id) && r.consent !== 'yes').length;
	return {
		ageGroup: byKey((r) => r.age_group),
		targetGroup: byKey((r) => r.target_group),
		language: byKey((r) => r.lang),
		withoutConsent: people(without)
	};
}

interface Completions {
	lessons: {
		learner_id: string;
		course_id: string;
		lesson_id: string;
		hlc: string;
		location_id: string | null;
	}[];
	courses: { learnerId: string; courseId: string; hlc: string; locationId: string | null }[];
}

/** Lessons completed in the period at the chosen places, and the courses they completed. */
async function lessonCompletions(db: Kysely<Database>, filter: ReportFilter): Promise<Completions> {
	const from = stampAt(filter.period.from);
	const to = stampAt(nextDay(filter.period.to));
	const place = sql<string | null>`coalesce(d.location_id, l.home_location_id)`;
	const lessons = await db
		.selectFrom('progress_events as pe')
		.leftJoin('devices as d', 'd.id', 'pe.device_id')
		.leftJoin('learners as l', 'l.id', 'pe.learner_id')
		.where('pe.type', '=', 'lesson-completed')
		.where('pe.hlc', '>=', from)
		.where('pe.hlc', '<', to)
		.where(place, 'in', filter.locationIds.length ? filter.locationIds : [''])
		.$if(filter.courseId !== null, (q) => q.where('pe.course_id', '=', filter.courseId!))
		.select(['pe.learner_id', 'pe.course_id', 'pe.lesson_id', 'pe.hlc', place.as('location_id')])
		.orderBy('pe.hlc')
		.execute();
	if (lessons.length === 0) return { lessons, courses: [] };

	// Which of these learners had, by the period's end, completed every lesson of a course.
	const learnerIds = [...new Set(lessons.map((l) => l.learner_id))];
	const done = new Map<string, Map<string, string>>(); // learner|course → lesson → first stamp
	for (let i = 0; i < learnerIds.length; i += 500) {
		const rows = await db
			.selectFrom('progress_events')
			.where('type', '=', 'lesson-completed')
			.where('hlc', '<', to)
			.where('learner_id', 'in', learnerIds.slice(i, i + 500))
			.groupBy(['learner_id', 'course_id', 'lesson_id'])
			.select((eb) => ['learner_id', 'course_id', 'lesson_id', eb.fn.min('hlc').as('first')])
			.execute();
		for (const r of rows) {
			const key = `${r.learner_id}|${r.course_id}`;
			const lessonsDone = done.get(key) ?? new Map<string, string>();
			lessonsDone.set(r.lesson_id, String(r.first));
			done.set(key, lessonsDone);
		}
	}
	const lastInPeriod = new Map(lessons.map((l) => [`${l.learner_id}|${l.course_id}`, l]));
	const courses: Completions['courses'] = [];
	for (const course of courseCatalogue()) {
		if (filter.courseId !== null && course.id !== filter.courseId) continue;
		for (const [key, lessonsDone] of done) {
			const [learnerId, courseId] = key.split('|') as [string, string];
			if (courseId !== course.id) continue;
			const stamps = course.lessonIds.map((id) => lessonsDone.get(id));
			if (stamps.some((s) => s === undefined)) continue;
			const completedAt = (stamps as string[]).reduce((a, b) => (a > b ? a : b));
			const event = lastInPeriod.get(key);
			if (completedAt < from || !event) continue;
			courses.push({ learnerId, courseId, hlc: completedAt, locationId: event.location_id });
		}
	}
	return { lessons, courses };
}
