/**
 * The benchmarks (`npm run bench`, not in CI), with Chromium's CPU throttled 4×:
 *   (a) step change: click on the next button → the next step rendered, ≥ 20 step changes;
 *   (b) offline reload of a lesson page → its next button usable, ≥ 10 reloads;
 *   (c) IndexedDB write of one progress event, as the app does it, ≥ 200 writes;
 * and the size budgets of budget.ts. A full run writes docs/benchmarks.md.
 *
 *   npx tsx scripts/bench/run.ts           full run, writes docs/benchmarks.md
 *   npx tsx scripts/bench/run.ts --smoke   ~2 samples each: proves it still works, writes nothing
 *   --wait-idle                            first waits (up to 10 min) for the machine to be quiet
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { BUILD_DIR, TestServer } from '../../tests/e2e/support/server';
import { benchOfflineReload, benchProgressWrites, benchStepChanges } from './benchmarks';
import { BUDGETS, measureBudgets, scriptLabels } from './measure-budget';
import { figures, renderReport, verdict, type RunResults } from './report';
import {
	LABELS,
	assertBuilt,
	guardRun,
	kb,
	launchChromium,
	machineInfo,
	mb,
	ms,
	onAbort
} from './support';

const smoke = process.argv.includes('--smoke');
const SIZES = smoke
	? { steps: 2, wholeCourse: false, reloads: 2, writes: 2 }
	: { steps: 20, wholeCourse: true, reloads: 12, writes: 200 };
const LIMIT_MS = (smoke ? 180_000 : 900_000) + (process.argv.includes('--wait-idle') ? 600_000 : 0);
const REPORT = join(BUILD_DIR, '../docs/benchmarks.md');

const log = (line: string) => console.log(line);

/** The build's version: a rebuild during the run would mix two builds in one report. */
const buildVersion = () =>
	(
		JSON.parse(readFileSync(join(BUILD_DIR, 'client/_app/version.json'), 'utf8')) as {
			version: string;
		}
	).version;

/** Other work on the machine slows the throttled renderer further and spreads the figures. */
const busy = () => loadavg()[0]! > cpus().length * 0.75;

async function waitIdle(): Promise<void> {
	const deadline = Date.now() + 600_000;
	while (loadavg()[0]! > cpus().length * 0.5 && Date.now() < deadline) {
		log(
			`  waiting for the machine to be quiet (load ${loadavg()[0]!.toFixed(2)} on ${cpus().length} cores)`
		);
		await new Promise((r) => setTimeout(r, 10_000));
	}
}

function git(...args: string[]): string {
	try {
		return execFileSync('git', args, { cwd: join(BUILD_DIR, '..'), encoding: 'utf8' }).trim();
	} catch {
		return '';
	}
}

async function main(): Promise<void> {
	assertBuilt();
	if (process.argv.includes('--wait-idle')) await waitIdle();
	if (busy()) {
		log(
			`Warning: the machine is busy (load ${loadavg()[0]!.toFixed(2)} on ${cpus().length} cores): the figures will be slower and noisier.`
		);
	}
	const startedAt = new Date();
	const before = loadavg();
	const buildAtStart = buildVersion();
	log(`Benchmarks${smoke ? ' (smoke: tiny sizes, nothing is written)' : ''}, CPU throttled 4×`);

	const server = await TestServer.start();
	const forgetServer = onAbort(() => server.dispose());
	const browser = await launchChromium();
	const forgetBrowser = onAbort(() => browser.close());
	const machine = machineInfo(browser);
	let results: Omit<RunResults, 'budgets' | 'seconds' | 'load'>;
	try {
		log(
			`(a) step changes (${SIZES.wholeCourse ? `the whole first course, ≥ ${SIZES.steps}` : SIZES.steps})`
		);
		const stepChanges = await benchStepChanges(
			browser,
			server,
			{ count: SIZES.steps, wholeCourse: SIZES.wholeCourse },
			log
		);
		log(`(c) progress event writes (${SIZES.writes})`);
		const writes = await benchProgressWrites(browser, server, SIZES.writes, log);
		// Last: it stops the server.
		log(`(b) offline reloads (${SIZES.reloads})`);
		const offline = await benchOfflineReload(browser, server, SIZES.reloads, log);
		results = {
			startedAt,
			command: `npx tsx scripts/bench/run.ts${smoke ? ' --smoke' : ''}`,
			machine,
			source: {
				commit: git('rev-parse', '--short', 'HEAD'),
				dirty: git('status', '--porcelain') !== '',
				build: buildAtStart
			},
			stepChanges,
			offline,
			writes,
			labels: scriptLabels(),
			nextLabel: LABELS.next
		};
	} finally {
		await browser.close();
		await server.dispose();
		forgetBrowser();
		forgetServer();
	}

	let budgets = null;
	if (!smoke) {
		log('Size budgets');
		budgets = await measureBudgets();
	}
	if (buildVersion() !== buildAtStart) {
		throw new Error(
			`the build changed during the run (${buildAtStart} → ${buildVersion()}): run it again`
		);
	}
	const full: RunResults = {
		...results,
		budgets,
		load: { before, after: loadavg() },
		seconds: (Date.now() - startedAt.getTime()) / 1000
	};

	log('');
	for (const figure of figures(full)) {
		const { n, median, p95, min, max } = figure.summary;
		const budget =
			figure.budget === undefined
				? ''
				: `  budget ≤ ${figure.budget} ms: ${verdict(figure).replaceAll('*', '')}`;
		const columns = [
			figure.name.padEnd(52),
			`n=${String(n).padStart(3)}`,
			`median ${ms(median).padStart(9)}`,
			`p95 ${ms(p95).padStart(9)}`,
			`min–max ${ms(min)}–${ms(max)}`
		];
		log(columns.join('  ') + budget);
	}
	if (budgets) {
		const { home, lesson, precache } = budgets;
		const judge = (value: number, budget: number) => (value > budget ? 'miss' : 'pass');
		log(
			`JavaScript, learner home (gzip -9)  ${kb(home.gzip)}  budget ≤ ${kb(BUDGETS.homeScripts)}: ${judge(home.gzip, BUDGETS.homeScripts)}`
		);
		log(
			`JavaScript, lesson page (gzip -9)   ${kb(lesson.gzip)}  budget ≤ ${kb(BUDGETS.lessonScripts)}: ${judge(lesson.gzip, BUDGETS.lessonScripts)}`
		);
		log(
			`Precache                            ${mb(precache.bytes)}  budget ≤ ${mb(BUDGETS.precache)}: ${judge(precache.bytes, BUDGETS.precache)}`
		);
	}
	if (smoke) {
		log('\nSmoke run: the benchmarks work; docs/benchmarks.md was not touched.');
	} else {
		const previous = existsSync(REPORT) ? readFileSync(REPORT, 'utf8') : undefined;
		writeFileSync(REPORT, renderReport(full, previous));
		log(`\nWritten to docs/benchmarks.md (${Math.round(full.seconds)} s).`);
	}
}

const done = guardRun('Benchmarks', LIMIT_MS);
main().then(done, (error: unknown) => {
	done();
	console.error(
		`Benchmarks failed: ${error instanceof Error ? (error.stack ?? error.message) : error}`
	);
	process.exitCode = 1;
});
