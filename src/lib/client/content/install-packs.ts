/**
 * Brings the course packs shipped with the app into IndexedDB. A newer version replaces the
 * stored one (progress is recorded by stable ids, so it stays). A pack that fails to download
 * or to validate never replaces a working one; without one, the course is stored as
 * unavailable with its reason, every other course keeps working, and the next start retries.
 */
import type { LernlotseDatabase } from '../db/database';
import type { CourseRecord } from '../db/records';
import type { PackCheck } from './validate-pack';

export const INDEX_URL = '/packs/index.json';
const INDEX_HASH = 'packIndexHash';

async function digest(text: string): Promise<string> {
	const bytes = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
	return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export interface InstallResult {
	changed: number;
	unavailable: number;
}

export async function installPacks(
	db: LernlotseDatabase,
	fetcher: typeof fetch = fetch
): Promise<InstallResult> {
	const response = await fetcher(INDEX_URL);
	if (!response.ok) throw new Error(`course index: HTTP ${response.status}`);
	const text = await response.text();
	const indexHash = await digest(text);
	if ((await db.meta.get(INDEX_HASH))?.value === indexHash) return { changed: 0, unavailable: 0 };

	// The schema code loads only when the packs changed: most starts never need it.
	const { checkPack, parseIndex } = await import('./validate-pack');
	const index = parseIndex(JSON.parse(text));
	const records: CourseRecord[] = [];
	let complete = true;
	for (const course of index.courses) {
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
	await db.transaction('rw', db.courses, db.meta, async () => {
		await db.courses.bulkPut(records);
		if (complete) await db.meta.put({ key: INDEX_HASH, value: indexHash });
	});
	return { changed: records.length, unavailable: records.filter((r) => !r.pack).length };
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
