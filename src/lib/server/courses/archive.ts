/**
 * A course folder uploaded as a ZIP archive. Everything is checked before anything is
 * unpacked: one folder named like the course, no path that leaves it, no more files or bytes
 * than a course needs (an archive that unpacks to gigabytes stops at the size it declares).
 */
import { unzipSync } from 'fflate';
import { ok, problem, type Outcome } from '../auth/outcome';
import type { SourceFolder } from '../content/compile';
import { MAX_MEDIA_BYTES } from '../content/compile';

export const MAX_ARCHIVE_BYTES = 20 * 1024 * 1024;

/**
 * The largest archive the office can take: 20 MB, or less when the server refuses larger
 * request bodies (`BODY_SIZE_LIMIT`, 512K unless set; read the way the Node server reads it).
 * A form needs some room around the file.
 */
export function archiveLimit(bodySizeLimit = process.env.BODY_SIZE_LIMIT ?? '512K'): number {
	const unit = { K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[bodySizeLimit.slice(-1).toUpperCase()];
	const body = unit ? Number(bodySizeLimit.slice(0, -1)) * unit : Number(bodySizeLimit);
	if (!Number.isFinite(body) || body <= 0) return MAX_ARCHIVE_BYTES;
	return Math.min(MAX_ARCHIVE_BYTES, Math.floor(body - 16 * 1024));
}
const MAX_FILES = 300;
const MAX_TEXT_BYTES = 1024 * 1024;
const COURSE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** Files a course folder holds; others (e.g. a stray `.DS_Store`) are left out silently. */
const KEPT = /\.(yaml|svg|png|jpe?g|webp)$/i;
const IGNORED = /(^|\/)(__MACOSX|\.[^/]*)(\/|$)/;

function unsafePath(name: string): boolean {
	return (
		name.startsWith('/') ||
		name.includes('\\') ||
		name.includes('\0') ||
		/^[a-z]:/i.test(name) ||
		name.split('/').some((part) => part === '..')
	);
}

export function readCourseArchive(bytes: Uint8Array): Outcome<SourceFolder> {
	if (bytes.length === 0) return problem('office:courses.archive.empty', 'archive');
	if (bytes.length > MAX_ARCHIVE_BYTES)
		return problem('office:courses.archive.tooLarge', 'archive');
	let refusal: Outcome<never> | null = null;
	let entries: Record<string, Uint8Array>;
	try {
		let count = 0;
		let total = 0;
		entries = unzipSync(bytes, {
			// Looked at before a byte is unpacked: the declared size is where unpacking stops.
			filter: (file) => {
				if (refusal) return false;
				if (unsafePath(file.name)) {
					refusal = problem('office:courses.archive.outside', 'archive', { path: file.name });
					return false;
				}
				if (file.name.endsWith('/') || IGNORED.test(file.name) || !KEPT.test(file.name))
					return false;
				count++;
				total += file.originalSize;
				const limit = file.name.endsWith('.yaml') ? MAX_TEXT_BYTES : MAX_MEDIA_BYTES;
				if (count > MAX_FILES || total > MAX_ARCHIVE_BYTES || file.originalSize > limit) {
					refusal = problem('office:courses.archive.tooLarge', 'archive', { path: file.name });
					return false;
				}
				return true;
			}
		});
	} catch {
		return problem('office:courses.archive.unreadable', 'archive');
	}
	if (refusal) return refusal;
	const names = Object.keys(entries);
	if (names.length === 0) return problem('office:courses.archive.noCourse', 'archive');
	const folders = new Set(names.map((n) => (n.includes('/') ? n.slice(0, n.indexOf('/')) : '')));
	const [folder] = folders;
	if (folders.size !== 1 || !folder || !COURSE_ID.test(folder)) {
		return problem('office:courses.archive.oneFolder', 'archive');
	}
	const files = new Map<string, Buffer>();
	for (const name of names) {
		const data = entries[name]!;
		// The size an entry declared is checked above; what it really unpacked to, here.
		if (data.length > (name.endsWith('.yaml') ? MAX_TEXT_BYTES : MAX_MEDIA_BYTES)) {
			return problem('office:courses.archive.tooLarge', 'archive', { path: name });
		}
		files.set(name.slice(folder.length + 1), Buffer.from(data));
	}
	return ok({ name: folder, files });
}
