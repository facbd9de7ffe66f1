/**
 * Lighthouse (`npm run bench:lighthouse`, not in CI) on the four pages issue 9 names, with
 * Lighthouse's default mobile settings (simulated throttling: 4× CPU slowdown, slow 4G):
 * the learner home, a lesson step, a volunteer's check-in page and the office dashboard.
 * Budgets: Performance ≥ 95, Accessibility 100, Best Practices 100, and installable.
 * A full run writes the "Lighthouse" section of docs/benchmarks.md (below the notes marker, so
 * run.ts keeps it), with every failed audit of a category under its budget.
 *
 *   npx tsx scripts/bench/lighthouse.ts           full run: 3 runs a page, ≈ 5 min
 *   npx tsx scripts/bench/lighthouse.ts --smoke   the learner home once, < 2 min; writes nothing
 *
 * Options: --runs N (runs a page; default 3), --page home|lesson|volunteer|office (only these
 * pages, repeatable; writes nothing), --warm (keep the service worker and its caches between
 * runs: a returning visit instead of Lighthouse's usual first load; writes nothing), --save DIR
 * (every run's report as HTML and JSON), --no-write (do not touch docs/benchmarks.md).
 *
 * Debian's Chromium is started by chrome-launcher (headless, its own temporary profile). The
 * state each page needs is made as a person makes it, with the end-to-end tests' helpers, by
 * Playwright connected to that same browser over the DevTools protocol; Playwright then lets
 * go, and Lighthouse (through puppeteer-core) measures in the very tab that state was made in,
 * so it sees the same cookies, IndexedDB and sessionStorage.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
	chromium,
	expect,
	type BrowserContext,
	type Page as PlaywrightPage
} from '@playwright/test';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse, { generateReport, snapshot, type Flags, type Result } from 'lighthouse';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { sql } from 'kysely';
import { createProfile, waitForServiceWorker } from '../../tests/e2e/support/fixtures';
import { enrolTablet, withOffice, type Place } from '../../tests/e2e/support/office';
import { BUILD_DIR, TestServer } from '../../tests/e2e/support/server';
import { openVolunteerMode, planSession, unlockWithPin } from '../../tests/e2e/support/volunteer';
import { DEMO_PASSWORD, fillDemoCity } from '../demo';
import {
	CATEGORIES,
	LIGHTHOUSE_MARKERS,
	METRICS,
	extractRun,
	installVerdict,
	renderSection,
	score,
	summaryLines,
	type Installability,
	type LighthouseResults,
	type PageKey,
	type PageResult,
	type RunResult
} from './lighthouse-report';
import { scriptLabels } from './measure-budget';
import { NOTES_MARKER } from './report';
import {
	CHROMIUM_ARGS,
	CHROMIUM_PATH,
	LABELS,
	assertBuilt,
	guardRun,
	machineInfo,
	onAbort
} from './support';

const USAGE = `Usage: npx tsx scripts/bench/lighthouse.ts [--smoke] [--runs N] [--page NAME …]
       [--warm] [--save DIR] [--no-write]`;

const { values: args } = parseArgs({
	options: {
		smoke: { type: 'boolean', default: false },
		runs: { type: 'string' },
		page: { type: 'string', multiple: true },
		warm: { type: 'boolean', default: false },
		save: { type: 'string' },
		'no-write': { type: 'boolean', default: false },
		help: { type: 'boolean', short: 'h', default: false }
	}
});
if (args.help) {
	console.log(USAGE);
	process.exit(0);
}

const smoke = args.smoke;
const RUNS = smoke ? 1 : Number(args.runs ?? 3);
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error('--runs must be a whole number');
const ALL_PAGES: PageKey[] = ['home', 'lesson', 'volunteer', 'office'];
const chosen = (args.page ?? []) as string[];
for (const name of chosen) {
	if (!ALL_PAGES.includes(name as PageKey)) {
		throw new Error(`--page must be one of ${ALL_PAGES.join(', ')}`);
	}
}
const PAGES: PageKey[] = smoke
	? ['home']
	: chosen.length > 0
		? ALL_PAGES.filter((p) => chosen.includes(p))
		: ALL_PAGES;
const WRITE = !smoke && !args['no-write'] && !args.warm && PAGES.length === ALL_PAGES.length;
const LIMIT_MS = smoke ? 180_000 : 600_000 + PAGES.length * RUNS * 120_000;
const ROOT = resolve(import.meta.dirname, '../..');
const REPORT = join(ROOT, 'docs/benchmarks.md');
const LIGHTHOUSE_VERSION = (
	JSON.parse(readFileSync(join(ROOT, 'node_modules/lighthouse/package.json'), 'utf8')) as {
		version: string;
	}
).version;

/** Who uses the pages: made on the tablet (the learners) and taken from the demo city. */
const LEARNER = 'Frieda';
const SECOND_LEARNER = 'Konrad';
const PIN = '480317';
const PLACE = 'Stadtbibliothek Mitte';
const SESSION_TITLE = 'Dienstagsrunde am Tablet';
const COURSE_TITLE = 'Das Tablet kennenlernen';
const LESSON_PATH = '/learn/tablet-basics/tapping';

const log = (line: string) => console.log(line);
/** What each built script is (its source, from the Vite manifest). */
const LABELS_OF_SCRIPTS = scriptLabels();

const buildVersion = () =>
	(
		JSON.parse(readFileSync(join(BUILD_DIR, 'client/_app/version.json'), 'utf8')) as {
			version: string;
		}
	).version;

function git(...command: string[]): string {
	try {
		return execFileSync('git', command, { cwd: ROOT, encoding: 'utf8' }).trim();
	} catch {
		return '';
	}
}

/**
 * Playwright's pages of a browser it connected to over CDP have no baseURL; the end-to-end
 * helpers go to paths ("/device"), so their `goto` is given the server's origin.
 */
function withBase(page: PlaywrightPage, base: string): PlaywrightPage {
	return new Proxy(page, {
		get(target, property) {
			if (property === 'goto') {
				return (url: string, options?: Parameters<PlaywrightPage['goto']>[1]) =>
					target.goto(new URL(url, base).href, options);
			}
			const value: unknown = Reflect.get(target, property);
			return typeof value === 'function'
				? (value as (...a: unknown[]) => unknown).bind(target)
				: value;
		}
	});
}

/** The tabs the state was made in, by their DevTools target id. */
interface Tabs {
	/** Where the learner made her profile: sessionStorage says who is learning in this tab. */
	learner: string;
	/** The volunteer's tab. */
	volunteer: string;
	/** The coordinator's tab, signed in to the office. */
	office: string;
}

interface Setup {
	/** Page key → the URL Lighthouse loads. */
	urls: Record<PageKey, string>;
	tabs: Partial<Tabs>;
	/** What the setup made, for the report. */
	facts: string[];
	seconds: number;
}

/**
 * The state the pages need, made as people make it: a tablet enrolled at a library of the demo
 * city, learners who made their profiles on it, a volunteer who signed in, chose a PIN, planned
 * today's session and signed two learners up and marked one present; a coordinator signed in to
 * the office. The smoke run only makes a learner.
 */
async function prepare(cdpUrl: string, server: TestServer): Promise<Setup> {
	const started = Date.now();
	const facts: string[] = [];
	const pw = await chromium.connectOverCDP(cdpUrl);
	try {
		const context = pw.contexts()[0]!;
		const open = async () => withBase(await context.newPage(), server.url);
		const tabs: Partial<Tabs> = {};
		let volunteerUrl = '';
		const needsOffice = PAGES.some((p) => p === 'volunteer' || p === 'office');
		let demo: Awaited<ReturnType<typeof fillDemoCity>> | null = null;
		if (needsOffice) {
			log('  the demo city on the server (fillDemoCity, scale 1)');
			demo = await withOffice(server, (office) => fillDemoCity(office, { seed: 'lighthouse' }));
			facts.push(
				`the demo city of \`npm run demo\` (scale 1, ${demo.places.length} places, ${demo.learners.toLocaleString('en-US')} learners, ${demo.sessions.toLocaleString('en-US')} sessions, ${demo.events.toLocaleString('en-US')} progress events over ${demo.from} – ${demo.to})`
			);
		}

		const learner = await open();
		let place: Place | null = null;
		if (demo) {
			place = await withOffice(server, async (office) => {
				const { rows: places } = await sql<{ id: string }>`
					select id from locations where name = ${PLACE}
				`.execute(office.db);
				const { rows: admins } = await sql<{ id: string }>`
					select id from staff where email = ${demo!.admin!.email}
				`.execute(office.db);
				return { locationId: places[0]!.id, adminId: admins[0]!.id };
			});
			log(`  the tablet enrolled at ${PLACE}`);
			await enrolTablet(learner, server, place);
			facts.push(`a tablet enrolled at ${PLACE} with a code from the office (\`/device\`)`);
		}
		log(`  ${LEARNER} makes her profile`);
		await createProfile(learner, LEARNER, 'Sonne');
		// As a person waits for the home to offer the first lesson: the course packs are then in
		// IndexedDB (a lesson opened before that says it does not exist), and the service worker
		// has installed.
		await learner.getByRole('link', { name: LABELS.start }).first().waitFor();
		await waitForServiceWorker(learner);
		tabs.learner = await targetId(context, learner);
		facts.push(
			`${LEARNER} made her profile on the picture screen; the learner home and the lesson are loaded in her tab`
		);

		if (PAGES.includes('volunteer') && demo && place) {
			const volunteer = await open();
			const crew = demo.volunteers.find((v) => v.places.includes(PLACE));
			if (!crew) throw new Error(`the demo city has no volunteer at ${PLACE}`);
			log(`  ${SECOND_LEARNER} makes his profile, then ${crew.name} opens volunteer mode`);
			await createProfile(volunteer, SECOND_LEARNER, 'Baum');
			await volunteer.getByRole('button', { name: 'Person wechseln' }).click();
			await openVolunteerMode(volunteer, crew.email, DEMO_PASSWORD, PIN);
			await planSession(volunteer, { title: SESSION_TITLE, course: COURSE_TITLE, capacity: 8 });
			await volunteer.getByRole('button', { name: 'Person anmelden' }).click();
			for (const name of [LEARNER, SECOND_LEARNER]) {
				await volunteer.getByLabel('Name suchen').fill(name);
				await volunteer.getByRole('button', { name: `${name} anmelden` }).click();
				await expect(volunteer.getByText(`${name} ist angemeldet.`)).toBeVisible();
			}
			await volunteer
				.getByRole('group', { name: LEARNER })
				.getByRole('button', { name: 'Anwesend' })
				.click();
			await expect(
				volunteer.getByRole('heading', { name: /^Teilnehmende: 1 von 2/ })
			).toBeVisible();
			await expect(volunteer.getByRole('banner').getByRole('status')).toHaveText(
				/^(Gerade an das|An das) Büro gesendet/,
				{ timeout: 60_000 }
			);
			volunteerUrl = volunteer.url();
			tabs.volunteer = await targetId(context, volunteer);
			facts.push(
				`${SECOND_LEARNER} made his profile too; volunteer ${crew.name} signed in on the tablet, chose a PIN, planned today's session „${SESSION_TITLE}“, signed ${LEARNER} and ${SECOND_LEARNER} up and marked ${LEARNER} present, and the tablet synced with the office`
			);
		}

		if (PAGES.includes('office') && demo) {
			const office = await open();
			log(`  the coordinator signs in to the office`);
			await office.goto('/office/sign-in');
			await office.getByLabel('E-Mail-Adresse').fill(demo.coordinator);
			await office.getByLabel('Passwort', { exact: true }).fill(DEMO_PASSWORD);
			await office.getByRole('button', { name: 'Anmelden' }).click();
			await expect(office.getByRole('heading', { name: 'Übersicht', level: 1 })).toBeVisible();
			tabs.office = await targetId(context, office);
			facts.push(`the demo city's coordinator signed in to the office in a third tab`);
		}

		const urls = {
			home: `${server.url}/learn`,
			lesson: `${server.url}${LESSON_PATH}`,
			volunteer: volunteerUrl,
			office: `${server.url}/office/reports`
		};
		if (demo) {
			// A tablet pulls its place's history once, at its first sync; every later start only
			// asks what changed. Measured is the everyday start, so that first sync is finished
			// here (a reload and one complete sync) and not inside the runs.
			log('  the tablet finishes its first sync with the office');
			await finishFirstSync(learner);
			facts.push(`the tablet had finished its first sync with the office (its place's history)`);
		}
		// Parked: no app runs in a tab while another is measured.
		for (const page of context.pages()) await page.goto('about:blank');
		return { urls, tabs, facts, seconds: (Date.now() - started) / 1000 };
	} finally {
		// Disconnects; the browser, its tabs and their state stay.
		await pw.close();
	}
}

/** Reloads the tablet's page and waits until a sync started after that has completed. */
async function finishFirstSync(page: PlaywrightPage): Promise<void> {
	const since = Date.now();
	await page.reload();
	await expect
		.poll(
			() =>
				page.evaluate(
					() =>
						new Promise<number>((resolve, reject) => {
							const open = indexedDB.open('lernlotse');
							open.onerror = () => reject(open.error);
							open.onsuccess = () => {
								const get = open.result.transaction('meta').objectStore('meta').get('lastSyncAt');
								get.onsuccess = () => resolve(Date.parse(String(get.result?.value)) || 0);
								get.onerror = () => reject(get.error);
							};
						})
				),
			{ timeout: 120_000, intervals: [500] }
		)
		.toBeGreaterThan(since);
}

/** What each page must show once loaded, so that a redirect or an empty page is not measured. */
function expectation(key: PageKey): string {
	switch (key) {
		case 'home':
			return `Guten Tag, ${LEARNER}`;
		case 'lesson':
			return LABELS.next;
		case 'volunteer':
			return 'Begleitmodus ist gesperrt';
		case 'office':
			return 'Teilnahme und Reichweite';
	}
}

const TAB_OF: Record<PageKey, keyof Tabs> = {
	home: 'learner',
	lesson: 'learner',
	volunteer: 'volunteer',
	office: 'office'
};

async function targetId(context: BrowserContext, page: PlaywrightPage): Promise<string> {
	const session = await context.newCDPSession(page);
	try {
		const { targetInfo } = await session.send('Target.getTargetInfo');
		return targetInfo.targetId;
	} finally {
		await session.detach();
	}
}

/** Puppeteer's pages for the setup's tabs. */
async function tabsById(browser: Browser, ids: Partial<Tabs>): Promise<Map<keyof Tabs, Page>> {
	const byId = new Map<string, Page>();
	for (const page of await browser.pages()) {
		const session = await page.createCDPSession();
		const { targetInfo } = await session.send('Target.getTargetInfo');
		await session.detach();
		byId.set(targetInfo.targetId, page);
	}
	const tabs = new Map<keyof Tabs, Page>();
	for (const [name, id] of Object.entries(ids) as [keyof Tabs, string][]) {
		const page = byId.get(id);
		if (!page) throw new Error(`the ${name} tab is gone`);
		tabs.set(name, page);
	}
	return tabs;
}

function flags(): Flags {
	return {
		logLevel: 'error',
		onlyCategories: [...CATEGORIES],
		// The default: before each run Lighthouse clears the origin's service worker, Cache
		// Storage and the HTTP cache, and keeps cookies, IndexedDB and localStorage.
		disableStorageReset: args.warm
	};
}

function saveReport(result: Result, name: string): void {
	if (!args.save) return;
	mkdirSync(args.save, { recursive: true });
	writeFileSync(join(args.save, `${name}.html`), generateReport(result, 'html'));
	writeFileSync(join(args.save, `${name}.json`), JSON.stringify(result));
}

async function measure(page: Page, key: PageKey, url: string, round: number): Promise<RunResult> {
	// A tab in the background does not paint: Lighthouse would see no content.
	await page.bringToFront();
	const result = await lighthouse(url, flags(), undefined, page);
	if (!result) throw new Error(`Lighthouse gave no result for ${url}`);
	const { lhr } = result;
	if (lhr.runtimeError) {
		throw new Error(
			`Lighthouse failed on ${url}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`
		);
	}
	const path = new URL(lhr.finalDisplayedUrl).pathname;
	if (path !== new URL(url).pathname) {
		throw new Error(`${url} ended at ${lhr.finalDisplayedUrl}: the page itself was not measured`);
	}
	saveReport(lhr, `${key}-${round}`);
	const text = expectation(key);
	await page
		.waitForFunction((t) => document.body?.innerText.includes(t), { timeout: 15_000 }, text)
		.catch(async () => {
			const shown = await page.evaluate(() => document.body?.innerText.slice(0, 300) ?? '');
			throw new Error(
				`${url} does not show „${text}“ after Lighthouse's run; it shows: ${JSON.stringify(shown)}`
			);
		});
	return extractRun(lhr, LABELS_OF_SCRIPTS);
}

/** The unlocked roster cannot be loaded by URL (volunteer mode lives in the tab): a snapshot. */
async function snapshotRoster(cdpUrl: string, page: Page, url: string): Promise<RunResult> {
	const pw = await chromium.connectOverCDP(cdpUrl);
	try {
		const tab = pw
			.contexts()[0]!
			.pages()
			.find((p) => p.url() === url);
		if (!tab) throw new Error(`no tab at ${url}`);
		await unlockWithPin(tab, PIN);
		await expect(tab.getByRole('heading', { name: /^Teilnehmende: 1 von 2/ })).toBeVisible();
	} finally {
		await pw.close();
	}
	const result = await snapshot(page, {
		flags: { logLevel: 'error', onlyCategories: ['accessibility', 'best-practices'] }
	});
	if (!result) throw new Error('Lighthouse gave no snapshot of the roster');
	saveReport(result.lhr, 'volunteer-roster-snapshot');
	return extractRun(result.lhr, LABELS_OF_SCRIPTS);
}

/**
 * What Lighthouse 12 no longer checks (its PWA category and `installable-manifest` are gone):
 * the manifest as Chromium parsed it, Chromium's own installability errors, the icons, and the
 * service worker controlling the page and answering the start URL from its cache.
 */
async function checkInstallable(page: Page, url: string): Promise<Installability> {
	await page.bringToFront();
	await page.goto(url, { waitUntil: 'load' });
	const cdp = await page.createCDPSession();
	try {
		const controlled = async () =>
			page.evaluate(async () => {
				const ready = await Promise.race([
					navigator.serviceWorker.ready.then(() => true),
					new Promise<boolean>((r) => setTimeout(() => r(false), 30_000))
				]);
				if (ready && !navigator.serviceWorker.controller) {
					await Promise.race([
						new Promise((r) =>
							navigator.serviceWorker.addEventListener('controllerchange', r, { once: true })
						),
						new Promise((r) => setTimeout(r, 10_000))
					]);
				}
				const registration = await navigator.serviceWorker.getRegistration();
				return {
					ready,
					controller: navigator.serviceWorker.controller?.scriptURL ?? null,
					scope: registration?.scope ?? null
				};
			});
		const worker = await controlled();
		const manifest = await cdp.send('Page.getAppManifest');
		let chromiumErrors: string[] | null = null;
		try {
			const answer = (await cdp.send('Page.getInstallabilityErrors')) as {
				installabilityErrors: {
					errorId: string;
					errorArguments: { name: string; value: string }[];
				}[];
			};
			chromiumErrors = answer.installabilityErrors.map(
				(e) =>
					`${e.errorId}${e.errorArguments.length ? ` (${e.errorArguments.map((a) => `${a.name}: ${a.value}`).join(', ')})` : ''}`
			);
		} catch {
			chromiumErrors = null;
		}
		const data = manifest.data
			? (JSON.parse(manifest.data) as {
					name?: string;
					short_name?: string;
					start_url?: string;
					scope?: string;
					display?: string;
					display_override?: string[];
					prefer_related_applications?: boolean;
					icons?: { src: string; sizes?: string; type?: string; purpose?: string }[];
				})
			: null;
		const manifestUrl = manifest.url;
		const startUrl = data?.start_url ? new URL(data.start_url, manifestUrl).href : null;
		const icons = await page.evaluate(
			async (list, base) => {
				const out: {
					src: string;
					status: number;
					type: string;
					width: number;
					height: number;
					purpose: string;
				}[] = [];
				for (const icon of list) {
					const href = new URL(icon.src, base).href;
					try {
						const response = await fetch(href, { cache: 'no-store' });
						const blob = await response.blob();
						const bitmap = await createImageBitmap(blob).catch(() => null);
						out.push({
							src: icon.src,
							status: response.status,
							type: blob.type,
							width: bitmap?.width ?? 0,
							height: bitmap?.height ?? 0,
							purpose: icon.purpose ?? 'any'
						});
					} catch {
						out.push({
							src: icon.src,
							status: 0,
							type: '',
							width: 0,
							height: 0,
							purpose: icon.purpose ?? 'any'
						});
					}
				}
				return out;
			},
			data?.icons ?? [],
			manifestUrl
		);
		const startCached = startUrl
			? await page.evaluate(async (href) => {
					// Workbox keys precached files by URL with a __WB_REVISION__ parameter.
					const hit = await caches.match(href, { ignoreSearch: true });
					return hit ? hit.status : 0;
				}, startUrl)
			: 0;
		return {
			url,
			manifestUrl,
			manifestErrors: manifest.errors.map((e) => `${e.critical ? 'critical: ' : ''}${e.message}`),
			chromiumErrors,
			name: data?.name ?? data?.short_name ?? null,
			startUrl,
			scope: data?.scope ? new URL(data.scope, manifestUrl).href : null,
			display: data?.display ?? null,
			displayOverride: data?.display_override ?? [],
			preferRelated: data?.prefer_related_applications === true,
			icons,
			worker,
			startCached,
			startOffline: null
		};
	} finally {
		await cdp.detach();
	}
}

/** With the server stopped: does the page's service worker answer the start URL? */
async function startUrlOffline(page: Page, startUrl: string): Promise<number> {
	return page.evaluate(async (href) => {
		try {
			const response = await fetch(href);
			return response.status;
		} catch {
			return 0;
		}
	}, startUrl);
}

async function main(): Promise<void> {
	assertBuilt();
	const startedAt = new Date();
	const before = loadavg();
	if (before[0]! > cpus().length * 0.75) {
		log(
			`Warning: the machine is busy (load ${before[0]!.toFixed(2)} on ${cpus().length} cores): the scores will be lower and noisier.`
		);
	}
	const buildAtStart = buildVersion();
	log(
		`Lighthouse ${LIGHTHOUSE_VERSION}${smoke ? ' (smoke: the learner home once, nothing is written)' : ''}: ${PAGES.join(', ')}, ${RUNS} run${RUNS === 1 ? '' : 's'} each${args.warm ? ', warm (storage kept)' : ''}`
	);

	const server = await TestServer.start();
	const forgetServer = onAbort(() => server.dispose());
	const profile = mkdtempSync(join(tmpdir(), 'lernlotse-lighthouse-'));
	const chrome = await chromeLauncher.launch({
		chromePath: CHROMIUM_PATH,
		userDataDir: profile,
		chromeFlags: ['--headless=new', ...CHROMIUM_ARGS, '--lang=de-DE', '--accept-lang=de-DE'],
		logLevel: 'error',
		handleSIGINT: false
	});
	const forgetChrome = onAbort(async () => {
		chrome.kill();
		rmSync(profile, { recursive: true, force: true });
	});
	const cdpUrl = `http://127.0.0.1:${chrome.port}`;
	const machine = machineInfo();
	let browser: Browser | null = null;
	const pages = new Map<PageKey, PageResult>();
	let installability: Installability[] = [];
	let setup: Setup;
	try {
		log('Setup, as people do it:');
		setup = await prepare(cdpUrl, server);
		log(`  ready in ${Math.round(setup.seconds)} s`);
		browser = await puppeteer.connect({ browserURL: cdpUrl, defaultViewport: null });
		const tabs = await tabsById(browser, setup.tabs);
		for (const key of PAGES)
			pages.set(key, { key, url: setup.urls[key], runs: [], snapshot: null });

		for (let round = 1; round <= RUNS; round++) {
			for (const key of PAGES) {
				const entry = pages.get(key)!;
				const page = tabs.get(TAB_OF[key])!;
				const started = Date.now();
				const run = await measure(page, key, entry.url, round);
				entry.runs.push(run);
				log(
					`  ${key.padEnd(9)} run ${round}/${RUNS}: ${CATEGORIES.map((c) => `${c} ${score(run.scores[c])}`).join(', ')}; ${METRICS.map((m) => `${m.short} ${m.format(run.metrics[m.id])}`).join(', ')} (${Math.round((Date.now() - started) / 1000)} s)`
				);
				if (key === 'volunteer' && round === 1 && !smoke) {
					entry.snapshot = await snapshotRoster(cdpUrl, page, entry.url);
					log(
						`  volunteer roster (snapshot, unlocked): accessibility ${score(entry.snapshot.scores.accessibility)}, best-practices ${score(entry.snapshot.scores['best-practices'])}`
					);
				}
				await page.goto('about:blank');
			}
		}

		log('Installability:');
		for (const key of PAGES) {
			const page = tabs.get(TAB_OF[key])!;
			const check = await checkInstallable(page, pages.get(key)!.url);
			installability.push(check);
			await page.goto('about:blank');
		}
		// Offline: the server stops, and the learner's tab asks for the start URL.
		const first = installability[0]!;
		if (first.startUrl) {
			const page = tabs.get(TAB_OF[PAGES[0]!])!;
			await page.goto(pages.get(PAGES[0]!)!.url, { waitUntil: 'load' });
			await server.stop();
			const status = await startUrlOffline(page, first.startUrl);
			installability = installability.map((i) => ({ ...i, startOffline: status }));
		}
		for (const check of installability) {
			log(
				`  ${check.url}: ${installVerdict(check)} (Chromium's installability errors: ${check.chromiumErrors === null ? 'not available' : check.chromiumErrors.length === 0 ? 'none' : check.chromiumErrors.join(', ')}; start URL offline: ${check.startOffline ?? 'not tried'})`
			);
		}
	} finally {
		await browser?.disconnect();
		chrome.kill();
		rmSync(profile, { recursive: true, force: true });
		await server.dispose();
		forgetChrome();
		forgetServer();
	}

	if (buildVersion() !== buildAtStart) {
		throw new Error(
			`the build changed during the run (${buildAtStart} → ${buildVersion()}): run it again`
		);
	}
	const results: LighthouseResults = {
		startedAt,
		seconds: (Date.now() - startedAt.getTime()) / 1000,
		command: ['npx tsx scripts/bench/lighthouse.ts', ...commandArgs()].join(' '),
		machine,
		lighthouse: LIGHTHOUSE_VERSION,
		load: { before, after: loadavg() },
		source: {
			commit: git('rev-parse', '--short', 'HEAD'),
			dirty: git('status', '--porcelain') !== '',
			build: buildAtStart
		},
		runs: RUNS,
		setup: { facts: setup.facts, seconds: setup.seconds },
		pages: [...pages.values()],
		installability
	};
	const section = renderSection(results);
	log('');
	log(summaryLines(results).join('\n'));
	if (WRITE) {
		writeSection(section);
		log(
			`\nWritten to the Lighthouse section of docs/benchmarks.md (${Math.round(results.seconds)} s).`
		);
	} else {
		log(
			`\n${smoke ? 'Smoke run' : 'Done'} (${Math.round(results.seconds)} s): docs/benchmarks.md was not touched.`
		);
	}
}

/** The options that change what is measured (not where the reports are saved). */
function commandArgs(): string[] {
	const given = process.argv.slice(2);
	return given.filter(
		(arg, i) => !arg.startsWith('--save') && !(given[i - 1] === '--save' && !arg.startsWith('--'))
	);
}

function section(text: string): string {
	const start = text.indexOf(LIGHTHOUSE_MARKERS[0]);
	const end = text.indexOf(LIGHTHOUSE_MARKERS[1], start);
	return start >= 0 && end > start ? text.slice(start, end + LIGHTHOUSE_MARKERS[1].length) : '';
}

/** Replaces the section, or adds it at the end: below the notes marker, where run.ts keeps it. */
function writeSection(next: string): void {
	const previous = existsSync(REPORT) ? readFileSync(REPORT, 'utf8') : '';
	const old = section(previous);
	let text: string;
	if (old) text = previous.replace(old, () => next);
	else if (previous.includes(NOTES_MARKER)) text = `${previous.trimEnd()}\n\n${next}\n`;
	else text = `${previous.trimEnd()}\n\n${NOTES_MARKER}\n\n${next}\n`;
	writeFileSync(REPORT, text);
}

const done = guardRun('Lighthouse benchmark', LIMIT_MS);
main().then(done, (error: unknown) => {
	done();
	console.error(
		`Lighthouse benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : error}`
	);
	process.exitCode = 1;
});
