/**
 * Everything a report page or file needs, from the request: the signed-in person (who must
 * be allowed to read reports), the places they may see, the filter and the figures, and the
 * names of places, courses and months in the asked-for language.
 */
import type { RequestEvent } from '@sveltejs/kit';
import { locationFilter, requireStaff } from '../auth/guard';
import { listLocations } from '../auth/locations';
import { courseCatalogue, courseTitle } from '../content/catalogue';
import { office } from '../office';
import { refreshCatalogue } from '../courses/releases';
import type { LanguageCode } from '../../i18n/languages';
import { buildReport } from './figures';
import { parseFilter } from './filter';
import { languageOf } from './words';

export async function loadReport(event: Pick<RequestEvent, 'locals' | 'url'>) {
	const staff = requireStaff(event, 'reports.read');
	const db = await office();
	await refreshCatalogue(db);
	const scope = locationFilter(staff);
	const places = (await listLocations(db)).filter((l) => scope === null || scope.includes(l.id));
	const parsed = parseFilter(event.url.searchParams, staff, places);
	const report = parsed.filter ? await buildReport(db.reader, parsed.filter) : null;
	const lang = languageOf(event.url.searchParams.get('lang'));
	return { staff, db, places, parsed, report, lang, names: namer(lang, places) };
}

export function namer(lang: LanguageCode, places: { id: string; name: string }[]) {
	const courses = courseCatalogue();
	return {
		place: (id: string) => places.find((p) => p.id === id)?.name ?? id,
		course: (id: string) => {
			const course = courses.find((c) => c.id === id);
			return course ? courseTitle(course, lang) : id;
		},
		month: (month: string) => {
			const [y, m] = month.split('-').map(Number) as [number, number];
			return new Intl.DateTimeFormat(lang, { month: 'long', year: 'numeric' }).format(
				new Date(y, m - 1, 1)
			);
		}
	};
}
