/**
 * Publishing courses from the office. A release is a whole course folder, uploaded as an
 * archive or made by editing one language file in the browser; it is compiled with the same
 * checks as the build, so a release with a problem is never stored and the live version stays.
 * Publishing gives it the next version number: tablets install it at their next sync, and
 * progress carries over because it is recorded by stable lesson and step ids.
 */
import { extname } from 'node:path';
import { v7 as uuid } from 'uuid';
import type { OfficeDatabase } from '../db/connection';
import type { CourseReleasesTable } from '../db/schema';
import { audit } from '../auth/audit';
import { ok, problem, type Outcome } from '../auth/outcome';
import type { PackIndexEntry } from '../../domain/course/schema';
import {
	compileFolder,
	formatProblem,
	type CompiledFile,
	type ContentProblem,
	type SourceFolder
} from '../content/compile';
import { setOfficeCourses, type CatalogueCourse } from '../content/catalogue';
import { shippedIndex, shippedSources } from './shipped';

export const OFFICE_URL_BASE = '/api/courses/files';

const CONTENT_TYPES: Record<string, string> = {
	'.json': 'application/json',
	'.svg': 'image/svg+xml',
	'.png': 'image/png',
	'.jpg': 'image/jpeg',
	'.jpeg': 'image/jpeg',
	'.webp': 'image/webp'
};

type Refusal = Outcome<never> & { ok: false };

function invalid(problems: ContentProblem[]): Refusal {
	return problem('office:courses.invalid', 'course', {
		count: problems.length,
		list: problems.slice(0, 50).map(formatProblem)
	});
}

function encodeSources(folder: SourceFolder): string {
	return JSON.stringify(
		Object.fromEntries([...folder.files].map(([path, data]) => [path, data.toString('base64')]))
	);
}

function decodeSources(courseId: string, sources: string): SourceFolder {
	const files = new Map<string, Buffer>();
	for (const [path, data] of Object.entries(JSON.parse(sources) as Record<string, string>)) {
		files.set(path, Buffer.from(data, 'base64'));
	}
	return { name: courseId, files };
}

function compile(folder: SourceFolder, version?: number) {
	const problems: ContentProblem[] = [];
	const files: CompiledFile[] = [];
	const entry = compileFolder(folder, { urlBase: OFFICE_URL_BASE, version }, problems, files);
	return { entry, files, problems };
}

async function storeFiles(
	db: OfficeDatabase['db'],
	releaseId: string,
	files: CompiledFile[]
): Promise<void> {
	for (const file of files) {
		await db
			.insertInto('course_files')
			.values({
				url: file.url,
				content_type: CONTENT_TYPES[extname(file.url)] ?? 'application/octet-stream',
				data: Buffer.from(file.data).toString('base64'),
				release_id: releaseId
			})
			// Names carry the content hash: the same name is the same bytes.
			.onConflict((oc) => oc.column('url').doNothing())
			.execute();
	}
}

/** Stores a checked course folder as a draft; its packs can be previewed at once. */
export async function createRelease(
	office: OfficeDatabase,
	folder: SourceFolder,
	origin: 'upload' | 'edit',
	actor: { staffId: string }
): Promise<Outcome<{ id: string; courseId: string }>> {
	const { entry, files, problems } = compile(folder);
	if (!entry || problems.length > 0) return invalid(problems);
	const id = uuid();
	await office.db.transaction().execute(async (tx) => {
		await tx
			.insertInto('course_releases')
			.values({
				id,
				course_id: folder.name,
				state: 'draft',
				version: null,
				sources: encodeSources(folder),
				entry: JSON.stringify(entry),
				origin,
				created_at: new Date().toISOString(),
				created_by: actor.staffId,
				published_at: null,
				published_by: null
			})
			.execute();
		await storeFiles(tx, id, files);
		await audit(tx, {
			action: `course.${origin}`,
			staffId: actor.staffId,
			target: folder.name,
			details: { release: id }
		});
	});
	return ok({ id, courseId: folder.name });
}

async function latestRelease(
	{ db }: OfficeDatabase,
	courseId: string
): Promise<CourseReleasesTable | undefined> {
	return db
		.selectFrom('course_releases')
		.selectAll()
		.where('course_id', '=', courseId)
		.orderBy('created_at', 'desc')
		.orderBy('id', 'desc')
		.executeTakeFirst();
}

/** The folder an edit starts from: the newest release of the course, else the shipped one. */
export async function workingSources(
	office: OfficeDatabase,
	courseId: string
): Promise<SourceFolder | null> {
	const latest = await latestRelease(office, courseId);
	return latest ? decodeSources(courseId, latest.sources) : shippedSources(courseId);
}

/** One language file changed in the browser: checked like an upload, stored as a new draft. */
export async function editLanguageFile(
	office: OfficeDatabase,
	courseId: string,
	lang: string,
	text: string,
	actor: { staffId: string }
): Promise<Outcome<{ id: string; courseId: string }>> {
	const base = await workingSources(office, courseId);
	const file = `${lang}.yaml`;
	if (!base || !base.files.has(file)) return problem('office:courses.notFound');
	const files = new Map(base.files);
	files.set(file, Buffer.from(text.replace(/\r\n/g, '\n'), 'utf8'));
	return createRelease(office, { name: courseId, files }, 'edit', actor);
}

async function nextVersion({ db }: OfficeDatabase, courseId: string): Promise<number> {
	const row = await db
		.selectFrom('course_releases')
		.select((eb) => eb.fn.max('version').as('version'))
		.where('course_id', '=', courseId)
		.executeTakeFirst();
	const shipped = shippedIndex().courses.find((c) => c.id === courseId)?.version ?? 0;
	return Math.max(shipped, Number(row?.version ?? 0)) + 1;
}

/** Makes a release the live version of its course, with the next version number. */
export async function publishRelease(
	office: OfficeDatabase,
	releaseId: string,
	actor: { staffId: string }
): Promise<Outcome<{ courseId: string; version: number }>> {
	const release = await office.db
		.selectFrom('course_releases')
		.selectAll()
		.where('id', '=', releaseId)
		.executeTakeFirst();
	if (!release) return problem('office:courses.notFound');
	const version = await nextVersion(office, release.course_id);
	const { entry, files, problems } = compile(
		decodeSources(release.course_id, release.sources),
		version
	);
	// Checked when stored; a rule made stricter since is still honoured.
	if (!entry || problems.length > 0) return invalid(problems);
	const now = new Date().toISOString();
	await office.db.transaction().execute(async (tx) => {
		await storeFiles(tx, release.id, files);
		await tx
			.updateTable('course_releases')
			.set({
				state: 'published',
				version,
				entry: JSON.stringify(entry),
				published_at: now,
				published_by: actor.staffId
			})
			.where('id', '=', release.id)
			.execute();
		await setState(tx, release.course_id, release.id, null, now, actor.staffId);
		await audit(tx, {
			action: 'course.publish',
			staffId: actor.staffId,
			target: release.course_id,
			details: { release: release.id, version }
		});
	});
	return ok({ courseId: release.course_id, version });
}

async function setState(
	db: OfficeDatabase['db'],
	courseId: string,
	liveReleaseId: string | null | undefined,
	withdrawnAt: string | null,
	now: string,
	staffId: string
): Promise<void> {
	const current = await db
		.selectFrom('course_states')
		.select('live_release_id')
		.where('course_id', '=', courseId)
		.executeTakeFirst();
	const live = liveReleaseId === undefined ? (current?.live_release_id ?? null) : liveReleaseId;
	const values = {
		live_release_id: live,
		withdrawn_at: withdrawnAt,
		updated_at: now,
		updated_by: staffId
	};
	await db
		.insertInto('course_states')
		.values({ course_id: courseId, ...values })
		.onConflict((oc) => oc.column('course_id').doUpdateSet(values))
		.execute();
}

/** Takes a course off every tablet at its next sync (progress stays), or puts it back. */
export async function setWithdrawn(
	office: OfficeDatabase,
	courseId: string,
	withdrawn: boolean,
	actor: { staffId: string }
): Promise<Outcome> {
	const known =
		shippedIndex().courses.some((c) => c.id === courseId) ||
		(await office.db
			.selectFrom('course_states')
			.select('course_id')
			.where('course_id', '=', courseId)
			.executeTakeFirst());
	if (!known) return problem('office:courses.notFound');
	const now = new Date().toISOString();
	await office.db.transaction().execute(async (tx) => {
		await setState(tx, courseId, undefined, withdrawn ? now : null, now, actor.staffId);
		await audit(tx, {
			action: withdrawn ? 'course.withdraw' : 'course.restore',
			staffId: actor.staffId,
			target: courseId
		});
	});
	return ok(undefined);
}

export interface LiveCourse {
	entry: PackIndexEntry;
	origin: 'shipped' | 'office';
	withdrawn: boolean;
}

/**
 * What each course is on the tablets now: the office's live release, unless this software
 * release ships a newer version of the course (then the shipped one wins).
 */
export async function liveCourses(office: OfficeDatabase): Promise<LiveCourse[]> {
	const states = await office.db
		.selectFrom('course_states')
		.leftJoin('course_releases', 'course_releases.id', 'course_states.live_release_id')
		.select([
			'course_states.course_id as courseId',
			'course_states.withdrawn_at as withdrawnAt',
			'course_releases.entry as entry'
		])
		.execute();
	const byId = new Map<string, LiveCourse>();
	for (const entry of shippedIndex().courses) {
		byId.set(entry.id, { entry, origin: 'shipped', withdrawn: false });
	}
	for (const state of states) {
		const shipped = byId.get(state.courseId);
		const office = state.entry ? (JSON.parse(state.entry) as PackIndexEntry) : null;
		const live =
			office && (!shipped || office.version >= shipped.entry.version)
				? { entry: office, origin: 'office' as const }
				: shipped;
		if (live) byId.set(state.courseId, { ...live, withdrawn: state.withdrawnAt !== null });
	}
	return [...byId.values()];
}

export interface ReleaseSummary {
	id: string;
	courseId: string;
	state: 'draft' | 'published';
	version: number | null;
	origin: string;
	createdAt: string;
	createdBy: string;
	publishedAt: string | null;
}

export async function listReleases(
	{ db }: OfficeDatabase,
	courseId?: string
): Promise<ReleaseSummary[]> {
	const rows = await db
		.selectFrom('course_releases')
		.leftJoin('staff', 'staff.id', 'course_releases.created_by')
		.select([
			'course_releases.id as id',
			'course_releases.course_id as courseId',
			'course_releases.state as state',
			'course_releases.version as version',
			'course_releases.origin as origin',
			'course_releases.created_at as createdAt',
			'staff.display_name as createdBy',
			'course_releases.published_at as publishedAt'
		])
		.$if(courseId !== undefined, (qb) => qb.where('course_releases.course_id', '=', courseId!))
		.orderBy('course_releases.created_at', 'desc')
		.limit(200)
		.execute();
	return rows.map((r) => ({ ...r, createdBy: r.createdBy ?? '' }));
}

/** A compiled file (pack or image) of a release, for tablets and the preview. */
export async function courseFile(
	{ db }: OfficeDatabase,
	url: string
): Promise<{ type: string; data: Buffer } | null> {
	const row = await db
		.selectFrom('course_files')
		.select(['content_type', 'data'])
		.where('url', '=', url)
		.executeTakeFirst();
	return row ? { type: row.content_type, data: Buffer.from(row.data, 'base64') } : null;
}

/** The index entry of a release (draft or published), for the preview. */
export async function releaseEntry(
	{ db }: OfficeDatabase,
	releaseId: string
): Promise<PackIndexEntry | null> {
	const row = await db
		.selectFrom('course_releases')
		.select('entry')
		.where('id', '=', releaseId)
		.executeTakeFirst();
	return row?.entry ? (JSON.parse(row.entry) as PackIndexEntry) : null;
}

const lessonIdsByPack = new Map<string, string[]>();

/**
 * Brings the reports' course list up to date with what the office published (every instance
 * calls this before a report, so a course published on another instance counts too).
 */
export async function refreshCatalogue(office: OfficeDatabase): Promise<void> {
	const courses: CatalogueCourse[] = [];
	for (const live of await liveCourses(office)) {
		if (live.origin !== 'office') continue;
		const first = live.entry.languages.find((l) => l.lang === 'de') ?? live.entry.languages[0];
		if (!first) continue;
		let lessonIds = lessonIdsByPack.get(first.url);
		if (!lessonIds) {
			const file = await courseFile(office, first.url);
			if (!file) continue;
			const pack = JSON.parse(file.data.toString('utf8')) as { lessons: { id: string }[] };
			lessonIds = pack.lessons.map((l) => l.id);
			lessonIdsByPack.set(first.url, lessonIds);
		}
		courses.push({
			id: live.entry.id,
			titles: Object.fromEntries(live.entry.languages.map((l) => [l.lang, l.title])),
			lessonIds
		});
	}
	setOfficeCourses(courses);
}
