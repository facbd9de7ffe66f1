/**
 * Brings the course packs into IndexedDB: those the office has live (`/api/courses`), or,
 * when the office cannot be asked, those shipped with the app (`/packs/index.json`, which the
 * service worker keeps). A newer version replaces the stored one (progress is recorded by
 * stable ids, so it stays). A pack that fails to download or to validate never replaces a
 * working one; without one, the course is stored as unavailable with its reason, every other
 * course keeps working, and the next start retries. A course the office withdrew leaves the
 * device; the city the practice pages are dressed as comes with the office's index.
 */
import type { CityDressing } from '../../domain/city';
import type { LernlotseDatabase } from '../db/database';
import type { CourseRecord } from '../db/records';
import type { PackCheck } from './validate-pack';

/** The office's index: its digest comes with every sync pull. */
export const INDEX_URL = '/api/courses';
/** The index built into this release, precached: used when the office cannot be reached. */
export const BUILT_INDEX_URL = '/packs/index.json';
export const INDEX_HASH = 'packIndexHash';
export const CITY = 'city';
/** Packs and images published in the office, and the coat of arms, kept for offline use. */
export const COURSE_FILES_CACHE = 'lernlotse-course-files';

async function digest(text: string): Promise<string> {
	const bytes = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
	return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export interface InstallResult {
	changed: number;
	unavailable: number;
	/** Courses the office withdrew, taken off this device. */
	removed: number;
}

/** The office's index, else the built one; `fromOffice` says which. */
async function fetchIndex(fetcher: typeof fetch): Promise<{ text: string; fromOffice: boolean }> {
	try {
		const response = await fetcher(INDEX_URL);
		if (response.ok) return { text: await response.text(), fromOffice: true };
	} catch {
		// Offline, or the office is down: the built index still lists the shipped courses.
	}
	const response = await fetcher(BUILT_INDEX_URL);
	if (!response.ok) throw new Error(`course index: HTTP ${response.status}`);
	return { text: await response.text(), fromOffice: false };
}

/** Stores office files in the cache the service worker answers from; false if one failed. */
async function keepForOffline(urls: string[]): Promise<boolean> {
	const fromOffice = urls.filter((u) => u.startsWith('/api/courses/files/'));
	if (fromOffice.length === 0 || typeof caches === 'undefined') return true;
	try {
		const cache = await caches.open(COURSE_FILES_CACHE);
		for (const url of fromOffice) if (!(await cache.match(url))) await cache.add(url);
		return true;
	} catch {
		return false;
	}
}

export async function installPacks(
	db: LernlotseDatabase,
	fetcher: typeof fetch = fetch
): Promise<InstallResult> {
	const { text, fromOffice } = await fetchIndex(fetcher);
	const indexHash = await digest(text);
	if ((await db.meta.get(INDEX_HASH))?.value === indexHash)
		return { changed: 0, unavailable: 0, removed: 0 };

	// The schema code loads only when the packs changed: most starts never need it.
	const { checkPack, parseIndex } = await import('./validate-pack');
	const index = parseIndex(JSON.parse(text));
	const records: CourseRecord[] = [];
	let complete = true;
	const city: CityDressing | undefined = index.city;
	if (city?.arms && !(await keepForOffline([city.arms]))) complete = false;
	for (const course of index.courses) {
		if (!(await keepForOffline(course.media))) complete = false;
		for (const language of course.languages) {
			const stored = await db.courses.get([course.id, language.lang]);
			const working = stored?.pack ? stored : undefined;
			if (working && (working.version > course.version || working.hash === language.hash)) continue;
			const record = await fetchPack(fetcher, checkPack, course.id, course.version, language);
			// Try again next start; meanwhile a working older version stays in use.
			if (!record.pack) complete = false;
			if (record.pack || !working) records.push(record);
		}
	}
	// Only the office's own index can withdraw a course: the built one lists what shipped.
	const listed = new Set(index.courses.map((c) => c.id));
	const withdrawn = fromOffice
		? (await db.courses.toArray()).filter((r) => !listed.has(r.id)).map((r) => [r.id, r.lang])
		: [];
	await db.transaction('rw', db.courses, db.meta, async () => {
		await db.courses.bulkPut(records);
		await db.courses.bulkDelete(withdrawn as [string, string][]);
		if (city) await db.meta.put({ key: CITY, value: city });
		if (complete && fromOffice) await db.meta.put({ key: INDEX_HASH, value: indexHash });
	});
	return {
		changed: records.length,
		unavailable: records.filter((r) => !r.pack).length,
		removed: new Set(withdrawn.map(([id]) => id)).size
	};
}

async function fetchPack(
	fetcher: typeof fetch,
	checkPack: (data: unknown) => PackCheck,
	id: string,
	version: number,
	language: { lang: string; url: string; hash: string; title: string }
): Promise<CourseRecord> {
	const base = {
		id,
		lang: language.lang,
		version,
		hash: language.hash,
		title: language.title,
		installedAt: new Date().toISOString()
	};
	try {
		const response = await fetcher(language.url);
		if (!response.ok) throw new Error(`HTTP ${response.status}`);
		const check = checkPack(await response.json());
		if (!check.ok) return { ...base, pack: null, problem: check.problem };
		if (check.pack.id !== id || check.pack.lang !== language.lang) {
			return { ...base, pack: null, problem: 'pack does not match the course index' };
		}
		return { ...base, pack: check.pack, problem: null };
	} catch (error) {
		return { ...base, pack: null, problem: error instanceof Error ? error.message : String(error) };
	}
}
