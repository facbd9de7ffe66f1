/**
 * What the held sessions of a report add up to, in total, per place, month and course: whole
 * months from `session_months` and `volunteer_months` (facts.ts), summed by the database per
 * group; the broken months at the period's ends from the sessions themselves, summed the same
 * way (`domain/reports/session-sums.ts`). Each row adds to one group of the report.
 */
import { sql, type Kysely } from 'kysely';
import { splitByMonths, type Period } from '../../domain/reports/period';
import { sumSessions } from '../../domain/reports/session-sums';
import type { Database } from '../db/schema';
import { atPlaces, monthKey, type Grouping, type Places } from './counts';
import { monthNumber } from './facts';
import type { ReportFilter } from './figures';

export interface SessionRow {
	grouping: Grouping;
	/** "total", a place id, "YYYY-MM" or a course id. */
	key: string;
	sessions: number;
	minutes: number;
	volunteerMinutes: number;
	/** Who ran them, where the same person may also be in another row of the group. */
	volunteers: string[];
	/**
	 * Distinct volunteers counted by the database: a whole month's row, which no other row of
	 * its group meets (a broken month is never a whole one).
	 */
	volunteerCount: number;
}

export async function sessionFigures(
	db: Kysely<Database>,
	filter: ReportFilter,
	places: Places,
	held: Period
): Promise<SessionRow[]> {
	const split = splitByMonths(held);
	const [months, days] = await Promise.all([
		split.months ? wholeMonths(db, filter, places, split.months) : [],
		split.days.length ? brokenMonths(db, filter, split.days) : []
	]);
	return [...months, ...days];
}

async function wholeMonths(
	db: Kysely<Database>,
	filter: ReportFilter,
	places: Places,
	months: { first: string; last: string }
): Promise<SessionRow[]> {
	const inRange = sql`month >= ${monthNumber(months.first)} and month <= ${monthNumber(months.last)}${atPlaces(places, 'location_no')}`;
	// Rows of all sessions ('') count for the total, places and months, course rows for the
	// courses; with a course filter that course's rows count everywhere.
	const all = filter.courseId === null ? sql`course_id = ''` : sql`course_id = ${filter.courseId}`;
	const courses =
		filter.courseId === null ? sql`course_id <> ''` : sql`course_id = ${filter.courseId}`;
	const sums = sql`sum(sessions) as sessions, sum(minutes) as minutes, sum(volunteer_minutes) as volunteer_minutes`;
	const [totals, people, perMonth] = await Promise.all([
		sql<{
			kind: Grouping;
			g: string | number;
			sessions: number | string;
			minutes: number | string;
			volunteer_minutes: number | string;
		}>`
			select 'total' as kind, '' as g, ${sums} from session_months
				where ${inRange} and ${all} having count(*) > 0
			union all
			select 'location', cast(location_no as text), ${sums} from session_months
				where ${inRange} and ${all} group by location_no
			union all
			select 'month', cast(month as text), ${sums} from session_months
				where ${inRange} and ${all} group by month
			union all
			select 'course', course_id, ${sums} from session_months
				where ${inRange} and ${courses} group by course_id`.execute(db),
		sql<{ kind: Grouping; g: string | number; staff_id: string }>`
			select 'total' as kind, '' as g, staff_id from volunteer_months
				where ${inRange} and ${all} group by staff_id
			union all
			select 'location', cast(location_no as text), staff_id from volunteer_months
				where ${inRange} and ${all} group by location_no, staff_id
			union all
			select 'course', course_id, staff_id from volunteer_months
				where ${inRange} and ${courses} group by course_id, staff_id`.execute(db),
		// A month's volunteers as a count: listing them was most of the rows of a long report.
		sql<{ g: number; n: number | string }>`
			select month as g, count(distinct staff_id) as n from volunteer_months
				where ${inRange} and ${all} group by month`.execute(db)
	]);
	const keyOf = (kind: Grouping, g: string | number) =>
		kind === 'location'
			? (places.idOf.get(Number(g)) ?? '')
			: kind === 'month'
				? monthKey(g)
				: kind === 'total'
					? 'total'
					: String(g);
	const rows = new Map<string, SessionRow>();
	const rowOf = (kind: Grouping, g: string | number) => {
		const key = keyOf(kind, g);
		const id = `${kind}|${key}`;
		let row = rows.get(id);
		if (!row) {
			row = {
				grouping: kind,
				key,
				sessions: 0,
				minutes: 0,
				volunteerMinutes: 0,
				volunteers: [],
				volunteerCount: 0
			};
			rows.set(id, row);
		}
		return row;
	};
	for (const t of totals.rows) {
		const row = rowOf(t.kind, t.g);
		row.sessions += Number(t.sessions);
		row.minutes += Number(t.minutes);
		row.volunteerMinutes += Number(t.volunteer_minutes);
	}
	for (const p of people.rows) rowOf(p.kind, p.g).volunteers.push(p.staff_id);
	for (const m of perMonth.rows) rowOf('month', m.g).volunteerCount = Number(m.n);
	return [...rows.values()];
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
			.flatMap((sum) => {
				// As for whole months: all sessions count for the total, the place and the month,
				// a course's for the course; with a course filter its rows count everywhere.
				const everywhere = filter.courseId === null ? sum.courseId === '' : true;
				const groups: [Grouping, string][] = everywhere
					? [
							['total', 'total'],
							['location', locationId],
							['month', sum.month]
						]
					: [];
				if (sum.courseId !== '') groups.push(['course', sum.courseId]);
				return groups.map(([grouping, key]) => ({
					grouping,
					key,
					sessions: sum.sessions,
					minutes: sum.minutes,
					volunteerMinutes: sum.volunteerMinutes,
					volunteers: sum.volunteers,
					volunteerCount: 0
				}));
			})
	);
}
