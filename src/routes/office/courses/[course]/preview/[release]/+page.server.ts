import { error } from '@sveltejs/kit';
import { requireStaff } from '$lib/server/auth/guard';
import { cityDressing } from '$lib/server/courses/city';
import { courseFile, releaseEntry } from '$lib/server/courses/releases';
import { office } from '$lib/server/office';
import { dressWithCity } from '$lib/domain/city';
import type { CoursePack } from '$lib/domain/course/schema';
import type { PageServerLoad } from './$types';

/** A release as a learner will see it, dressed as this city's practice pages; nothing is kept. */
export const load = (async (event) => {
	requireStaff(event, 'courses.manage');
	const db = await office();
	const entry = await releaseEntry(db, event.params.release);
	if (!entry || entry.id !== event.params.course) error(404, 'not found');
	const wanted = event.url.searchParams.get('lang') ?? 'de';
	const language = entry.languages.find((l) => l.lang === wanted) ?? entry.languages[0]!;
	const file = await courseFile(db, language.url);
	if (!file) error(404, 'not found');
	const city = await cityDressing(db);
	const pack = dressWithCity(JSON.parse(file.data.toString('utf8')) as CoursePack, city);
	return {
		pack,
		city,
		languages: entry.languages.map((l) => l.lang),
		lang: language.lang,
		release: event.params.release
	};
}) satisfies PageServerLoad;
