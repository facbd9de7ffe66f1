import { error } from '@sveltejs/kit';
import { requireStaff } from '$lib/server/auth/guard';
import { cityDressing } from '$lib/server/courses/city';
import { courseFile, liveCourses, releaseEntry } from '$lib/server/courses/releases';
import { packsDir } from '$lib/server/content/catalogue';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { office } from '$lib/server/office';
import { dressWithCity } from '$lib/domain/city';
import type { CoursePack } from '$lib/domain/course/schema';
import type { PageServerLoad } from './$types';

/** A pack of the office's (from the database) or one shipped with this release (a file). */
async function packText(
	db: Awaited<ReturnType<typeof office>>,
	url: string
): Promise<string | null> {
	if (url.startsWith('/packs/')) {
		const dir = packsDir();
		return dir ? readFile(join(dir, url.slice('/packs/'.length)), 'utf8').catch(() => null) : null;
	}
	return (await courseFile(db, url))?.data.toString('utf8') ?? null;
}

/**
 * A release (or, as `live`, what the tablets have now) as a learner will see it, dressed as
 * this city's practice pages; nothing is kept.
 */
export const load = (async (event) => {
	requireStaff(event, 'courses.manage');
	const db = await office();
	const entry =
		event.params.release === 'live'
			? ((await liveCourses(db)).find((c) => c.entry.id === event.params.course)?.entry ?? null)
			: await releaseEntry(db, event.params.release);
	if (!entry || entry.id !== event.params.course) error(404, 'not found');
	const wanted = event.url.searchParams.get('lang') ?? 'de';
	const language = entry.languages.find((l) => l.lang === wanted) ?? entry.languages[0]!;
	const text = await packText(db, language.url);
	if (!text) error(404, 'not found');
	const city = await cityDressing(db);
	const pack = dressWithCity(JSON.parse(text) as CoursePack, city);
	return {
		pack,
		city,
		languages: entry.languages.map((l) => l.lang),
		lang: language.lang,
		release: event.params.release
	};
}) satisfies PageServerLoad;
