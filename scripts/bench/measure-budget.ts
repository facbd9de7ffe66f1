/**
 * The size budgets: JavaScript a learner's browser loads for the home and for a lesson page,
 * and everything the service worker precaches. budget.ts checks them (CI), run.ts records them.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { BrowserContext, Locator, Page, Response } from '@playwright/test';
import { loadPack } from '../../tests/e2e/support/solver';
import { BUILD_DIR, TestServer } from '../../tests/e2e/support/server';
import {
	COURSE_ID,
	CONTEXT_OPTIONS,
	KB,
	LABELS,
	MB,
	launchChromium,
	newLearner,
	onAbort
} from './support';

export const BUDGETS = {
	/**
	 * Gzipped JavaScript of the learner home (gzip -9 of each script body, summed). A ratchet at
	 * today's figure plus a little, like the lesson page: the office face (accounts) shares
	 * Svelte's and SvelteKit's runtime chunks with the learner face and took the home from
	 * 98.7 KB to 107.8 KB. The 100 KB target for every learner route is still open (see
	 * docs/benchmarks.md); lower these as the figures come down, never raise them quietly.
	 * Raised by 1 KB each on 2026-11-22 (110.8 and 120.8 KB): six languages and plain German in
	 * the language list and the display settings (contrast, text size) applied on every page.
	 * Raised again in session 5 (112.6 and 123.7 KB): courses published in the office and the
	 * city's dressing (index, placeholders, coat of arms), the file-upload practice, and the
	 * new office routes in the client's route table (+0.3 KB in the entry).
	 * Raised by 0.5 KB each in session 7 (113.0 and 124.1 KB): applying an update asks the new
	 * version until it is active and says so on its button, network work waits until the page
	 * has settled, and the course list is read one record a course (each a fix of a real fault).
	 */
	homeScripts: 113.5 * KB,
	lessonScripts: 124.5 * KB,
	/** Every precached file, uncompressed, as it is stored in the Cache Storage. */
	precache: 15 * MB
};

export interface Script {
	url: string;
	bytes: number;
	gzip: number;
}

export interface RouteScripts {
	route: string;
	label: string;
	gzip: number;
	bytes: number;
	scripts: Script[];
}

export interface PrecacheSize {
	bytes: number;
	files: number;
	/** The largest files, for finding out what grew. */
	largest: { path: string; bytes: number }[];
	/** Cross-check against the URL list inside service-worker.js (informational). */
	manifest: { urls: number; bytes: number; notInRule: string[]; ruleOnly: string[] } | null;
}

export interface BudgetFigures {
	home: RouteScripts;
	lesson: RouteScripts;
	precache: PrecacheSize;
}

function isScript(response: Response): boolean {
	if (response.request().resourceType() === 'script') return true;
	const type = response.headers()['content-type'] ?? '';
	return (
		/javascript|ecmascript/.test(type) || /\.m?js(\?|$)/.test(new URL(response.url()).pathname)
	);
}

/**
 * Loads `route` in a new tab of the learner's browser and sums the gzip size of every script
 * the tab receives until the page shows `ready` and the network has been idle for 500 ms.
 */
async function routeScripts(
	context: BrowserContext,
	session: [string, string][],
	route: string,
	label: string,
	ready: (page: Page) => Locator
): Promise<RouteScripts> {
	const page = await context.newPage();
	try {
		// A new tab starts with an empty sessionStorage, where the app keeps who is learning (a
		// shared tablet asks for the picture again). Give it the first tab's session, as the
		// browser does for a tab opened from the app, so the route itself loads, not the picker.
		await page.addInitScript((entries) => {
			for (const [key, value] of entries) {
				if (sessionStorage.getItem(key) === null) sessionStorage.setItem(key, value);
			}
		}, session);
		// Routing turns the HTTP cache off: every script comes over the wire, with its body.
		await page.route('**/*', (r) => r.continue());
		const bodies: Promise<Script | null>[] = [];
		page.on('response', (response) => {
			if (!isScript(response)) return;
			bodies.push(
				response.body().then(
					(body) => ({
						url: new URL(response.url()).pathname,
						bytes: body.length,
						gzip: gzipSync(body, { level: 9 }).length
					}),
					() => null
				)
			);
		});
		await page.goto(route);
		await ready(page).first().waitFor();
		await page.waitForLoadState('networkidle');
		const landed = new URL(page.url()).pathname;
		if (landed !== route) throw new Error(`${label}: ${route} ended up at ${landed}`);
		const seen = new Map<string, Script>();
		for (const script of await Promise.all(bodies)) {
			if (script === null) throw new Error(`${label}: a script's body could not be read`);
			seen.set(script.url, script);
		}
		const scripts = [...seen.values()].sort((a, b) => b.gzip - a.gzip);
		if (scripts.length === 0) throw new Error(`${label}: no script responses were seen`);
		return {
			route,
			label,
			scripts,
			gzip: scripts.reduce((sum, s) => sum + s.gzip, 0),
			bytes: scripts.reduce((sum, s) => sum + s.bytes, 0)
		};
	} finally {
		await page.close();
	}
}

/** JavaScript of the learner home and of the first lesson of the first course. */
export async function measureRouteScripts(): Promise<{
	home: RouteScripts;
	lesson: RouteScripts;
}> {
	const lessonId = loadPack(COURSE_ID).lessons[0]?.id;
	if (!lessonId) throw new Error(`course ${COURSE_ID} has no lessons`);
	const server = await TestServer.start();
	const forgetServer = onAbort(() => server.dispose());
	const browser = await launchChromium().catch(async (error: unknown) => {
		await server.dispose();
		throw error;
	});
	const forgetBrowser = onAbort(() => browser.close());
	try {
		// No service worker: its install fetches every file in parallel, and once it controls a
		// tab it answers from the cache. Blocking it, each load shows what the route needs from
		// the network, every time, whatever the worker's timing.
		const context = await browser.newContext({
			...CONTEXT_OPTIONS,
			baseURL: server.url,
			serviceWorkers: 'block'
		});
		context.setDefaultTimeout(15_000);
		const first = await context.newPage();
		await newLearner(first, 'Budget');
		const session = await first.evaluate(() => Object.entries(sessionStorage));
		const home = await routeScripts(context, session, '/learn', 'learner home', (page) =>
			page.getByRole('link', { name: LABELS.start })
		);
		const lesson = await routeScripts(
			context,
			session,
			`/learn/${COURSE_ID}/${lessonId}`,
			'lesson page',
			(page) => page.getByRole('button', { name: LABELS.next, exact: true })
		);
		await context.close();
		return { home, lesson };
	} finally {
		await browser.close();
		await server.dispose();
		forgetBrowser();
		forgetServer();
	}
}

function walk(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
		entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)]
	);
}

/** The precache rule: every file under build/client but the precompressed copies and READMEs. */
export function isPrecached(path: string): boolean {
	return !/\.(gz|br)$/.test(path) && !/(^|\/)README\.md$/.test(path);
}

/**
 * The URLs listed in the built service worker (`<base>+\`/path\`` in the minified output),
 * less README.md and dotfiles, which src/service-worker.ts filters out before precaching.
 */
function manifestUrls(): string[] {
	const source = readFileSync(join(BUILD_DIR, 'client/service-worker.js'), 'utf8');
	return [...source.matchAll(/[\w$]+\+`(\/[^`]*)`/g)]
		.map((m) => m[1]!)
		.filter((url) => !/(^|\/)(README\.md|\.[^/]*)$/.test(url));
}

export function measurePrecache(): PrecacheSize {
	const client = join(BUILD_DIR, 'client');
	const files = walk(client)
		.map((path) => relative(client, path))
		.filter(isPrecached)
		.map((path) => ({ path, bytes: statSync(join(client, path)).size }));
	const bytes = files.reduce((sum, f) => sum + f.bytes, 0);

	let manifest: PrecacheSize['manifest'] = null;
	const urls = manifestUrls();
	if (urls.length > 0) {
		const rule = new Set(files.map((f) => `/${f.path}`));
		const resolveUrl = (url: string) => {
			const page = url.endsWith('/') ? `${url}index.html` : url;
			for (const base of ['client', 'prerendered']) {
				try {
					return statSync(join(BUILD_DIR, base, page)).size;
				} catch {
					// try the next place
				}
			}
			return 0;
		};
		manifest = {
			urls: urls.length,
			bytes: urls.reduce((sum, url) => sum + resolveUrl(url), 0),
			notInRule: urls.filter((url) => !rule.has(url)),
			ruleOnly: [...rule].filter((path) => !urls.includes(path))
		};
	}
	return {
		bytes,
		files: files.length,
		largest: [...files].sort((a, b) => b.bytes - a.bytes).slice(0, 5),
		manifest
	};
}

/**
 * What each built script is, from the Vite manifest of the last build: route files for
 * SvelteKit's nodes, the chunk name Vite gave the others (e.g. `index-client` is Svelte's
 * runtime). Empty when the manifest is not there.
 */
export function scriptLabels(): Map<string, string> {
	const root = join(BUILD_DIR, '../.svelte-kit');
	const file = join(root, 'output/client/.vite/manifest.json');
	const labels = new Map<string, string>();
	if (!existsSync(file)) return labels;
	const manifest = JSON.parse(readFileSync(file, 'utf8')) as Record<
		string,
		{ file: string; name?: string; src?: string; isDynamicEntry?: boolean }
	>;
	for (const [key, chunk] of Object.entries(manifest)) {
		if (!chunk.file.endsWith('.js')) continue;
		let label = chunk.name ?? key;
		const node = /generated\/client-optimized\/nodes\/\d+\.js$/.exec(key);
		if (node) {
			try {
				const source = readFileSync(join(root, '..', key), 'utf8');
				const component = /from ["'](?:\.\.\/)*(?:node_modules\/)?([^"']+\.svelte)["']/.exec(
					source
				)?.[1];
				if (component) label = component;
			} catch {
				// keep the chunk name
			}
		} else if (chunk.src && !chunk.src.startsWith('_')) {
			label = chunk.src.replace(/^node_modules\//, '');
		}
		if (chunk.isDynamicEntry) label += ' (loaded on demand)';
		labels.set(`/${chunk.file}`, label);
	}
	return labels;
}

export async function measureBudgets(): Promise<BudgetFigures> {
	const precache = measurePrecache();
	const { home, lesson } = await measureRouteScripts();
	return { home, lesson, precache };
}
