/** Finding a learner in the office, for a request to see or erase their data. */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

export interface LearnerHit {
	id: string;
	name: string;
	place: string | null;
	createdAt: string;
	lastSession: string | null;
}

export async function findLearners(db: Kysely<Database>, query: string): Promise<LearnerHit[]> {
	// Matched here, not in SQL: SQLite's lower() knows no umlauts ("Özlem", "ÄRMEL").
	const needle = query.trim().toLocaleLowerCase('de');
	const names = await db
		.selectFrom('learners')
		.select(['id', 'name'])
		.where('erased_at', 'is', null)
		.execute();
	const ids = names
		.filter((l) => l.name.toLocaleLowerCase('de').includes(needle))
		.sort((a, b) => a.name.localeCompare(b.name, 'de'))
		.slice(0, 50)
		.map((l) => l.id);
	if (ids.length === 0) return [];
	const rows = await db
		.selectFrom('learners as l')
		.leftJoin('locations as p', 'p.id', 'l.home_location_id')
		.select((eb) => [
			'l.id',
			'l.name',
			'p.name as place',
			'l.created_at',
			eb
				.selectFrom('attendance as a')
				.innerJoin('training_sessions as s', 's.id', 'a.session_id')
				.select((e) => e.fn.max('s.date').as('last'))
				.whereRef('a.learner_id', '=', 'l.id')
				.as('last_session')
		])
		.where('l.id', 'in', ids)
		.execute();
	rows.sort((a, b) => a.name.localeCompare(b.name, 'de'));
	return rows.map((r) => ({
		id: r.id,
		name: r.name,
		place: r.place,
		createdAt: r.created_at,
		lastSession: (r.last_session as string | null) ?? null
	}));
}
