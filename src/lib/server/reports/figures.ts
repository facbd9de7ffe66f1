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
 *
 * The counts come from the report facts (`facts.ts`), aggregated by the database: whole months
 * from the month tables, the broken months at a period's ends day by day.
 */
import type { Kysely } from 'kysely';
import { people } from '../../domain/reports/suppression';
import type { AttributeCounts, FigureRow, Report } from '../../domain/reports/report';
import { monthsOf, type Period } from '../../domain/reports/period';
import type { Database } from '../db/schema';
import { courseCatalogue } from '../content/catalogue';
import {
	attributeRows,
	courseCompletions,
	lessonCounts,
	placesOf,
	visitCounts,
	type AttributeRow,
	type Grouping,
	type Places,
	type VisitGroupCount
} from './counts';
import { sessionFigures } from './session-figures';
import { dayOfStamp } from './stamps';

export interface ReportFilter {
	period: Period;
	/** The places to report on (already limited to the coordinator's scope). */
	locationIds: string[];
	courseId: string | null;
	/** Sessions after this date have not been held yet. */
	today: string;
}

/** What the held sessions of one row add up to. */
class SessionTally {
	sessions = 0;
	hours = 0;
	volunteers = new Set<string>();
	/** Volunteers the database counted, who are in no other row of the group (session-figures.ts). */
	countedVolunteers = 0;
	volunteerHours = 0;
}

const round = (n: number) => Math.round(n * 100) / 100;
const GROUPINGS: Grouping[] = ['total', 'location', 'month', 'course'];

/** The days of the period on which sessions have been held: none when it lies in the future. */
function heldPeriod(filter: ReportFilter): Period | null {
	const to = filter.period.to < filter.today ? filter.period.to : filter.today;
	return to >= filter.period.from ? { from: filter.period.from, to } : null;
}

export async function buildReport(db: Kysely<Database>, filter: ReportFilter): Promise<Report> {
	const { period } = filter;
	const held = heldPeriod(filter);
	const places = await placesOf(db, filter);
	const [sessions, visitFigures, lessonsBy, courses] = await Promise.all([
		held ? sessionFigures(db, filter, places, held) : [],
		held ? visitsWithAttributes(db, filter, places, held) : null,
		lessonCounts(db, filter, places),
		courseCompletions(db, filter, places)
	]);
	const visits = GROUPINGS.map((g) => visitFigures?.groups[g] ?? []);
	const lessons = GROUPINGS.map((g) => lessonsBy[g]);
	const attributes = visitFigures?.attributes ?? [];

	const tallies = new Map<Grouping, Map<string, SessionTally>>(
		GROUPINGS.map((g) => [g, new Map<string, SessionTally>()])
	);
	const tallyOf = (grouping: Grouping, key: string) => {
		const map = tallies.get(grouping)!;
		let tally = map.get(key);
		if (!tally) map.set(key, (tally = new SessionTally()));
		return tally;
	};
	for (const row of sessions) {
		const tally = tallyOf(row.grouping, row.key);
		tally.sessions += row.sessions;
		tally.hours += row.minutes / 60;
		tally.volunteerHours += row.volunteerMinutes / 60;
		for (const v of row.volunteers) tally.volunteers.add(v);
		tally.countedVolunteers += row.volunteerCount;
	}

	const completed = new Map<Grouping, Map<string, number>>(
		GROUPINGS.map((g) => [g, new Map<string, number>()])
	);
	for (const done of courses) {
		const keys: [Grouping, string][] = [
			['total', 'total'],
			['location', done.locationId],
			['month', dayOfStamp(done.hlc).slice(0, 7)],
			['course', done.courseId]
		];
		for (const [grouping, key] of keys) {
			const map = completed.get(grouping)!;
			map.set(key, (map.get(key) ?? 0) + 1);
		}
	}

	const rowsOf = (grouping: Grouping, keys: Iterable<string>): FigureRow[] => {
		const index = GROUPINGS.indexOf(grouping);
		const visitBy = new Map(visits[index]!.map((v) => [v.key, v]));
		return [...new Set(keys)].map((key) =>
			figureRow(
				key,
				tallies.get(grouping)!.get(key),
				visitBy.get(key),
				lessons[index]!.get(key) ?? 0,
				completed.get(grouping)!.get(key) ?? 0
			)
		);
	};
	const seen = (grouping: Grouping) => {
		const index = GROUPINGS.indexOf(grouping);
		return [
			...tallies.get(grouping)!.keys(),
			...visits[index]!.map((v) => v.key),
			...lessons[index]!.keys(),
			...completed.get(grouping)!.keys()
		];
	};
	const catalogue = courseCatalogue().map((c) => c.id);
	const visitTotal = visits[0]![0];
	return {
		total: rowsOf('total', ['total'])[0]!,
		byLocation: rowsOf('location', filter.locationIds),
		byCourse: rowsOf('course', seen('course')).sort(
			(a, b) => indexIn(catalogue, a.key) - indexIn(catalogue, b.key) || a.key.localeCompare(b.key)
		),
		byMonth: rowsOf('month', monthsOf(period)),
		attributes: countAttributes(visitTotal?.learners ?? 0, attributes)
	};
}

/** The visit counts, then the attributes of the learners they found. */
async function visitsWithAttributes(
	db: Kysely<Database>,
	filter: ReportFilter,
	places: Places,
	held: Period
) {
	const figures = await visitCounts(db, filter, places, held);
	return { ...figures, attributes: await attributeRows(db, figures.learners) };
}

function figureRow(
	key: string,
	sessions: SessionTally | undefined,
	visits: VisitGroupCount | undefined,
	lessons: number,
	courses: number
): FigureRow {
	return {
		key,
		sessions: sessions?.sessions ?? 0,
		hours: round(sessions?.hours ?? 0),
		volunteers: (sessions?.volunteers.size ?? 0) + (sessions?.countedVolunteers ?? 0),
		volunteerHours: round(sessions?.volunteerHours ?? 0),
		attendances: people(visits?.attendances ?? 0),
		learners: people(visits?.learners ?? 0),
		newLearners: people(visits?.newLearners ?? 0),
		returningLearners: people(visits?.returningLearners ?? 0),
		lessonsCompleted: people(lessons),
		coursesCompleted: people(courses)
	};
}

const indexIn = (list: string[], key: string) => {
	const i = list.indexOf(key);
	return i === -1 ? list.length : i;
};

function countAttributes(learners: number, rows: AttributeRow[]): AttributeCounts {
	const consented = rows.filter((r) => r.consent === 'yes');
	const byKey = (pick: (r: AttributeRow) => string) => {
		const counts = new Map<string, number>();
		for (const r of consented) {
			const key = pick(r) || 'unknown';
			counts.set(key, (counts.get(key) ?? 0) + r.n);
		}
		return [...counts]
			.sort(([a], [b]) => a.localeCompare(b))
			.map(([key, n]) => ({ key, learners: people(n) }));
	};
	const withConsent = consented.reduce((n, r) => n + r.n, 0);
	return {
		ageGroup: byKey((r) => r.age_group),
		targetGroup: byKey((r) => r.target_group),
		language: byKey((r) => r.lang),
		withoutConsent: people(learners - withConsent)
	};
}
