import { loadReport } from '$lib/server/reports/load';
import { courseCatalogue } from '$lib/server/content/catalogue';
import type { PageServerLoad } from './$types';

export const load = (async (event) => {
	const { parsed, report, places } = await loadReport(event);
	return {
		problem: parsed.problem,
		period: parsed.filter?.period ?? null,
		places: places.map((p) => ({ id: p.id, name: p.name })),
		courses: courseCatalogue().map((c) => ({ id: c.id, titles: c.titles })),
		report
	};
}) satisfies PageServerLoad;
