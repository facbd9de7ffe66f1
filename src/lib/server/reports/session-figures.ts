/**
 * What the held sessions of a report add up to, per place, month and course: whole months from
 * `session_months` and `volunteer_months` (facts.ts), the broken months at the period's ends
 * from the sessions themselves, summed the same way (`domain/reports/session-sums.ts`).
 */
import { sql, type Kysely } from 'kysely';
import { splitByMonths, type Period } from '../../domain/reports/period';
import { sumSessions } from '../../domain/reports/session-sums';
import type { Database } from '../db/schema';
import { atPlaces, monthKey, type Grouping, type Places } from './counts';
import { monthNumber } from './facts';
import type { ReportFilter } from './figures';

export interface SessionRow {
	month: string;
	locationId: string;
	/** '' for all sessions, else one course. */
	courseId: string;
	sessions: number;
	minutes: number;
	volunteerMinutes: number;
	volunteers: string[];
}

/** A volunteer who ran sessions counted in a row of the report. */
export interface VolunteerOf {
	grouping: Grouping;
	key: string;
	staffId: string;
}

export interface SessionFigures {
	rows: SessionRow[];
	/** Of the whole months; the rows of the broken months carry their own. */
	volunteers: VolunteerOf[];
}

export async function sessionFigures(
	db: Kysely<Database>,
	filter: ReportFilter,
	places: Places,
	held: Period
): Promise<SessionFigures> {
	const split = splitByMonths(held);
	const [months, days] = await Promise.all([
		split.months ? wholeMonths(db, filter, places, split.months) : { rows: [], volunteers: [] },
		split.days.length ? brokenMonths(db, filter, split.days) : []
	]);
	return { rows: [...months.rows, ...days], volunteers: months.volunteers };
}

async function wholeMonths(
	db: Kysely<Database>,
	filter: ReportFilter,
	places: Places,
	months: { first: string; last: string }
): Promise<SessionFigures> {
	const inRange = sql`month >= ${monthNumber(months.first)} and month <= ${monthNumber(months.last)}${atPlaces(places, 'location_no')}`;
	// The volunteers of each row: only the pairs a row of the report needs, not every month's.
	const course =
		filter.courseId === null ? sql`course_id = ''` : sql`course_id = ${filter.courseId}`;
	const courseRows =
		filter.courseId === null ? sql`course_id <> ''` : sql`course_id = ${filter.courseId}`;
	const [sums, people] = await Promise.all([
		db
			.selectFrom('session_months')
			.selectAll()
			.where(sql<boolean>`${inRange}`)
			.$if(filter.courseId !== null, (q) => q.where('course_id', '=', filter.courseId!))
			.execute(),
		sql<{ kind: Grouping; g: string | number; staff_id: string }>`
			select 'total' as kind, '' as g, staff_id from volunteer_months
				where ${inRange} and ${course} group by staff_id
			union all
			select 'location', cast(location_no as text), staff_id from volunteer_months
				where ${inRange} and ${course} group by location_no, staff_id
			union all
			select 'month', cast(month as text), staff_id from volunteer_months
				where ${inRange} and ${course} group by month, staff_id
			union all
			select 'course', course_id, staff_id from volunteer_months
				where ${inRange} and ${courseRows} group by course_id, staff_id`
			.execute(db)
			.then((r) => r.rows)
	]);
	const rows: SessionRow[] = sums.map((r) => ({
		month: monthKey(r.month),
		locationId: places.idOf.get(r.location_no) ?? '',
		courseId: r.course_id,
		sessions: Number(r.sessions),
		minutes: Number(r.minutes),
		volunteerMinutes: Number(r.volunteer_minutes),
		volunteers: []
	}));
	const keyOf = (kind: Grouping, g: string | number) =>
		kind === 'location'
			? (places.idOf.get(Number(g)) ?? '')
			: kind === 'month'
				? monthKey(g)
				: kind === 'total'
					? 'total'
					: String(g);
	return {
		rows,
		volunteers: people.map((p) => ({
			grouping: p.kind,
			key: keyOf(p.kind, p.g),
			staffId: p.staff_id
		}))
	};
}

async function brokenMonths(
	db: Kysely<Database>,
	filter: ReportFilter,
	days: Period[]
): Promise<SessionRow[]> {
	const sessions = await db
		.selectFrom('training_sessions as s')
		.where('s.location_id', 'in', filter.locationIds.length ? filter.locationIds : [''])
		.where((eb) =>
			eb.or(days.map((d) => eb.and([eb('s.date', '>=', d.from), eb('s.date', '<=', d.to)])))
		)
		.where('s.status', '!=', 'cancelled')
		.$if(filter.courseId !== null, (q) =>
			q.where(sql<boolean>`exists (select 1 from session_courses c
				where c.session_id = s.id and c.course_id = ${filter.courseId})`)
		)
		.select([
			's.location_id',
			's.date',
			's.start_time',
			's.end_time',
			's.course_ids',
			's.volunteer_ids'
		])
		.execute();
	const byPlace = new Map<string, typeof sessions>();
	for (const s of sessions) {
		const list = byPlace.get(s.location_id) ?? [];
		list.push(s);
		byPlace.set(s.location_id, list);
	}
	return [...byPlace].flatMap(([locationId, list]) =>
		sumSessions(
			list.map((s) => ({
				date: s.date,
				start: s.start_time,
				end: s.end_time,
				courseIds: s.course_ids,
				volunteerIds: s.volunteer_ids
			}))
		)
			.filter((sum) => filter.courseId === null || sum.courseId === filter.courseId)
			.map((sum) => ({ ...sum, locationId }))
	);
}
