/**
 * The courses as the office knows them for reports: id, title per language and the lesson ids
 * (a course is completed when all its lessons are). Read from the compiled packs the server
 * ships (`build/client/packs` when built, `static/packs` in development), once, and from the
 * versions published in the office (`refreshCatalogue` in `courses/releases.ts`), withdrawn
 * ones included: their past still counts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CatalogueCourse {
	id: string;
	titles: Record<string, string>;
	lessonIds: string[];
}

interface PackIndex {
	courses: { id: string; languages: { lang: string; url: string; title: string }[] }[];
}

let cached: CatalogueCourse[] | null = null;

export function packsDir(): string | null {
	const candidates = [
		process.env.PACKS_DIR,
		join(process.cwd(), 'build/client/packs'),
		join(process.cwd(), 'static/packs')
	].filter((dir): dir is string => !!dir);
	return candidates.find((dir) => existsSync(join(dir, 'index.json'))) ?? null;
}

/** Courses published in the office, as the last `refreshCatalogue` found them. */
let fromOffice: CatalogueCourse[] = [];

export function setOfficeCourses(courses: CatalogueCourse[]): void {
	fromOffice = courses;
}

/** The shipped courses, with the office's published versions in their place or added. */
export function courseCatalogue(): CatalogueCourse[] {
	const published = new Set(fromOffice.map((c) => c.id));
	return [...shippedCatalogue().filter((c) => !published.has(c.id)), ...fromOffice].sort((a, b) =>
		a.id.localeCompare(b.id)
	);
}

function shippedCatalogue(): CatalogueCourse[] {
	if (cached) return cached;
	const dir = packsDir();
	if (!dir) return (cached = []);
	const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as PackIndex;
	cached = index.courses.flatMap((course) => {
		const first = course.languages.find((l) => l.lang === 'de') ?? course.languages[0];
		if (!first) return [];
		const pack = JSON.parse(
			readFileSync(join(dir, '..', first.url.replace(/^\//, '')), 'utf8')
		) as { lessons: { id: string }[] };
		return [
			{
				id: course.id,
				titles: Object.fromEntries(course.languages.map((l) => [l.lang, l.title])),
				lessonIds: pack.lessons.map((l) => l.id)
			}
		];
	});
	return cached;
}

export function courseTitle(course: CatalogueCourse, lang: string): string {
	return course.titles[lang] ?? course.titles.de ?? course.id;
}
