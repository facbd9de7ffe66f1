/**
 * The three benchmarks of run.ts, each in its own browser context (its own IndexedDB and
 * service worker) with the renderer's CPU throttled 4×. All timing happens inside the page
 * with performance.now(); Playwright only sets the scene and collects the numbers.
 */
import type { Browser, CDPSession, ElementHandle, Page } from '@playwright/test';
import type { PackIndex } from '../../src/lib/domain/course/schema';
import { expect, waitForServiceWorker } from '../../tests/e2e/support/fixtures';
import { currentStepIndex, loadIndex, loadPack, solveStep } from '../../tests/e2e/support/solver';
import type { TestServer } from '../../tests/e2e/support/server';
import { COURSE_ID, CONTEXT_OPTIONS, LABELS, newLearner, within } from './support';

export const CPU_THROTTLING_RATE = 4;

/** A fixed amount of work on the page's main thread, in ms: shows the throttling is on. */
async function calibrate(page: Page): Promise<number> {
	return page.evaluate(() => {
		const start = performance.now();
		let x = 0;
		for (let i = 0; i < 10_000_000; i++) x = (x + i * 7) % 1_000_003;
		return performance.now() - start + (x < 0 ? 1 : 0);
	});
}

export interface Throttle {
	/** The calibration loop before and after throttling; their ratio should be near the rate. */
	before: number;
	after: number;
	session: CDPSession;
}

/**
 * Throttles the page's renderer through the DevTools protocol. The session must stay attached:
 * detaching it would lift the throttling.
 */
async function throttle(page: Page): Promise<Throttle> {
	const before = await fastest(page);
	const session = await page.context().newCDPSession(page);
	await session.send('Emulation.setCPUThrottlingRate', { rate: CPU_THROTTLING_RATE });
	const after = await fastest(page);
	return { before, after, session };
}

/** The fastest of three calibration runs (the first also warms up the JIT). */
async function fastest(page: Page): Promise<number> {
	const runs = [await calibrate(page), await calibrate(page), await calibrate(page)];
	return Math.min(...runs);
}

/**
 * tsx compiles these scripts with esbuild's keepNames, which wraps named inner functions in a
 * `__name(fn, "name")` helper; functions sent into the page need that helper there too.
 */
const KEEP_NAMES_HELPER = 'globalThis.__name ??= (fn) => fn;';

async function learnerContext(
	browser: Browser,
	server: TestServer,
	name: string,
	initScript?: () => void
) {
	const context = await browser.newContext({ ...CONTEXT_OPTIONS, baseURL: server.url });
	await context.addInitScript(KEEP_NAMES_HELPER);
	if (initScript) await context.addInitScript(initScript);
	context.setDefaultTimeout(20_000);
	const page = await context.newPage();
	await newLearner(page, name);
	return { context, page };
}

function nextButton(page: Page) {
	return page.getByRole('button', { name: LABELS.next, exact: true });
}

async function openLesson(page: Page, courseId: string, lessonId: string): Promise<void> {
	await page.goto(`/learn/${courseId}/${lessonId}`);
	await page.locator('[data-step-id]').waitFor();
}

// ---------------------------------------------------------------------------------------------
// (a) Step change

export interface StepChange {
	from: string;
	/** The kind of step left: leaving an explanation first records it as completed. */
	fromKind: string;
	to: string;
	/** Click → the section carries the next step's data-step-id (the DOM was updated). */
	dom: number;
	/** Click → the end of the first frame rendered after that DOM update. */
	frame: number;
	/** Click → the back button enabled again: the step change's IndexedDB writes are done. */
	settled: number;
}

/** Clicks the next button („Weiter“) from inside the page and times the change of step. */
async function timeStepChange(page: Page): Promise<Omit<StepChange, 'fromKind'>> {
	const next = nextButton(page);
	await expect(next).toBeEnabled();
	const nextHandle = (await next.elementHandle()) as ElementHandle<HTMLButtonElement>;
	const backHandle = (await page
		.getByRole('button', { name: LABELS.back, exact: true })
		.elementHandle()) as ElementHandle<HTMLButtonElement>;
	return page.evaluate(
		({ next, back }) =>
			new Promise<Omit<StepChange, 'fromKind'>>((resolve, reject) => {
				const stepId = () => document.querySelector('[data-step-id]')?.getAttribute('data-step-id');
				const from = stepId() ?? '';
				const result: Partial<Omit<StepChange, 'fromKind'>> = { from };
				let start = 0;
				const finish = () => {
					if (result.frame === undefined || result.settled === undefined) return;
					observer.disconnect();
					clearTimeout(timer);
					resolve(result as Omit<StepChange, 'fromKind'>);
				};
				const observe = () => {
					const now = performance.now();
					if (result.dom === undefined) {
						const to = stepId();
						if (!to || to === from) return;
						result.dom = now - start;
						result.to = to;
						// rAF runs just before the frame's style, layout and paint; a message posted
						// from it is handled right after that frame has been rendered.
						requestAnimationFrame(() => {
							const channel = new MessageChannel();
							channel.port1.onmessage = () => {
								result.frame = performance.now() - start;
								finish();
							};
							channel.port2.postMessage(null);
						});
					}
					const enabled = back.isConnected && !back.disabled;
					if (result.dom !== undefined && result.settled === undefined && enabled) {
						result.settled = now - start;
						finish();
					}
				};
				const observer = new MutationObserver(observe);
				const timer = setTimeout(() => {
					observer.disconnect();
					reject(new Error(`step ${from}: no step change within 10 s (${JSON.stringify(result)})`));
				}, 10_000);
				observer.observe(document.body, {
					subtree: true,
					childList: true,
					attributes: true,
					attributeFilter: ['data-step-id', 'disabled']
				});
				start = performance.now();
				next.click();
			}),
		{ next: nextHandle, back: backHandle }
	);
}

/**
 * Plays the first course as a learner who knows the answers, timing every next button: with
 * `wholeCourse` to its end and on through further courses until `count` step changes are
 * measured, otherwise only until `count` are.
 */
export async function benchStepChanges(
	browser: Browser,
	server: TestServer,
	{ count, wholeCourse }: { count: number; wholeCourse: boolean },
	log: (line: string) => void
): Promise<{ samples: StepChange[]; throttle: Throttle }> {
	const { context, page } = await learnerContext(browser, server, 'Schritte');
	try {
		const index: PackIndex = loadIndex();
		const courses = [COURSE_ID, ...index.courses.map((c) => c.id).filter((id) => id !== COURSE_ID)];
		const first = loadPack(COURSE_ID).lessons[0]!;
		await openLesson(page, COURSE_ID, first.id);
		// The worker's install fetches every file: let it finish before anything is timed.
		await within(30_000, 'the service worker taking control', waitForServiceWorker(page));
		const cpu = await throttle(page);
		const samples: StepChange[] = [];
		for (const courseId of courses) {
			const pack = loadPack(courseId);
			for (const lesson of pack.lessons) {
				await openLesson(page, courseId, lesson.id);
				for (let i = await currentStepIndex(page); i < lesson.steps.length; i++) {
					await solveStep(page, lesson.steps[i]!);
					if (i === lesson.steps.length - 1) {
						await page.getByRole('button', { name: LABELS.finish }).click();
						await page
							.getByRole('heading', {
								name: new RegExp(`${LABELS.lessonDone}|${LABELS.courseDone}`)
							})
							.waitFor();
						break;
					}
					const sample = { ...(await timeStepChange(page)), fromKind: lesson.steps[i]!.kind };
					samples.push(sample);
					log(
						`  step change ${String(samples.length).padStart(2)}: ${sample.from} → ${sample.to}  ` +
							`${sample.frame.toFixed(1)} ms to the frame, ${sample.settled.toFixed(1)} ms settled`
					);
					if (!wholeCourse && samples.length >= count) return { samples, throttle: cpu };
				}
			}
			if (samples.length >= count) break;
		}
		if (samples.length < count)
			throw new Error(`only ${samples.length} step changes in all courses`);
		return { samples, throttle: cpu };
	} finally {
		await context.close();
	}
}

// ---------------------------------------------------------------------------------------------
// (b) Offline reload

export interface OfflineReload {
	/** Navigation start → the next button present, visible and enabled in the DOM. */
	dom: number;
	/** Navigation start → the end of the first frame rendered with it. */
	frame: number;
	/** Navigation start → the shell's response end (served by the service worker). */
	responseEnd: number;
	/** Navigation start → DOMContentLoaded handlers done. */
	domContentLoaded: number;
}

declare global {
	interface Window {
		__benchReady?: { dom: number; frame: number } | null;
	}
}

/** Runs in every new document: records when the „next“ button is first there and usable. */
function watchForNextButton(label: string): void {
	window.__benchReady = null;
	let seen = false;
	const usable = (button: HTMLButtonElement) => {
		if (button.disabled || !button.isConnected) return false;
		const box = button.getBoundingClientRect();
		return box.width > 0 && box.height > 0 && button.checkVisibility({ checkVisibilityCSS: true });
	};
	const check = () => {
		if (seen) return;
		const button = [...document.querySelectorAll('button')].find(
			(b) => b.textContent?.trim() === label
		);
		if (!button || !usable(button)) return;
		seen = true;
		observer.disconnect();
		const dom = performance.now();
		requestAnimationFrame(() => {
			const channel = new MessageChannel();
			channel.port1.onmessage = () => (window.__benchReady = { dom, frame: performance.now() });
			channel.port2.postMessage(null);
		});
	};
	const observer = new MutationObserver(check);
	observer.observe(document, {
		subtree: true,
		childList: true,
		attributes: true,
		attributeFilter: ['disabled', 'class', 'style', 'hidden']
	});
}

/**
 * With the service worker in control, stops the server and takes the browser offline, then
 * reloads a lesson page `runs` times, timing each reload to a usable next button.
 */
export async function benchOfflineReload(
	browser: Browser,
	server: TestServer,
	runs: number,
	log: (line: string) => void
): Promise<{ samples: OfflineReload[]; throttle: Throttle; throttleAfter: number }> {
	const { context, page } = await learnerContext(browser, server, 'Offline');
	try {
		const lesson = loadPack(COURSE_ID).lessons[0]!;
		await openLesson(page, COURSE_ID, lesson.id);
		await expect(nextButton(page)).toBeEnabled();
		await within(30_000, 'the service worker taking control', waitForServiceWorker(page));
		await server.stop();
		await context.setOffline(true);
		const reachable = await page.evaluate(() =>
			fetch(`/packs/index.json?offline-check=${Date.now()}`, { cache: 'no-store' }).then(
				() => true,
				() => false
			)
		);
		if (reachable) throw new Error('the network is still reachable after going offline');
		await page.addInitScript(watchForNextButton, LABELS.next);
		const cpu = await throttle(page);
		const samples: OfflineReload[] = [];
		for (let run = 1; run <= runs; run++) {
			await page.reload({ waitUntil: 'load' });
			await page.waitForFunction(() => window.__benchReady, null, { timeout: 15_000 });
			await expect(nextButton(page)).toBeEnabled();
			const sample = await page.evaluate(() => {
				const [nav] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
				return {
					dom: window.__benchReady!.dom,
					frame: window.__benchReady!.frame,
					responseEnd: nav?.responseEnd ?? Number.NaN,
					domContentLoaded: nav?.domContentLoadedEventEnd ?? Number.NaN,
					controlled: navigator.serviceWorker.controller !== null
				};
			});
			if (!sample.controlled || server.running) {
				throw new Error(
					`reload ${run} was not answered by the service worker with the server down`
				);
			}
			const { dom, frame, responseEnd, domContentLoaded } = sample;
			samples.push({ dom, frame, responseEnd, domContentLoaded });
			log(
				`  offline reload ${String(run).padStart(2)}: ${frame.toFixed(1)} ms to a usable „${LABELS.next}“`
			);
			// Let the page finish its opening writes before the next reload unloads it.
			await page.waitForTimeout(300);
		}
		// The throttling survives the reloads (the same session keeps it on every new document).
		const throttleAfter = await fastest(page);
		return { samples, throttle: cpu, throttleAfter };
	} finally {
		await context.close();
	}
}

// ---------------------------------------------------------------------------------------------
// (c) IndexedDB write of one progress event

export interface ProgressWrite {
	/** Click on the help button → the write transaction's complete event. */
	total: number;
	/** The transaction alone: created → complete. */
	transaction: number;
}

declare global {
	interface Window {
		__benchTx?: (tx: { created: number; completed: number }) => void;
	}
}

/**
 * Runs in every new document, before the app opens its database (Dexie binds the native
 * `transaction` method when it opens): wraps IDBDatabase.prototype.transaction to report each
 * read-write transaction that writes the progress store. The app's path is unchanged; the
 * wrapper only listens.
 */
function watchProgressTransactions(): void {
	const original = IDBDatabase.prototype.transaction;
	IDBDatabase.prototype.transaction = function (
		this: IDBDatabase,
		...args: Parameters<typeof original>
	) {
		const tx = original.apply(this, args);
		const stores = typeof args[0] === 'string' ? [args[0]] : [...args[0]];
		if (args[1] === 'readwrite' && stores.includes('progress')) {
			const created = performance.now();
			tx.addEventListener('complete', () =>
				window.__benchTx?.({ created, completed: performance.now() })
			);
		}
		return tx;
	} as typeof original;
}

async function timeHelpRequests(
	page: Page,
	button: ElementHandle<HTMLButtonElement>,
	count: number
): Promise<ProgressWrite[]> {
	return page.evaluate(
		async ({ button, count }) => {
			const results: ProgressWrite[] = [];
			for (let i = 0; i < count; i++) {
				const start = performance.now();
				const tx = await new Promise<{ created: number; completed: number }>((resolve, reject) => {
					const timer = setTimeout(
						() => reject(new Error('no progress write within 10 s')),
						10_000
					);
					window.__benchTx = (t) => {
						if (t.created < start) return;
						clearTimeout(timer);
						window.__benchTx = undefined;
						resolve(t);
					};
					button.click();
				});
				results.push({ total: tx.completed - start, transaction: tx.completed - tx.created });
				// Let the app react (the "noted" message) before the next tap.
				await new Promise((r) => setTimeout(r, 0));
			}
			return results;
		},
		{ button, count }
	);
}

/**
 * Taps the help button („Ich brauche Hilfe“) `count` times on a lesson's first step; each tap
 * records one help-requested event through the app's own path (one read-write transaction over
 * the progress, outbox, lessonState and meta stores).
 */
export async function benchProgressWrites(
	browser: Browser,
	server: TestServer,
	count: number,
	log: (line: string) => void
): Promise<{ samples: ProgressWrite[]; throttle: Throttle }> {
	const { context, page } = await learnerContext(
		browser,
		server,
		'Hilfe',
		watchProgressTransactions
	);
	try {
		const lesson = loadPack(COURSE_ID).lessons[0]!;
		await openLesson(page, COURSE_ID, lesson.id);
		await expect(nextButton(page)).toBeEnabled();
		await within(30_000, 'the service worker taking control', waitForServiceWorker(page));
		const cpu = await throttle(page);
		const help = page.getByRole('button', { name: LABELS.helpAsk });
		const button = (await help.elementHandle()) as ElementHandle<HTMLButtonElement>;
		const samples: ProgressWrite[] = [];
		const batch = 50;
		while (samples.length < count) {
			const size = Math.min(batch, count - samples.length);
			samples.push(
				...(await within(60_000, 'a batch of writes', timeHelpRequests(page, button, size)))
			);
			log(`  progress writes: ${samples.length}/${count}`);
		}
		await expect(page.getByText(LABELS.helpNoted)).toBeVisible();
		return { samples, throttle: cpu };
	} finally {
		await context.close();
	}
}
