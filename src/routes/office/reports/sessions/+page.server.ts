import { loadReport } from '$lib/server/reports/load';
import { filterQuery } from '$lib/server/reports/filter';
import { heldSessionList } from '$lib/server/reports/sessions';
import type { PageServerLoad } from './$types';

export const load = (async (event) => {
	const { db, parsed, places } = await loadReport(event);
	const month = /^\d{4}-\d{2}$/.exec(event.url.searchParams.get('month') ?? '')?.[0];
	const sessions = parsed.filter ? await heldSessionList(db.reader, parsed.filter, { month }) : [];
	return {
		problem: parsed.problem,
		period: parsed.filter?.period ?? null,
		month: month ?? null,
		query: filterQuery(parsed.form),
		places: places.map((p) => ({ id: p.id, name: p.name })),
		sessions
	};
}) satisfies PageServerLoad;
