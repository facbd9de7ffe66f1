/** Courses stored on the device, in the learner's language where the course has it. */
import type { LernlotseDatabase } from './database';
import type { CourseRecord } from './records';

export const FALLBACK_COURSE_LANGUAGE = 'de';

/**
 * One record per course: the learner's language if available, otherwise German. Only the keys
 * are read to choose, then one record a course: every course in every language is megabytes of
 * lessons, and reading them all made each start of a tablet noticeably slower.
 */
export async function coursesFor(db: LernlotseDatabase, lang: string): Promise<CourseRecord[]> {
	const rank = (l: string) => (l === lang ? 0 : l === FALLBACK_COURSE_LANGUAGE ? 1 : 2);
	const chosen = new Map<string, [string, string]>();
	for (const key of await db.courses.toCollection().primaryKeys()) {
		const best = chosen.get(key[0]);
		if (!best || rank(key[1]) < rank(best[1])) chosen.set(key[0], key);
	}
	const records = await db.courses.bulkGet([...chosen.values()]);
	const order = (r: CourseRecord) => r.pack?.order ?? Number.MAX_SAFE_INTEGER;
	return records
		.filter((r): r is CourseRecord => r !== undefined)
		.sort((a, b) => order(a) - order(b) || a.id.localeCompare(b.id));
}

export async function courseFor(
	db: LernlotseDatabase,
	id: string,
	lang: string
): Promise<CourseRecord | undefined> {
	return (
		(await db.courses.get([id, lang])) ?? (await db.courses.get([id, FALLBACK_COURSE_LANGUAGE]))
	);
}
