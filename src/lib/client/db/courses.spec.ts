import { describe, expect, it } from 'vitest';
import type { CoursePack } from '../../domain/course/schema';
import { freshDatabase } from './test-databases';
import { coursesFor } from './courses';
import type { CourseRecord } from './records';

function record(id: string, lang: string, order: number | null): CourseRecord {
	return {
		id,
		lang,
		version: 1,
		hash: `${id}-${lang}`,
		title: `${id} (${lang})`,
		// Only what the choice reads; a stored pack is whole (checked before it is stored).
		pack: order === null ? null : ({ id, lang, order } as unknown as CoursePack),
		problem: order === null ? 'HTTP 404' : null,
		installedAt: '2026-11-22T10:00:00.000Z'
	};
}

describe('coursesFor', () => {
	it('gives one record a course: the learner’s language, else German, else any, in course order', async () => {
		const db = await freshDatabase('courses');
		await db.courses.bulkPut([
			record('tablet-basics', 'de', 1),
			record('tablet-basics', 'tr', 1),
			record('tablet-basics', 'en', 1),
			record('library-ebooks', 'de', 3),
			record('library-ebooks', 'en', 3),
			record('video-call', 'uk', 2),
			record('broken', 'tr', null)
		]);

		const turkish = await coursesFor(db, 'tr');
		expect(turkish.map((c) => [c.id, c.lang])).toEqual([
			['tablet-basics', 'tr'],
			['video-call', 'uk'],
			['library-ebooks', 'de'],
			// A course whose pack could not be used is listed last, with its problem.
			['broken', 'tr']
		]);
		expect(turkish[3]?.problem).toBe('HTTP 404');

		const english = await coursesFor(db, 'en');
		expect(english.map((c) => c.lang)).toEqual(['en', 'uk', 'en', 'tr']);
	});

	it('gives nothing on a tablet that has no courses yet', async () => {
		expect(await coursesFor(await freshDatabase('no-courses'), 'de')).toEqual([]);
	});
});
