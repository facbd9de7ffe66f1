/**
 * The benchmarks (`npm run bench`, not in CI), with Chromium's CPU throttled 4×:
 *   (a) step change: click on the next button → the next step rendered, ≥ 20 step changes;
 *   (b) offline reload of a lesson page → its next button usable, ≥ 10 reloads;
 *   (c) IndexedDB write of one progress event, as the app does it, ≥ 200 writes;
 * and the size budgets of budget.ts. A full run writes docs/benchmarks.md.
 *
 *   npx tsx scripts/bench/run.ts           full run, writes docs/benchmarks.md
 *   npx tsx scripts/bench/run.ts --smoke   ~2 samples each: proves it still works, writes nothing
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { BUILD_DIR, TestServer } from '../../tests/e2e/support/server';
import { benchOfflineReload, benchProgressWrites, benchStepChanges } from './benchmarks';
import { measureBudgets, scriptLabels } from './measure-budget';
import { figures, renderReport, verdict, type RunResults } from './report';
import { LABELS, assertBuilt, guardRun, launchChromium, machineInfo, ms, onAbort } from './support';

const smoke = process.argv.includes('--smoke');
const SIZES = smoke
	? { steps: 2, wholeCourse: false, reloads: 2, writes: 2 }
	: { steps: 20, wholeCourse: true, reloads: 12, writes: 200 };
const LIMIT_MS = smoke ? 180_000 : 900_000;
const REPORT = join(BUILD_DIR, '../docs/benchmarks.md');

const log = (line: string) => console.log(line);

function git(...args: string[]): string {
	try {
		return execFileSync('git', args, { cwd: join(BUILD_DIR, '..'), encoding: 'utf8' }).trim();
	} catch {
		return '';
	}
}

async function main(): Promise<void> {
	assertBuilt();
	const startedAt = new Date();
	const before = loadavg();
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
		const build = (
			JSON.parse(readFileSync(join(BUILD_DIR, 'client/_app/version.json'), 'utf8')) as {
				version: string;
			}
		).version;
		results = {
			startedAt,
			command: `npx tsx scripts/bench/run.ts${smoke ? ' --smoke' : ''}`,
			machine,
			source: {
				commit: git('rev-parse', '--short', 'HEAD'),
				dirty: git('status', '--porcelain') !== '',
				build
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
		log(
			`${figure.name.padEnd(52)} n=${String(n).padStart(3)}  median ${ms(median).padStart(9)}  p95 ${ms(p95).padStart(9)}  min–max ${ms(min)}–${ms(max)}${budget}`
		);
	}
	if (budgets) {
		log(
			`JavaScript: learner home ${(budgets.home.gzip / 1000).toFixed(1)} KB, lesson ${(budgets.lesson.gzip / 1000).toFixed(1)} KB gzip (budget 100 KB each); precache ${(budgets.precache.bytes / 1e6).toFixed(2)} MB (budget 15 MB)`
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
