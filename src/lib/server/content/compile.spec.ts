import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkPack } from '../../client/content/validate-pack';
import type { CoursePack } from '../../domain/course/schema';
import { compileContent, formatProblem, type CompileResult } from './compile';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const root = (name: string) => join(FIXTURES, name);

/** The 1-based line of the first line in a fixture file that contains `needle`. */
function lineOf(fixtureRoot: string, file: string, needle: string): number {
	const lines = readFileSync(join(fixtureRoot, file), 'utf8').split('\n');
	const index = lines.findIndex((line) => line.includes(needle));
	if (index < 0) throw new Error(`"${needle}" is not in ${file}`);
	return index + 1;
}

function fileAt(result: CompileResult, url: string) {
	const file = result.files.find((f) => f.url === url);
	if (!file) throw new Error(`no compiled file ${url}`);
	return file;
}

function packAt(result: CompileResult, url: string): CoursePack {
	return JSON.parse(String(fileAt(result, url).data)) as CoursePack;
}

const sha = (data: Buffer | string) => createHash('sha256').update(data).digest('hex').slice(0, 10);

describe('compileContent: a good course', () => {
	const result = compileContent(root('good'));
	const source = readFileSync(join(root('good'), 'first-steps/media/pic.svg'), 'utf8');
	// Optimised as the build stores it: the same picture in fewer bytes.
	const svg = Buffer.from(
		'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4" fill="#1a5fb4"/></svg>'
	);
	const mediaUrl = `/packs/first-steps/media/pic.${sha(svg)}.svg`;

	it('has no problems', () => {
		expect(result.problems).toEqual([]);
	});

	it('lists the course in the index with hashed pack URLs per language, German first', () => {
		expect(result.index.format).toBe(1);
		expect(result.index.courses).toHaveLength(1);
		const course = result.index.courses[0]!;
		expect(course).toMatchObject({ id: 'first-steps', version: 3, media: [mediaUrl] });
		expect(course.languages.map((l) => [l.lang, l.title])).toEqual([
			['de', 'Erste Schritte'],
			['en', 'First steps']
		]);
		for (const language of course.languages) {
			expect(language.hash).toMatch(/^[0-9a-f]{10}$/);
			expect(language.url).toBe(`/packs/first-steps/${language.lang}.${language.hash}.json`);
		}
		expect(course.languages[0]!.hash).not.toBe(course.languages[1]!.hash);
	});

	it('copies the image once, optimised, under a URL with the hash of its bytes', () => {
		const media = result.files.filter((f) => f.url.includes('/media/'));
		expect(media.map((f) => f.url)).toEqual([mediaUrl]);
		expect(String(media[0]!.data)).toBe(String(svg));
		expect(svg.length).toBeLessThan(Buffer.byteLength(source));
	});

	it('writes packs that the device accepts, with image sources rewritten to the hashed URL', () => {
		for (const language of result.index.courses[0]!.languages) {
			const pack = packAt(result, language.url);
			expect(checkPack(pack)).toEqual({ ok: true, pack });
			expect(pack).toMatchObject({
				format: 1,
				hash: language.hash,
				media: [mediaUrl],
				lang: language.lang
			});
			expect(pack.image?.src).toBe(mediaUrl);
			const explain = pack.lessons[0]!.steps[0]!;
			expect(explain.kind === 'explain' && explain.image?.src).toBe(mediaUrl);
		}
	});

	it('writes the index itself as /packs/index.json', () => {
		expect(JSON.parse(String(fileAt(result, '/packs/index.json').data))).toEqual(result.index);
	});

	it('gives the same URLs when compiled again', () => {
		const again = compileContent(root('good'));
		expect(again.index).toEqual(result.index);
	});
});

describe('compileContent: a changed copy of the good course', () => {
	let dir = '';
	afterEach(() => {
		if (dir) rmSync(dir, { recursive: true, force: true });
		dir = '';
	});

	function copyOfGood(): string {
		dir = mkdtempSync(join(tmpdir(), 'lernlotse-compile-'));
		cpSync(root('good'), dir, { recursive: true });
		return dir;
	}

	it('gives a changed text a new pack hash and keeps the image URL', () => {
		const before = compileContent(root('good')).index.courses[0]!;
		const copy = copyOfGood();
		const file = join(copy, 'first-steps/de.yaml');
		writeFileSync(
			file,
			readFileSync(file, 'utf8').replace('Womit tippen Sie?', 'Womit tippen Sie bitte?')
		);
		const after = compileContent(copy);
		expect(after.problems).toEqual([]);
		const course = after.index.courses[0]!;
		expect(course.languages[0]!.hash).not.toBe(before.languages[0]!.hash);
		expect(course.languages[1]!.hash).toBe(before.languages[1]!.hash);
		expect(course.media).toEqual(before.media);
	});

	it('points a YAML syntax error at its line', () => {
		const copy = copyOfGood();
		const file = join(copy, 'first-steps/en.yaml');
		writeFileSync(
			file,
			readFileSync(file, 'utf8').replace(
				"question: 'What do you tap with?'",
				"question: 'What do you tap with?"
			)
		);
		const result = compileContent(copy);
		expect(result.index.courses).toEqual([]);
		expect(result.problems.length).toBeGreaterThan(0);
		const first = result.problems[0]!;
		expect(first.file).toBe(join('first-steps', 'en.yaml'));
		expect(first.line).toBe(
			lineOf(copy, 'first-steps/en.yaml', "question: 'What do you tap with?")
		);
		expect(first.message).toMatch(/quote|scalar/i);
	});

	it('finds a translation whose steps differ from the German file', () => {
		const copy = copyOfGood();
		const file = join(copy, 'first-steps/en.yaml');
		writeFileSync(file, readFileSync(file, 'utf8').replace('- id: which', '- id: what'));
		const result = compileContent(copy);
		expect(result.index.courses).toEqual([]);
		expect(result.problems).toEqual([
			{
				file: join('first-steps', 'en.yaml'),
				line: lineOf(copy, 'first-steps/en.yaml', '- id: why'),
				column: 7,
				path: 'lessons[0].steps',
				message: 'steps must be why (explain), which (choice), tap-start (tap), as in the de file'
			}
		]);
	});

	it('finds a file whose lang does not match its name, and an id that does not match the folder', () => {
		const copy = copyOfGood();
		const file = join(copy, 'first-steps/en.yaml');
		writeFileSync(
			file,
			readFileSync(file, 'utf8')
				.replace('lang: en', 'lang: fr')
				.replace('id: first-steps', 'id: first-step')
		);
		const messages = compileContent(copy).problems.map((p) => `${p.file}:${p.line} ${p.message}`);
		expect(messages).toContain(
			`${join('first-steps', 'en.yaml')}:3 lang is "fr" but the file is named en.yaml`
		);
		expect(messages).toContain(
			`${join('first-steps', 'en.yaml')}:1 id "first-step" must match the folder name "first-steps"`
		);
	});

	it('keeps the other courses when one course is broken', () => {
		const copy = copyOfGood();
		cpSync(join(root('broken-kind'), 'first-steps'), join(copy, 'broken-course'), {
			recursive: true
		});
		const result = compileContent(copy);
		expect(result.index.courses.map((c) => c.id)).toEqual(['first-steps']);
		expect(result.problems.map((p) => p.file)).toEqual([join('broken-course', 'de.yaml')]);
	});
});

describe('compileContent: broken courses', () => {
	const shown = join('first-steps', 'de.yaml');

	it('names an unknown step kind with file, line and path', () => {
		const result = compileContent(root('broken-kind'));
		expect(result.index.courses).toEqual([]);
		expect(result.problems).toEqual([
			{
				file: shown,
				line: lineOf(root('broken-kind'), 'first-steps/de.yaml', 'kind: quiz'),
				column: 15,
				path: 'lessons[0].steps[1].kind',
				message: 'unknown step kind: use one of explain, choice, tap, input, order, practice'
			}
		]);
	});

	it('names a missing image with the line of its src', () => {
		const result = compileContent(root('missing-image'));
		expect(result.index.courses).toEqual([]);
		expect(result.problems).toEqual([
			{
				file: shown,
				line: lineOf(root('missing-image'), 'first-steps/de.yaml', 'src: media/missing.svg'),
				column: 16,
				path: 'lessons[0].steps[0].image.src',
				message: 'image "media/missing.svg" does not exist in the course folder'
			}
		]);
	});

	it('refuses an image outside the course folder, even though the file exists', () => {
		const fixture = root('path-traversal');
		expect(() => readFileSync(join(fixture, 'first-steps', '../../x.svg'))).not.toThrow();
		const result = compileContent(fixture);
		expect(result.index.courses).toEqual([]);
		expect(result.files.filter((f) => f.url.endsWith('.svg'))).toEqual([]);
		expect(result.problems).toEqual([
			{
				file: shown,
				line: lineOf(fixture, 'first-steps/de.yaml', "src: '../../x.svg'"),
				column: 8,
				path: 'image.src',
				message: 'image "../../x.svg" does not exist in the course folder'
			}
		]);
	});

	it('names a YAML error (a key given twice) with its line', () => {
		const result = compileContent(root('bad-yaml'));
		expect(result.index.courses).toEqual([]);
		expect(result.problems).toHaveLength(1);
		expect(result.problems[0]).toMatchObject({
			file: shown,
			line: lineOf(root('bad-yaml'), 'first-steps/de.yaml', "title: 'Tippen, zum zweiten Mal'"),
			path: ''
		});
		expect(result.problems[0]!.message).toMatch(/unique/i);
	});

	it('formats a problem as file:line:column path: message', () => {
		const [problem] = compileContent(root('broken-kind')).problems;
		const line = lineOf(root('broken-kind'), 'first-steps/de.yaml', 'kind: quiz');
		expect(formatProblem(problem!)).toBe(
			`${shown}:${line}:15 lessons[0].steps[1].kind: unknown step kind: use one of explain, choice, tap, input, order, practice`
		);
	});

	it('still writes an index, without the broken course', () => {
		const result = compileContent(root('missing-image'));
		expect(JSON.parse(String(fileAt(result, '/packs/index.json').data))).toEqual({
			format: 1,
			courses: []
		});
	});
});
