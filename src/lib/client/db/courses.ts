/** Courses stored on the device, in the learner's language where the course has it. */
import type { LernlotseDatabase } from './database';
import type { CourseRecord } from './records';

export const FALLBACK_COURSE_LANGUAGE = 'de';

/** One record per course: the learner's language if available, otherwise German. */
export async function coursesFor(db: LernlotseDatabase, lang: string): Promise<CourseRecord[]> {
	const all = await db.courses.toArray();
	const byId = new Map<string, CourseRecord>();
	for (const record of all) {
		const chosen = byId.get(record.id);
		const rank = (r: CourseRecord) =>
			r.lang === lang ? 0 : r.lang === FALLBACK_COURSE_LANGUAGE ? 1 : 2;
		if (!chosen || rank(record) < rank(chosen)) byId.set(record.id, record);
	}
	const order = (r: CourseRecord) => r.pack?.order ?? Number.MAX_SAFE_INTEGER;
	return [...byId.values()].sort((a, b) => order(a) - order(b) || a.id.localeCompare(b.id));
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
