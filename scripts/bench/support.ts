/**
 * Shared by the budget check (budget.ts) and the benchmarks (run.ts): Debian's Chromium with
 * the flags the end-to-end tests use, a profile created the way a person creates one, and the
 * few statistics the reports print.
 */
import { existsSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContextOptions, type Page } from '@playwright/test';
import { createProfile } from '../../tests/e2e/support/fixtures';
import { BUILD_DIR } from '../../tests/e2e/support/server';

import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../tests/e2e/support/chromium';

export { CHROMIUM_ARGS, CHROMIUM_PATH };

/** The learner's browser as the end-to-end tests set it up (see playwright.config.ts). */
export const CONTEXT_OPTIONS: BrowserContextOptions = {
	locale: 'de-DE',
	viewport: { width: 1024, height: 768 }
};

/** The first course, the one a new learner starts with. */
export const COURSE_ID = 'tablet-basics';

export function launchChromium(): Promise<Browser> {
	return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** Fails early, with the fix, when there is nothing to measure. */
export function assertBuilt(): void {
	const missing = ['index.js', 'client/service-worker.js', 'client/packs/index.json'].filter(
		(file) => !existsSync(join(BUILD_DIR, file))
	);
	if (missing.length > 0) {
		throw new Error(
			`no production build in ${BUILD_DIR} (missing ${missing.join(', ')}): run \`npm run build\` first`
		);
	}
	if (!existsSync(CHROMIUM_PATH)) {
		throw new Error(`Chromium is missing at ${CHROMIUM_PATH}: see scripts/ensure-package.sh`);
	}
}

function localeFile(name: string): Record<string, unknown> {
	const file = join(BUILD_DIR, '../src/lib/i18n/locales/de', `${name}.json`);
	return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

function text(source: Record<string, unknown>, key: string): string {
	const value = key
		.split('.')
		.reduce<unknown>((at, part) => (at as Record<string, unknown>)?.[part], source);
	if (typeof value !== 'string') throw new Error(`no German text for ${key}`);
	return value;
}

/**
 * What the learner reads on the buttons, from the app's German locale files (not copied here,
 * so a reworded button does not break the measurements). The build must be current.
 */
export function loadLabels() {
	const common = localeFile('common');
	const lesson = localeFile('lesson');
	return {
		/** The home's link into a course's next lesson. */
		start: text(common, 'home.start'),
		next: text(lesson, 'next'),
		back: text(lesson, 'back'),
		finish: text(lesson, 'finish'),
		helpAsk: text(lesson, 'help.ask'),
		helpNoted: text(lesson, 'help.noted'),
		lessonDone: text(common, 'done.title'),
		courseDone: text(common, 'done.courseTitle')
	};
}

export const LABELS = loadLabels();

/** Creates a profile through the picture screen and lands on the learner home (/learn). */
export async function newLearner(page: Page, name: string): Promise<void> {
	await createProfile(page, name);
	await page.getByRole('link', { name: LABELS.start }).first().waitFor();
}

export interface Summary {
	n: number;
	min: number;
	median: number;
	p95: number;
	max: number;
	/** Interquartile range (p75 − p25). */
	iqr: number;
}

/** Nearest-rank percentile: always a value that was really measured. */
export function percentile(values: readonly number[], p: number): number {
	if (values.length === 0) return Number.NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const rank = Math.ceil((p / 100) * sorted.length);
	return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function summarize(values: readonly number[]): Summary {
	return {
		n: values.length,
		min: Math.min(...values),
		median: percentile(values, 50),
		p95: percentile(values, 95),
		max: Math.max(...values),
		iqr: percentile(values, 75) - percentile(values, 25)
	};
}

export interface Machine {
	cpu: string;
	cores: number;
	memory: string;
	node: string;
	chromium: string;
	playwright: string;
	os: string;
}

export function machineInfo(browser?: Browser): Machine {
	let cpu = cpus()[0]?.model ?? 'unknown';
	try {
		const model = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
		if (model?.[1]) cpu = model[1].trim();
	} catch {
		// not Linux: keep what os.cpus() says
	}
	let os = `${process.platform} ${process.arch}`;
	try {
		const pretty = /^PRETTY_NAME="?([^"\n]+)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'));
		if (pretty?.[1]) os = `${pretty[1]} (${process.arch})`;
	} catch {
		// keep the platform name
	}
	let chromiumVersion = browser?.version() ?? 'unknown';
	try {
		chromiumVersion = execFileSync(CHROMIUM_PATH, ['--version'], {
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'ignore']
		})
			.split('\n')[0]!
			.trim();
	} catch {
		// keep what the browser reported
	}
	const playwright = (
		JSON.parse(
			readFileSync(join(BUILD_DIR, '../node_modules/@playwright/test/package.json'), 'utf8')
		) as { version: string }
	).version;
	return {
		cpu,
		cores: cpus().length,
		memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
		node: process.version,
		chromium: chromiumVersion,
		playwright,
		os
	};
}

/** Kilobytes and megabytes are decimal here: 1 KB = 1000 bytes, 1 MB = 1000 KB. */
export const KB = 1000;
export const MB = 1000 * KB;

export const kb = (bytes: number) => `${(bytes / KB).toFixed(1)} KB`;
export const mb = (bytes: number) => `${(bytes / MB).toFixed(2)} MB`;
export const ms = (value: number) => `${value.toFixed(1)} ms`;

/** Rejects when `work` takes longer than `limit` ms, naming what did not finish. */
export async function within<T>(limit: number, what: string, work: Promise<T>): Promise<T> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const timeout = new Promise<never>((_, fail) => {
		timer = setTimeout(
			() => fail(new Error(`${what} did not finish within ${limit / 1000} s`)),
			limit
		);
	});
	try {
		return await Promise.race([work, timeout]);
	} finally {
		clearTimeout(timer);
	}
}

const cleanups = new Set<() => Promise<void>>();

/** Runs `cleanup` (stopping a server, closing a browser) also when the script is cut short. */
export function onAbort(cleanup: () => Promise<void>): () => void {
	cleanups.add(cleanup);
	return () => cleanups.delete(cleanup);
}

/**
 * Ends the script after `limit` ms or on Ctrl-C with a message, after stopping what it
 * started (the server is a child process and would otherwise outlive the script).
 */
export function guardRun(name: string, limit: number): () => void {
	const abort = (message: string, code: number) => {
		console.error(message);
		const pending = [...cleanups].map((cleanup) => cleanup().catch(() => undefined));
		void Promise.race([Promise.all(pending), new Promise((r) => setTimeout(r, 5_000))]).then(() =>
			process.exit(code)
		);
	};
	const timer = setTimeout(
		() => abort(`${name} failed: it did not finish within ${Math.round(limit / 1000)} s.`, 2),
		limit
	);
	const interrupt = () => abort(`${name} interrupted.`, 130);
	process.once('SIGINT', interrupt);
	process.once('SIGTERM', interrupt);
	return () => {
		clearTimeout(timer);
		process.off('SIGINT', interrupt);
		process.off('SIGTERM', interrupt);
	};
}
