/**
 * The translations are complete: every language has every key German has (plural forms may
 * differ by language), keeps its placeholders, and every key the code names literally exists.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LANGUAGE, INTERFACE_LANGUAGES, LANGUAGES, NAMESPACES } from './languages';

const LOCALES = join(import.meta.dirname, 'locales');
const PLURAL = /_(zero|one|two|few|many|other)$/;

function flatten(value: unknown, prefix = ''): Map<string, string> {
	const keys = new Map<string, string>();
	for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
		const path = prefix ? `${prefix}.${key}` : key;
		if (typeof inner === 'string') keys.set(path, inner);
		else for (const [k, v] of flatten(inner, path)) keys.set(k, v);
	}
	return keys;
}

function load(lang: string, ns: string): Map<string, string> {
	return flatten(JSON.parse(readFileSync(join(LOCALES, lang, `${ns}.json`), 'utf8')));
}

const base = (key: string) => key.replace(PLURAL, '');
const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe.each(
	LANGUAGES.filter(
		(l) => l.code !== DEFAULT_LANGUAGE && INTERFACE_LANGUAGES.includes(l.code as never)
	)
)('$name', ({ code }) => {
	it.each([...NAMESPACES])(
		'has every key of the German %s namespace, with its placeholders',
		(ns) => {
			const german = load(DEFAULT_LANGUAGE, ns);
			const other = load(code, ns);
			const otherBases = new Map([...other].map(([k, v]) => [base(k), v]));
			const missing = [...german.keys()].map(base).filter((k) => !otherBases.has(k));
			expect(missing, `${code}/${ns}.json misses`).toEqual([]);
			const extra = [...other.keys()]
				.map(base)
				.filter((k) => !new Set([...german.keys()].map(base)).has(k));
			expect(extra, `${code}/${ns}.json has keys German does not`).toEqual([]);
			for (const [key, text] of german) {
				const translated = other.get(key) ?? otherBases.get(base(key))!;
				// "{{count}}" may be left out where a language spells the number out in a plural form.
				const wanted = placeholders(text).filter((p) => !(PLURAL.test(key) && p === 'count'));
				for (const name of wanted) {
					expect(translated, `${code}/${ns}.json ${key} keeps {{${name}}}`).toContain(
						`{{${name}}}`
					);
				}
			}
		}
	);
});

function sourceFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) return sourceFiles(path);
		return /\.(svelte|ts)$/.test(name) && !name.endsWith('.spec.ts') ? [path] : [];
	});
}

describe('keys named in the code', () => {
	it('exist in German', () => {
		const german = new Map(
			NAMESPACES.map((ns) => [ns, new Set([...load(DEFAULT_LANGUAGE, ns).keys()].map(base))])
		);
		const missing: string[] = [];
		const root = join(import.meta.dirname, '..', '..');
		for (const file of sourceFiles(root)) {
			const text = readFileSync(file, 'utf8');
			for (const match of text.matchAll(/\bt\(\s*'([a-z]+:)?([A-Za-z0-9_.-]+)'/g)) {
				const ns = (match[1]?.slice(0, -1) ?? 'common') as (typeof NAMESPACES)[number];
				const key = match[2]!;
				if (!german.get(ns)?.has(base(key)))
					missing.push(`${file.slice(root.length)}: ${ns}:${key}`);
			}
		}
		expect(missing).toEqual([]);
	});
});
