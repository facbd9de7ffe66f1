/**
 * The report facts: small tables derived from sessions, attendance and progress events, so that
 * a report on a year of a whole county reads a few indexed tables instead of joining a million
 * raw rows (docs/benchmarks.md, "Reports"). They are written in the same transaction as the
 * records they come from, so they can never disagree with them; `rebuildReportFacts` makes them
 * again from the records (the migration that added them, and tests that load records directly).
 *
 * - `fact_learners`, `fact_places`, `fact_lessons`: a number for each learner, place and lesson
 *   that has facts.
 * - `attendance_facts`: who came (present or late) to which session that was not cancelled, with
 *   the session's place, date and month; whether a session was held (its date not in the
 *   future) is decided when a report is read. `first_attendance`: each learner's earliest.
 * - `session_courses`: the courses of each session, one row each.
 * - `visit_cells`, `first_cells`: who came how often per place and month (and course), and
 *   whose first attendance falls in each month, packed for the whole months of a report
 *   period (`cells.ts`).
 * - `lesson_completions`: every lesson-completed event, with its local day and the place it
 *   counts for (the tablet's place; a learner's own device counts for their home place).
 * - `lesson_cells`: the learner-lessons completed per place, month and course, packed (`cells.ts`).
 * - `lesson_firsts`: each learner's first completion of each lesson.
 * - `session_months`, `volunteer_months`: what the sessions of each place and month add up to
 *   (`domain/reports/session-sums.ts`), and who ran them.
 */
import { sql, type Kysely } from 'kysely';
import { ATTENDANCE_STATUSES, attended } from '../../domain/sessions/attendance';
import type { Database } from '../db/schema';
import { sumSessions } from '../../domain/reports/session-sums';
import { rebuildCells, rebuildFirstCells, rebuildLessonCells, rebuildVisitCells } from './cells';
import { dayOfStamp } from './stamps';

type Db = Kysely<Database>;

const CHUNK = 500;
const ATTENDED = ATTENDANCE_STATUSES.filter(attended);

const coursesOf = (text: string) => [...new Set(text.split(',').filter(Boolean))];

/** "2026-11-03" or "2026-11" → 202611: months as numbers group and compare fastest. */
export const monthNumber = (date: string) => Number(date.slice(0, 4) + date.slice(5, 7));

function chunks<T>(list: T[], size = CHUNK): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
	return out;
}

/**
 * The numbers of these ids in a numbering table, given out on first sight. Most writes meet
 * ids already numbered: those cost one read, and only the new ones an insert.
 */
async function numbersOf(
	db: Db,
	table: 'fact_learners' | 'fact_places',
	column: 'learner_id' | 'location_id',
	ids: string[]
): Promise<Map<string, number>> {
	const numbers = new Map<string, number>();
	const read = async (wanted: string[]) => {
		const { rows } = await sql<{ no: number; id: string }>`
			select no, ${sql.ref(column)} as id from ${sql.table(table)}
			where ${sql.ref(column)} in (${sql.join(wanted)})`.execute(db);
		for (const row of rows) numbers.set(row.id, Number(row.no));
	};
	for (const part of chunks([...new Set(ids)])) {
		await read(part);
		const fresh = part.filter((id) => !numbers.has(id));
		if (fresh.length === 0) continue;
		await sql`insert into ${sql.table(table)} (${sql.ref(column)})
			values ${sql.join(fresh.map((id) => sql`(${id})`))}
			on conflict (${sql.ref(column)}) do nothing`.execute(db);
		await read(fresh);
	}
	return numbers;
}

const learnerNumbers = (db: Db, ids: string[]) => numbersOf(db, 'fact_learners', 'learner_id', ids);

const placeNumbers = (db: Db, ids: string[]) => numbersOf(db, 'fact_places', 'location_id', ids);

/** The numbers of these lessons of courses, given out on first sight ("course|lesson" keys). */
async function lessonNumbers(
	db: Db,
	lessons: { courseId: string; lessonId: string }[]
): Promise<Map<string, number>> {
	const key = (courseId: string, lessonId: string) => `${courseId}|${lessonId}`;
	const wanted = [...new Map(lessons.map((l) => [key(l.courseId, l.lessonId), l])).values()];
	const numbers = new Map<string, number>();
	for (const part of chunks(wanted)) {
		await db
			.insertInto('fact_lessons')
			.values(part.map((l) => ({ course_id: l.courseId, lesson_id: l.lessonId })))
			.onConflict((oc) => oc.columns(['course_id', 'lesson_id']).doNothing())
			.execute();
		const rows = await db
			.selectFrom('fact_lessons')
			.select(['no', 'course_id', 'lesson_id'])
			.where('course_id', 'in', [...new Set(part.map((l) => l.courseId))])
			.execute();
		for (const row of rows) numbers.set(key(row.course_id, row.lesson_id), row.no);
	}
	return numbers;
}

/**
 * After a session or attendance write: the facts of that session (or of some of its learners)
 * again, the cells of its place in the months before and after the write, and the first
 * attendances of everyone whose facts changed. A session's place never changes.
 */
export async function refreshSessionFacts(
	db: Db,
	sessionId: string,
	learnerIds: string[] | null = null,
	previousDate: string | null = null
): Promise<void> {
	const session = await db
		.selectFrom('training_sessions')
		.select(['location_id', 'date', 'status', 'course_ids'])
		.where('id', '=', sessionId)
		.executeTakeFirst();
	if (!session) return;

	const before = await db
		.selectFrom('attendance_facts')
		.select(['learner_no', 'month'])
		.where('session_id', '=', sessionId)
		.$if(learnerIds !== null, (q) => q.where('learner_id', 'in', learnerIds!))
		.execute();
	await db
		.deleteFrom('attendance_facts')
		.where('session_id', '=', sessionId)
		.$if(learnerIds !== null, (q) => q.where('learner_id', 'in', learnerIds!))
		.execute();
	const came =
		session.status === 'cancelled'
			? []
			: await db
					.selectFrom('attendance')
					.select('learner_id')
					.where('session_id', '=', sessionId)
					.where('status', 'in', ATTENDED)
					.$if(learnerIds !== null, (q) => q.where('learner_id', 'in', learnerIds!))
					.execute();
	const learners = await learnerNumbers(
		db,
		came.map((row) => row.learner_id)
	);
	const place = (await placeNumbers(db, [session.location_id])).get(session.location_id)!;
	const facts = came.map((row) => ({
		session_id: sessionId,
		learner_id: row.learner_id,
		learner_no: learners.get(row.learner_id)!,
		location_no: place,
		date: session.date,
		month: monthNumber(session.date)
	}));
	for (const part of chunks(facts)) await db.insertInto('attendance_facts').values(part).execute();

	if (learnerIds === null) {
		const months = [session.date, previousDate ?? session.date].map((d) => d.slice(0, 7));
		await recountSessionMonths(db, session.location_id, [...new Set(months)]);
		await db.deleteFrom('session_courses').where('session_id', '=', sessionId).execute();
		const courses = coursesOf(session.course_ids);
		if (courses.length > 0) {
			await db
				.insertInto('session_courses')
				.values(courses.map((course_id) => ({ session_id: sessionId, course_id })))
				.execute();
		}
	}

	const touched = [...new Set([...before, ...facts].map((f) => f.learner_no))];
	if (touched.length === 0) return;
	await rebuildVisitCells(
		db,
		place,
		[...before, ...facts].map((f) => f.month)
	);
	await recountFirstAttendance(db, touched);
}

/** What the sessions of a place add up to in these months (`YYYY-MM`), again from the records. */
async function recountSessionMonths(db: Db, locationId: string, months: string[]): Promise<void> {
	const place = (await placeNumbers(db, [locationId])).get(locationId)!;
	const numbers = months.map(monthNumber);
	await db
		.deleteFrom('session_months')
		.where('location_no', '=', place)
		.where('month', 'in', numbers)
		.execute();
	await db
		.deleteFrom('volunteer_months')
		.where('location_no', '=', place)
		.where('month', 'in', numbers)
		.execute();
	const sessions = await db
		.selectFrom('training_sessions')
		.select(['date', 'start_time', 'end_time', 'course_ids', 'volunteer_ids'])
		.where('location_id', '=', locationId)
		.where('status', '!=', 'cancelled')
		.where(sql<string>`substr(date, 1, 7)`, 'in', months)
		.execute();
	await insertSessionSums(db, place, sessions);
}

async function insertSessionSums(
	db: Db,
	place: number,
	sessions: {
		date: string;
		start_time: string;
		end_time: string;
		course_ids: string;
		volunteer_ids: string;
	}[]
): Promise<void> {
	const sums = sumSessions(
		sessions.map((s) => ({
			date: s.date,
			start: s.start_time,
			end: s.end_time,
			courseIds: s.course_ids,
			volunteerIds: s.volunteer_ids
		}))
	);
	const rows = sums.map((sum) => ({
		month: monthNumber(sum.month),
		location_no: place,
		course_id: sum.courseId,
		sessions: sum.sessions,
		minutes: sum.minutes,
		volunteer_minutes: sum.volunteerMinutes
	}));
	for (const part of chunks(rows)) await db.insertInto('session_months').values(part).execute();
	const people = sums.flatMap((sum) =>
		sum.volunteers.map((staff_id) => ({
			month: monthNumber(sum.month),
			location_no: place,
			course_id: sum.courseId,
			staff_id
		}))
	);
	for (const part of chunks(people)) await db.insertInto('volunteer_months').values(part).execute();
}

/** The first attendance of these learners again, and the cells of the months it left or moved to. */
async function recountFirstAttendance(db: Db, learnerNos: number[]): Promise<void> {
	const months = new Set<number>();
	const monthsOf = async (learners: number[]) => {
		const rows = await db
			.selectFrom('first_attendance')
			.select('month')
			.distinct()
			.where('learner_no', 'in', learners)
			.execute();
		for (const row of rows) months.add(Number(row.month));
	};
	for (const learners of chunks(learnerNos)) {
		await monthsOf(learners);
		await db.deleteFrom('first_attendance').where('learner_no', 'in', learners).execute();
		await db
			.insertInto('first_attendance')
			.columns(['learner_no', 'date', 'month'])
			.expression(
				db
					.selectFrom('attendance_facts as f')
					.where('f.learner_no', 'in', learners)
					.groupBy('f.learner_no')
					.select((eb) => [
						'f.learner_no',
						eb.fn.min('f.date').as('date'),
						eb.fn.min('f.month').as('month')
					])
			)
			.execute();
		await monthsOf(learners);
	}
	await rebuildFirstCells(db, [...months]);
}

export interface CompletedLesson {
	id: string;
	learnerId: string;
	courseId: string;
	lessonId: string;
	hlc: string;
}

/**
 * Newly stored lesson-completed events of one device: their facts, and each lesson's first
 * completion moved earlier where an event from offline days arrives late.
 */
export async function recordLessonCompletions(
	db: Db,
	deviceId: string,
	events: CompletedLesson[]
): Promise<void> {
	if (events.length === 0) return;
	const device = await db
		.selectFrom('devices')
		.select('location_id')
		.where('id', '=', deviceId)
		.executeTakeFirst();
	const homes = new Map<string, string | null>();
	if (!device?.location_id) {
		for (const part of chunks([...new Set(events.map((e) => e.learnerId))])) {
			const rows = await db
				.selectFrom('learners')
				.select(['id', 'home_location_id'])
				.where('id', 'in', part)
				.execute();
			for (const row of rows) homes.set(row.id, row.home_location_id);
		}
	}
	await insertCompletions(
		db,
		events.map((e) => ({ ...e, locationId: device?.location_id ?? homes.get(e.learnerId) ?? null }))
	);
}

/** With `cells: false` the caller makes the lesson cells itself (a rebuild, once at the end). */
async function insertCompletions(
	db: Db,
	events: (CompletedLesson & { locationId: string | null })[],
	cells = true
): Promise<void> {
	const learners = await learnerNumbers(
		db,
		events.map((e) => e.learnerId)
	);
	const places = await placeNumbers(
		db,
		events.flatMap((e) => (e.locationId ? [e.locationId] : []))
	);
	const lessons = await lessonNumbers(db, events);
	const numbered = events.map((e) => ({
		...e,
		learnerNo: learners.get(e.learnerId)!,
		lessonNo: lessons.get(`${e.courseId}|${e.lessonId}`)!,
		placeNo: e.locationId ? places.get(e.locationId)! : null
	}));
	for (const part of chunks(numbered)) {
		await db
			.insertInto('lesson_completions')
			.values(
				part.map((e) => ({
					event_id: e.id,
					learner_no: e.learnerNo,
					lesson_no: e.lessonNo,
					course_id: e.courseId,
					day: dayOfStamp(e.hlc),
					location_no: e.placeNo
				}))
			)
			.onConflict((oc) => oc.column('event_id').doNothing())
			.execute();
	}
	if (cells) {
		await rebuildLessonCells(
			db,
			numbered.flatMap((e) =>
				e.placeNo === null ? [] : [{ month: monthNumber(dayOfStamp(e.hlc)), place: e.placeNo }]
			)
		);
	}
	// The earliest of this batch per lesson, then kept only where it is earlier than what is known.
	const firsts = new Map<string, (typeof numbered)[number]>();
	for (const e of numbered) {
		const key = `${e.learnerNo}|${e.courseId}|${e.lessonId}`;
		const known = firsts.get(key);
		if (!known || e.hlc < known.hlc) firsts.set(key, e);
	}
	for (const part of chunks([...firsts.values()])) {
		await db
			.insertInto('lesson_firsts')
			.values(
				part.map((e) => ({
					learner_no: e.learnerNo,
					course_id: e.courseId,
					lesson_id: e.lessonId,
					first_hlc: e.hlc,
					location_no: e.placeNo
				}))
			)
			.onConflict((oc) =>
				oc
					.columns(['learner_no', 'course_id', 'lesson_id'])
					.doUpdateSet((eb) => ({
						first_hlc: eb.ref('excluded.first_hlc'),
						location_no: eb.ref('excluded.location_no')
					}))
					.where((eb) => eb('lesson_firsts.first_hlc', '>', eb.ref('excluded.first_hlc')))
			)
			.execute();
	}
}

/** The facts made from the records (the numbering tables stay: numbers never change). */
export const FACT_TABLES = [
	'attendance_facts',
	'first_attendance',
	'session_courses',
	'visit_cells',
	'first_cells',
	'lesson_completions',
	'lesson_cells',
	'lesson_firsts',
	'session_months',
	'volunteer_months'
] as const satisfies readonly (keyof Database)[];

/** Every fact again from the records: after the migration that added them, and for tests. */
export async function rebuildReportFacts(db: Db): Promise<void> {
	for (const table of FACT_TABLES) await db.deleteFrom(table).execute();
	const sessions = await db
		.selectFrom('training_sessions')
		.select([
			'id',
			'course_ids',
			'location_id',
			'status',
			'date',
			'start_time',
			'end_time',
			'volunteer_ids'
		])
		.execute();
	const courses = sessions.flatMap((s) =>
		coursesOf(s.course_ids).map((course_id) => ({ session_id: s.id, course_id }))
	);
	for (const part of chunks(courses)) await db.insertInto('session_courses').values(part).execute();
	const placeNos = await placeNumbers(
		db,
		sessions.map((s) => s.location_id)
	);
	for (const [locationId, place] of placeNos) {
		await insertSessionSums(
			db,
			place,
			sessions.filter((s) => s.location_id === locationId && s.status !== 'cancelled')
		);
	}
	const attendees = await db
		.selectFrom('attendance')
		.select('learner_id')
		.distinct()
		.where('status', 'in', ATTENDED)
		.execute();
	await learnerNumbers(
		db,
		attendees.map((a) => a.learner_id)
	);
	await db
		.insertInto('attendance_facts')
		.columns(['session_id', 'learner_id', 'learner_no', 'location_no', 'date', 'month'])
		.expression(
			db
				.selectFrom('attendance as a')
				.innerJoin('training_sessions as s', 's.id', 'a.session_id')
				.innerJoin('fact_learners as fl', 'fl.learner_id', 'a.learner_id')
				.innerJoin('fact_places as fp', 'fp.location_id', 's.location_id')
				.where('a.status', 'in', ATTENDED)
				.where('s.status', '!=', 'cancelled')
				.select([
					'a.session_id',
					'a.learner_id',
					'fl.no as learner_no',
					'fp.no as location_no',
					's.date',
					sql<number>`cast(substr(s.date, 1, 4) || substr(s.date, 6, 2) as integer)`.as('month')
				])
		)
		.execute();
	await db
		.insertInto('first_attendance')
		.columns(['learner_no', 'date', 'month'])
		.expression(
			db
				.selectFrom('attendance_facts as f')
				.groupBy('f.learner_no')
				.select((eb) => [
					'f.learner_no',
					eb.fn.min('f.date').as('date'),
					eb.fn.min('f.month').as('month')
				])
		)
		.execute();

	// Lesson completions in pages by id, so a large city never holds them all at once.
	let after = '';
	for (;;) {
		const page = await db
			.selectFrom('progress_events as pe')
			.leftJoin('devices as d', 'd.id', 'pe.device_id')
			.leftJoin('learners as l', 'l.id', 'pe.learner_id')
			.where('pe.type', '=', 'lesson-completed')
			.where('pe.id', '>', after)
			.orderBy('pe.id')
			.limit(5000)
			.select([
				'pe.id',
				'pe.learner_id',
				'pe.course_id',
				'pe.lesson_id',
				'pe.hlc',
				sql<string | null>`coalesce(d.location_id, l.home_location_id)`.as('location_id')
			])
			.execute();
		if (page.length === 0) break;
		await insertCompletions(
			db,
			page.map((e) => ({
				id: e.id,
				learnerId: e.learner_id,
				courseId: e.course_id,
				lessonId: e.lesson_id,
				hlc: e.hlc,
				locationId: e.location_id
			})),
			false
		);
		after = page[page.length - 1]!.id;
	}
	await rebuildCells(db);
}
