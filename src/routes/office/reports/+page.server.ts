import { requireStaff, locationFilter } from '$lib/server/auth/guard';
import { listLocations } from '$lib/server/auth/locations';
import { courseCatalogue } from '$lib/server/content/catalogue';
import { office } from '$lib/server/office';
import { refreshCatalogue } from '$lib/server/courses/releases';
import { buildReport } from '$lib/server/reports/figures';
import { filterQuery, parseFilter } from '$lib/server/reports/filter';
import type { PageServerLoad } from './$types';

export const load = (async (event) => {
	const staff = requireStaff(event, 'reports.read');
	const db = await office();
	await refreshCatalogue(db);
	const scope = locationFilter(staff);
	const places = (await listLocations(db)).filter((l) => scope === null || scope.includes(l.id));
	const parsed = parseFilter(event.url.searchParams, staff, places);
	const report = parsed.filter ? await buildReport(db.reader, parsed.filter) : null;
	return {
		form: parsed.form,
		problem: parsed.problem,
		period: parsed.filter?.period ?? null,
		query: filterQuery(parsed.form),
		places: places.map((p) => ({ id: p.id, name: p.name, archived: p.archived })),
		courses: courseCatalogue().map((c) => ({ id: c.id, titles: c.titles })),
		report
	};
}) satisfies PageServerLoad;
