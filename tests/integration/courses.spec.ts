/**
 * Publishing courses from the office, on a real SQLite and a real PostgreSQL: an archive or an
 * edit becomes a checked draft, publishing gives it the next version and puts it in the index
 * tablets install from (whose digest comes with every pull), withdrawing takes it off; bad
 * and hostile input is refused with the problem named, and the live version stays as it was.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { stringify } from 'yaml';
import { courseInput, explainStep, lessonInput } from '../../src/lib/domain/course/test-factory';
import type { CoursePack, PackIndex } from '../../src/lib/domain/course/schema';
import type { Outcome } from '../../src/lib/server/auth/outcome';
import { archiveLimit, readCourseArchive } from '../../src/lib/server/courses/archive';
import { cityDressing, saveArms, saveCity } from '../../src/lib/server/courses/city';
import {
	courseFile,
	createRelease,
	editLanguageFile,
	listReleases,
	publishRelease,
	refreshCatalogue,
	setWithdrawn
} from '../../src/lib/server/courses/releases';
import { courseCatalogue } from '../../src/lib/server/content/catalogue';
import { tabletIndex } from '../../src/lib/server/courses/tablet-index';
import { INDEX_HASH } from '../../src/lib/client/content/install-packs';
import { DEFAULT_CITY } from '../../src/lib/domain/city';
import { DIALECTS, freshOffice, type TestOffice } from './support/databases';
import { openTablet, closeTablets } from './support/devices';

// The release "ships" one course, so numbering above a shipped version is tested too.
beforeAll(() => {
	const packs = mkdtempSync(join(tmpdir(), 'lernlotse-packs-'));
	const shipped: PackIndex = {
		format: 1,
		courses: [{ id: 'shipped-course', version: 3, languages: [], media: [] }]
	};
	writeFileSync(join(packs, 'index.json'), JSON.stringify(shipped));
	process.env.PACKS_DIR = packs;
});

function value<T>(outcome: Outcome<T>): T {
	if (!outcome.ok) throw new Error(`refused: ${outcome.problem} ${JSON.stringify(outcome.values)}`);
	return outcome.value;
}

const SVG =
	'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>';

/** A course folder as YAML files, German and English, with one image. */
function courseFiles(
	id = 'test-course',
	text = 'Hallo. **Willkommen!**'
): Record<string, Uint8Array> {
	const lessons = [
		lessonInput({
			steps: [
				explainStep({ text, image: { src: 'media/pic.svg', alt: 'Ein Bild.' } }),
				explainStep({ id: 'second', text: 'Zweiter Schritt.' })
			]
		})
	];
	const enc = (s: string) => new TextEncoder().encode(s);
	return {
		[`${id}/de.yaml`]: enc(stringify(courseInput({ id, lessons }))),
		[`${id}/en.yaml`]: enc(
			stringify(courseInput({ id, lang: 'en', title: 'Test course', lessons }))
		),
		[`${id}/media/pic.svg`]: enc(SVG)
	};
}

function archive(files: Record<string, Uint8Array>): Uint8Array {
	return zipSync(files);
}

async function pack(office: TestOffice, url: string): Promise<CoursePack> {
	const file = await courseFile(office, url);
	if (!file) throw new Error(`no file ${url}`);
	return JSON.parse(file.data.toString('utf8')) as CoursePack;
}

async function index(office: TestOffice): Promise<PackIndex> {
	return JSON.parse((await tabletIndex(office)).text) as PackIndex;
}

describe.each(DIALECTS)('publishing courses on %s', (dialect) => {
	let office: TestOffice;
	afterEach(async () => {
		await closeTablets();
		await office?.dispose();
	});

	async function setUp() {
		office = await freshOffice(dialect);
		// The audit log names who did it; these tests are about courses, not accounts.
		return { staffId: uuidv7() };
	}

	it('stores an upload as a draft that tablets do not see until it is published', async () => {
		const actor = await setUp();
		const folder = value(readCourseArchive(archive(courseFiles())));
		const draft = value(await createRelease(office, folder, 'upload', actor));
		expect((await index(office)).courses.map((c) => c.id)).toEqual(['shipped-course']);

		expect(value(await publishRelease(office, draft.id, actor))).toEqual({
			courseId: 'test-course',
			version: 1
		});
		const entry = (await index(office)).courses.find((c) => c.id === 'test-course')!;
		expect(entry.version).toBe(1);
		expect(entry.languages.map((l) => l.lang)).toEqual(['de', 'en']);
		const german = await pack(office, entry.languages[0]!.url);
		expect(german.version).toBe(1);
		expect(german.lessons[0]!.steps[0]).toMatchObject({
			kind: 'explain',
			text: 'Hallo. **Willkommen!**'
		});
		// The image is served from the office, named by its content.
		const image = await courseFile(office, entry.media[0]!);
		expect(image?.type).toBe('image/svg+xml');
		expect(image?.data.toString('utf8')).toMatch(
			/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 10 10">/
		);
		// Reports count the new course, with its lessons, as soon as they look.
		await refreshCatalogue(office);
		expect(courseCatalogue().find((c) => c.id === 'test-course')).toEqual({
			id: 'test-course',
			titles: { de: 'Testkurs', en: 'Test course' },
			lessonIds: ['basics']
		});
		expect(entry.media[0]).toMatch(
			/^\/api\/courses\/files\/test-course\/media\/pic\.[0-9a-f]{10}\.svg$/
		);
	});

	it('publishes an edit as the next version, with the same ids, and tells tablets at their next pull', async () => {
		const actor = await setUp();
		const first = value(
			await createRelease(office, value(readCourseArchive(archive(courseFiles()))), 'upload', actor)
		);
		value(await publishRelease(office, first.id, actor));

		// A tablet that installed from the index hears of nothing new until something changes.
		const tablet = await openTablet(office, 'library');
		const before = (await tabletIndex(office)).digest;
		expect((await tablet.sync()).newCourses).toBe(before);
		await tablet.db.meta.put({ key: INDEX_HASH, value: before });
		expect((await tablet.sync()).newCourses).toBeUndefined();

		const text = stringify(
			courseInput({
				lessons: [
					lessonInput({
						steps: [
							explainStep({
								text: 'Neu: Guten Tag.',
								image: { src: 'media/pic.svg', alt: 'Ein Bild.' }
							}),
							explainStep({ id: 'second', text: 'Zweiter Schritt.' }),
							explainStep({ id: 'third', text: 'Ein neuer Schritt.' })
						]
					})
				]
			})
		);
		// The English file keeps the old steps: an edit is checked as a whole course.
		const refused = await editLanguageFile(office, 'test-course', 'de', text, actor);
		expect(refused.ok).toBe(false);
		expect(!refused.ok && refused.problem).toBe('office:courses.invalid');
		expect(!refused.ok && (refused.values?.list as string[])[0]).toMatch(
			/^test-course\/en\.yaml:\d+:\d+ /
		);

		const edited = value(
			await editLanguageFile(
				office,
				'test-course',
				'de',
				text.replace(/\n {6}- id: third[\s\S]*$/, '\n'),
				actor
			)
		);
		expect(value(await publishRelease(office, edited.id, actor)).version).toBe(2);
		const entry = (await index(office)).courses.find((c) => c.id === 'test-course')!;
		const german = await pack(office, entry.languages.find((l) => l.lang === 'de')!.url);
		expect(german.lessons[0]!.steps.map((s) => s.id)).toEqual(['welcome', 'second']);
		expect(german.lessons[0]!.steps[0]).toMatchObject({ text: 'Neu: Guten Tag.' });

		const after = (await tablet.sync()).newCourses;
		expect(after).not.toBe(before);
		expect(after).toBe((await tabletIndex(office)).digest);
	});

	it('numbers an office release of a shipped course above the shipped version', async () => {
		const actor = await setUp();
		const folder = value(readCourseArchive(archive(courseFiles('shipped-course'))));
		const draft = value(await createRelease(office, folder, 'upload', actor));
		expect(value(await publishRelease(office, draft.id, actor)).version).toBe(4);
		expect((await index(office)).courses.find((c) => c.id === 'shipped-course')?.version).toBe(4);
	});

	it('refuses a course with a problem, names file, line and problem, and keeps the live version', async () => {
		const actor = await setUp();
		const good = value(
			await createRelease(office, value(readCourseArchive(archive(courseFiles()))), 'upload', actor)
		);
		value(await publishRelease(office, good.id, actor));
		const live = await tabletIndex(office);

		const files = courseFiles();
		const enc = (s: string) => new TextEncoder().encode(s);
		files['test-course/de.yaml'] = enc(
			new TextDecoder().decode(files['test-course/de.yaml']).replace('id: second', 'id: welcome')
		);
		const outcome = await createRelease(
			office,
			value(readCourseArchive(archive(files))),
			'upload',
			actor
		);
		expect(outcome.ok).toBe(false);
		expect(!outcome.ok && outcome.values?.list).toEqual(
			expect.arrayContaining([
				expect.stringMatching(
					/^test-course\/de\.yaml:\d+:\d+ lessons\[0\]\.steps: step id "welcome" is used twice$/
				)
			])
		);
		expect((await tabletIndex(office)).digest).toBe(live.digest);
		expect(await listReleases(office, 'test-course')).toHaveLength(1);
	});

	it('takes a withdrawn course out of the index and puts it back', async () => {
		const actor = await setUp();
		value(await setWithdrawn(office, 'shipped-course', true, actor));
		expect((await index(office)).courses).toEqual([]);
		value(await setWithdrawn(office, 'shipped-course', false, actor));
		expect((await index(office)).courses.map((c) => c.id)).toEqual(['shipped-course']);
		expect((await setWithdrawn(office, 'no-such-course', true, actor)).ok).toBe(false);
	});

	it('dresses the practice with the city the office saved, and refuses bad settings and images', async () => {
		const actor = await setUp();
		expect((await index(office)).city).toEqual({ ...DEFAULT_CITY, arms: null });
		const refused = await saveCity(office, { ...DEFAULT_CITY, domain: 'keine adresse' }, actor);
		expect(refused).toMatchObject({ ok: false, problem: 'office:city.domain', field: 'domain' });
		value(
			await saveCity(
				office,
				{ ...DEFAULT_CITY, name: 'Beispielstadt', domain: 'https://www.Beispielstadt.de/' },
				actor
			)
		);
		const png = Buffer.from(
			'89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
				'1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
			'hex'
		);
		value(await saveArms(office, { type: 'image/png', data: png }, actor));
		const city = (await index(office)).city!;
		expect(city).toMatchObject({ name: 'Beispielstadt', domain: 'beispielstadt.de' });
		expect(city.arms).toMatch(/^\/api\/courses\/files\/city\/arms\.[0-9a-f]{10}\.png$/);
		expect((await cityDressing(office)).arms).toBe(city.arms);
		// A script dressed up as an image, and an SVG (which can carry script), are refused.
		const fake = await saveArms(
			office,
			{ type: 'image/png', data: Buffer.from('<script>alert(1)</script>') },
			actor
		);
		expect(fake).toMatchObject({ ok: false, problem: 'office:city.armsType' });
		const svg = await saveArms(office, { type: 'image/svg+xml', data: Buffer.from(SVG) }, actor);
		expect(svg).toMatchObject({ ok: false, problem: 'office:city.armsType' });
	});
});

describe('hostile and broken course archives', () => {
	const enc = (s: string) => new TextEncoder().encode(s);

	it('refuses a path that leaves the course folder, before unpacking anything', () => {
		const files = { ...courseFiles(), 'test-course/../../etc/evil.yaml': enc('id: x') };
		expect(readCourseArchive(archive(files))).toMatchObject({
			ok: false,
			problem: 'office:courses.archive.outside'
		});
		expect(readCourseArchive(archive({ '/etc/passwd.yaml': enc('x') }))).toMatchObject({
			problem: 'office:courses.archive.outside'
		});
	});

	it('refuses something that is not a ZIP archive, an empty one, and two folders', () => {
		expect(readCourseArchive(enc('not a zip'))).toMatchObject({
			problem: 'office:courses.archive.unreadable'
		});
		expect(readCourseArchive(new Uint8Array())).toMatchObject({
			problem: 'office:courses.archive.empty'
		});
		expect(readCourseArchive(archive({ 'readme.txt': enc('hi') }))).toMatchObject({
			problem: 'office:courses.archive.noCourse'
		});
		const two = { ...courseFiles(), ...courseFiles('other-course') };
		expect(readCourseArchive(archive(two))).toMatchObject({
			problem: 'office:courses.archive.oneFolder'
		});
		expect(readCourseArchive(archive({ 'Bad Name/de.yaml': enc('x') }))).toMatchObject({
			problem: 'office:courses.archive.oneFolder'
		});
	});

	it('refuses oversized media by the size the archive declares', () => {
		const files = { ...courseFiles(), 'test-course/media/huge.png': new Uint8Array(600 * 1024) };
		expect(readCourseArchive(archive(files))).toMatchObject({
			problem: 'office:courses.archive.tooLarge'
		});
	});

	it('takes archives as large as the server takes request bodies, at most 20 MB', () => {
		expect(archiveLimit('512K')).toBe(512 * 1024 - 16 * 1024);
		expect(archiveLimit('2M')).toBe(2 * 1024 * 1024 - 16 * 1024);
		expect(archiveLimit('25M')).toBe(20 * 1024 * 1024);
		expect(archiveLimit('Infinity')).toBe(20 * 1024 * 1024);
		expect(archiveLimit('lots')).toBe(20 * 1024 * 1024);
	});

	it('unpacks a good archive into the course folder, leaving out stray files', () => {
		const files = {
			...courseFiles(),
			'test-course/.DS_Store': enc('x'),
			'__MACOSX/test-course/._de.yaml': enc('x')
		};
		const folder = readCourseArchive(archive(files));
		expect(folder.ok && folder.value.name).toBe('test-course');
		expect(folder.ok && [...folder.value.files.keys()].sort()).toEqual([
			'de.yaml',
			'en.yaml',
			'media/pic.svg'
		]);
	});
});
