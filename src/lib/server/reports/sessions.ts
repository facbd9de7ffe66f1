/**
 * The sessions behind a report's figure, and one session's attendance list: the proof a
 * funding body asks for (who came, when, with whom). The list names people, so reading it is
 * written into the audit log; the figures around it stay small-cell safe.
 */
import type { Kysely } from 'kysely';
import { people, type PeopleCount } from '../../domain/reports/suppression';
import { sessionHours } from '../../domain/sessions/session-rules';
import type { Database } from '../db/schema';
import type { ReportFilter } from './figures';

export interface HeldSession {
	id: string;
	date: string;
	start: string;
	end: string;
	locationId: string;
	title: string;
	courseIds: string[];
	hours: number;
	volunteers: string[];
	attended: PeopleCount;
}

export async function heldSessionList(
	db: Kysely<Database>,
	filter: ReportFilter,
	narrow: { month?: string }
): Promise<HeldSession[]> {
	const until = filter.period.to < filter.today ? filter.period.to : filter.today;
	const rows = await db
		.selectFrom('training_sessions as s')
		.leftJoin('attendance as a', (join) =>
			join.onRef('a.session_id', '=', 's.id').on('a.status', 'in', ['present', 'late'])
		)
		.where('s.location_id', 'in', filter.locationIds.length ? filter.locationIds : [''])
		.where('s.date', '>=', filter.period.from)
		.where('s.date', '<=', until)
		.where('s.status', '!=', 'cancelled')
		.$if(!!narrow.month, (q) => q.where('s.date', 'like', `${narrow.month}-%`))
		.groupBy([
			's.id',
			's.date',
			's.start_time',
			's.end_time',
			's.location_id',
			's.title',
			's.course_ids',
			's.volunteer_ids'
		])
		.select((eb) => [
			's.id',
			's.date',
			's.start_time',
			's.end_time',
			's.location_id',
			's.title',
			's.course_ids',
			's.volunteer_ids',
			eb.fn.count<number>('a.learner_id').as('attended')
		])
		.orderBy('s.date')
		.orderBy('s.start_time')
		.execute();
	const staff = await staffNames(db);
	return rows
		.filter((r) => !filter.courseId || r.course_ids.split(',').includes(filter.courseId))
		.map((r) => ({
			id: r.id,
			date: r.date,
			start: r.start_time,
			end: r.end_time,
			locationId: r.location_id,
			title: r.title,
			courseIds: r.course_ids.split(',').filter(Boolean),
			hours: sessionHours(r.start_time, r.end_time),
			volunteers: r.volunteer_ids
				.split(',')
				.filter(Boolean)
				.map((id) => staff.get(id) ?? '–'),
			attended: people(Number(r.attended))
		}));
}

async function staffNames(db: Kysely<Database>): Promise<Map<string, string>> {
	const rows = await db.selectFrom('staff').select(['id', 'display_name']).execute();
	return new Map(rows.map((r) => [r.id, r.display_name]));
}

export interface AttendanceList {
	session: Omit<HeldSession, 'attended'> & { status: string };
	learners: { name: string; status: string; roster: string }[];
}

export async function attendanceList(
	db: Kysely<Database>,
	sessionId: string
): Promise<AttendanceList | null> {
	const s = await db
		.selectFrom('training_sessions')
		.selectAll()
		.where('id', '=', sessionId)
		.executeTakeFirst();
	if (!s) return null;
	const staff = await staffNames(db);
	const learners = await db
		.selectFrom('attendance as a')
		.innerJoin('learners as l', 'l.id', 'a.learner_id')
		.where('a.session_id', '=', sessionId)
		.where((eb) =>
			eb.or([eb('a.roster', 'in', ['signed-up', 'walk-in']), eb('a.status', '!=', '')])
		)
		.select(['l.name', 'a.status', 'a.roster'])
		.orderBy('l.name')
		.execute();
	const closed = s.status === 'closed';
	return {
		session: {
			id: s.id,
			date: s.date,
			start: s.start_time,
			end: s.end_time,
			locationId: s.location_id,
			title: s.title,
			courseIds: s.course_ids.split(',').filter(Boolean),
			hours: sessionHours(s.start_time, s.end_time),
			volunteers: s.volunteer_ids
				.split(',')
				.filter(Boolean)
				.map((id) => staff.get(id) ?? '–'),
			status: s.status
		},
		// Unmarked learners of a closed session count as absent (docs/sync-protocol.md).
		learners: learners.map((l) => ({
			name: l.name,
			status: l.status || (closed ? 'absent' : ''),
			roster: l.roster
		}))
	};
}
