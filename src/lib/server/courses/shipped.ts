/**
 * The courses that ship with this release: their compiled index (served from `/packs`, which
 * the service worker precaches) and their sources in `content/`, which the office edits from.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { PackIndex } from '../../domain/course/schema';
import { packsDir } from '../content/catalogue';
import { readFolder, type SourceFolder } from '../content/compile';

let cached: PackIndex | null = null;

export function shippedIndex(): PackIndex {
	if (cached) return cached;
	const dir = packsDir();
	cached = dir
		? (JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as PackIndex)
		: { format: 1, courses: [] };
	return cached;
}

function contentDir(): string {
	return resolve(process.env.CONTENT_DIR || 'content');
}

/** The source folder of a shipped course, or null when the sources are not installed. */
export function shippedSources(courseId: string): SourceFolder | null {
	if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(courseId)) return null;
	const dir = join(contentDir(), courseId);
	return existsSync(join(dir, 'de.yaml')) ? readFolder(dir, courseId) : null;
}
