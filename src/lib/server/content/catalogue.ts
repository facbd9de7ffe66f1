/**
 * The courses as the office knows them for reports: id, title per language and the lesson ids
 * (a course is completed when all its lessons are). Read from the compiled packs the server
 * ships (`build/client/packs` when built, `static/packs` in development), once.
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

export function courseCatalogue(): CatalogueCourse[] {
	if (cached) return cached;
	const dir = packsDir();
	if (!dir) return (cached = []);
	const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as PackIndex;
	cached = index.courses.map((course) => {
		const first = course.languages.find((l) => l.lang === 'de') ?? course.languages[0]!;
		const pack = JSON.parse(
			readFileSync(join(dir, '..', first.url.replace(/^\//, '')), 'utf8')
		) as { lessons: { id: string }[] };
		return {
			id: course.id,
			titles: Object.fromEntries(course.languages.map((l) => [l.lang, l.title])),
			lessonIds: pack.lessons.map((l) => l.id)
		};
	});
	return cached;
}

export function courseTitle(course: CatalogueCourse, lang: string): string {
	return course.titles[lang] ?? course.titles.de ?? course.id;
}
