/**
 * Compiles the course sources in `content/` into versioned packs: validated against the
 * schema, checked across languages, media hashed so the service worker can precache them.
 * Every problem names the file, the line and column, and what is wrong.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, posix } from 'node:path';
import { optimize } from 'svgo';
import * as v from 'valibot';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { checkCourse, checkTranslation, type Path } from '../../domain/course/check';
import { mediaRefs, rewriteMedia } from '../../domain/course/media';
import {
	CourseSource,
	PACK_FORMAT,
	type CoursePack,
	type PackIndex,
	type PackIndexEntry
} from '../../domain/course/schema';

export interface ContentProblem {
	file: string;
	line: number;
	column: number;
	path: string;
	message: string;
}

export interface CompiledFile {
	/** URL path under the site root, e.g. `/packs/tablet/de.1a2b3c4d.json`. */
	url: string;
	data: Buffer | string;
}

/** A course folder as files in memory: from `content/`, or from an archive the office uploads. */
export interface SourceFolder {
	/** The folder name, which is the course id. */
	name: string;
	/** Relative paths with `/`, e.g. `de.yaml`, `media/portal.svg`. */
	files: Map<string, Buffer>;
}

export interface CompileOptions {
	/** Where the built files are served: `/packs` for shipped courses. */
	urlBase: string;
	/** The version to publish under, replacing the files' own (office releases count on). */
	version?: number;
}

export interface CompileResult {
	index: PackIndex;
	files: CompiledFile[];
	problems: ContentProblem[];
}

const MEDIA_TYPES = new Set(['.svg', '.png', '.jpg', '.jpeg', '.webp']);
export const MAX_MEDIA_BYTES = 512 * 1024;

export function formatProblem(p: ContentProblem): string {
	const where = p.path ? ` ${p.path}:` : '';
	return `${p.file}:${p.line}:${p.column}${where} ${p.message}`;
}

function hash(data: Buffer | string): string {
	return createHash('sha256').update(data).digest('hex').slice(0, 10);
}

function dotted(path: Path): string {
	return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
}

/** Finds the deepest node of `path` that exists and returns its line and column. */
function locate(doc: Document, lines: LineCounter, path: Path): { line: number; column: number } {
	for (let depth = path.length; depth >= 0; depth--) {
		const node = doc.getIn(path.slice(0, depth), true) as { range?: [number, number, number] };
		if (node && node.range) {
			const { line, col } = lines.linePos(node.range[0]);
			return { line, column: col };
		}
	}
	return { line: 1, column: 1 };
}

interface ParsedFile {
	file: string;
	course: CourseSource;
	doc: Document;
	lines: LineCounter;
}

function parseFile(shown: string, source: string, problems: ContentProblem[]): ParsedFile | null {
	const lines = new LineCounter();
	const doc = parseDocument(source, {
		lineCounter: lines,
		prettyErrors: false
	});
	if (doc.errors.length > 0) {
		for (const error of doc.errors) {
			const { line, col } = lines.linePos(error.pos[0]);
			problems.push({ file: shown, line, column: col, path: '', message: error.message });
		}
		return null;
	}
	const result = v.safeParse(CourseSource, doc.toJS());
	if (!result.success) {
		for (const issue of result.issues) {
			const path = (issue.path ?? []).map((p) => p.key as string | number);
			problems.push({
				file: shown,
				...locate(doc, lines, path),
				path: dotted(path),
				message: issue.message
			});
		}
		return null;
	}
	return { file: shown, course: result.output, doc, lines };
}

function problemAt(parsed: ParsedFile, path: Path, message: string): ContentProblem {
	return {
		file: parsed.file,
		...locate(parsed.doc, parsed.lines, path),
		path: dotted(path),
		message
	};
}

/** SVG is a program as much as a picture: one that could run script is refused. */
const UNSAFE_SVG =
	/<script|<foreignObject|\son[a-z]+\s*=|javascript:|(?:href|src)\s*=\s*["']?\s*(?:https?:|\/\/|data:)/i;

/** A path inside the folder, or null for one that leaves it (`../`, absolute). */
function insidePath(src: string): string | null {
	if (src.startsWith('/') || src.includes('\\') || /^[a-z][a-z0-9+.-]*:/i.test(src)) return null;
	const path = posix.normalize(src);
	return path.startsWith('..') ? null : path;
}

/** Compiles one course folder; returns nothing for the index when any problem was found. */
export function compileFolder(
	source: SourceFolder,
	options: CompileOptions,
	problems: ContentProblem[],
	files: CompiledFile[]
): PackIndexEntry | null {
	const folder = source.name;
	const sources = [...source.files.keys()]
		.filter((f) => !f.includes('/') && f.endsWith('.yaml'))
		.sort((a, b) => (a === 'de.yaml' ? -1 : b === 'de.yaml' ? 1 : a.localeCompare(b)));
	if (sources.length === 0) {
		problems.push({
			file: folder,
			line: 1,
			column: 1,
			path: '',
			message: 'no language file (de.yaml, en.yaml, …)'
		});
		return null;
	}
	const before = problems.length;
	const parsed = sources
		.map((name) =>
			parseFile(`${folder}/${name}`, source.files.get(name)!.toString('utf8'), problems)
		)
		.filter((p): p is ParsedFile => p !== null);
	if (problems.length > before) return null;

	const reference = parsed[0]!;
	for (const p of parsed) {
		const expectedLang = p.file
			.split('/')
			.pop()!
			.replace(/\.yaml$/, '');
		if (p.course.lang !== expectedLang) {
			problems.push(
				problemAt(
					p,
					['lang'],
					`lang is "${p.course.lang}" but the file is named ${expectedLang}.yaml`
				)
			);
		}
		if (p.course.id !== folder) {
			problems.push(
				problemAt(p, ['id'], `id "${p.course.id}" must match the folder name "${folder}"`)
			);
		}
		for (const issue of checkCourse(p.course))
			problems.push(problemAt(p, issue.path, issue.message));
		if (p !== reference) {
			for (const issue of checkTranslation(reference.course, p.course)) {
				problems.push(problemAt(p, issue.path, issue.message));
			}
		}
	}

	const media = new Map<string, string>();
	for (const p of parsed) {
		for (const ref of mediaRefs(p.course)) {
			if (media.has(ref.src)) continue;
			const path = insidePath(ref.src);
			let data = path === null ? undefined : source.files.get(path);
			if (!data) {
				problems.push(
					problemAt(p, ref.path, `image "${ref.src}" does not exist in the course folder`)
				);
				continue;
			}
			const type = extname(path!).toLowerCase();
			if (!MEDIA_TYPES.has(type)) {
				problems.push(problemAt(p, ref.path, `image "${ref.src}" must be SVG, PNG, JPEG or WebP`));
				continue;
			}
			if (data.length > MAX_MEDIA_BYTES) {
				problems.push(
					problemAt(p, ref.path, `image "${ref.src}" is larger than ${MAX_MEDIA_BYTES / 1024} KB`)
				);
				continue;
			}
			if (type === '.svg' && UNSAFE_SVG.test(data.toString('utf8'))) {
				problems.push(
					problemAt(
						p,
						ref.path,
						`image "${ref.src}" contains script, an event handler or an outside link: remove it`
					)
				);
				continue;
			}
			// Drawn by hand or exported from an editor, an SVG carries comments, metadata and
			// spare digits; what the tablet stores and draws is the optimised one.
			if (type === '.svg')
				data = Buffer.from(optimize(data.toString('utf8'), { multipass: true }).data);
			const base = path!.replace(/^.*\//, '').replace(/\.[^.]+$/, '');
			const url = `${options.urlBase}/${folder}/media/${base}.${hash(data)}${type}`;
			media.set(ref.src, url);
			files.push({ url, data });
		}
	}
	if (problems.length > before) return null;

	const version = options.version ?? reference.course.version;
	const mediaUrls = [...new Set(media.values())].sort();
	const languages = parsed.map((p) => {
		const body = { ...rewriteMedia(p.course, (src) => media.get(src)!), version };
		const packHash = hash(JSON.stringify(body));
		const pack: CoursePack = { ...body, format: PACK_FORMAT, hash: packHash, media: mediaUrls };
		const url = `${options.urlBase}/${folder}/${p.course.lang}.${packHash}.json`;
		files.push({ url, data: JSON.stringify(pack) });
		return { lang: p.course.lang, url, hash: packHash, title: p.course.title };
	});
	return { id: reference.course.id, version, languages, media: mediaUrls };
}

/** Reads a course folder from disk, every file below it. */
export function readFolder(dir: string, name: string): SourceFolder {
	const files = new Map<string, Buffer>();
	const walk = (relativeDir: string) => {
		for (const entry of readdirSync(join(dir, relativeDir), { withFileTypes: true })) {
			const path = relativeDir ? `${relativeDir}/${entry.name}` : entry.name;
			if (entry.isDirectory()) walk(path);
			else if (entry.isFile()) files.set(path, readFileSync(join(dir, path)));
		}
	};
	walk('');
	return { name, files };
}

export function compileContent(root: string): CompileResult {
	const problems: ContentProblem[] = [];
	const files: CompiledFile[] = [];
	const courses = readdirSync(root)
		.filter((name) => statSync(join(root, name)).isDirectory())
		.sort()
		.map((name) =>
			compileFolder(readFolder(join(root, name), name), { urlBase: '/packs' }, problems, files)
		)
		.filter((c) => c !== null);
	const index: PackIndex = { format: PACK_FORMAT, courses };
	files.push({ url: '/packs/index.json', data: JSON.stringify(index) });
	return { index, files, problems };
}
