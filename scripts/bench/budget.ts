/**
 * The performance budget check (`npm run budget`, run by CI after the build): the gzipped
 * JavaScript of the learner home and of a lesson page, measured in Chromium, and the size of
 * the whole precache. Prints each figure with its budget and exits 1 when one is over.
 *
 *   npx tsx scripts/bench/budget.ts [--details]
 */
import { BUDGETS, measureBudgets, scriptLabels, type RouteScripts } from './measure-budget';
import { assertBuilt, guardRun, kb, mb } from './support';

const LIMIT_MS = 50_000;
const details = process.argv.includes('--details');

interface Line {
	figure: string;
	value: string;
	budget: string;
	over: boolean;
}

function scriptList(route: RouteScripts, labels: Map<string, string>): string {
	return route.scripts
		.map((s) => {
			const label = labels.get(s.url);
			return `      ${kb(s.gzip).padStart(9)} gzip  ${kb(s.bytes).padStart(9)} raw  ${s.url}${label ? `  ${label}` : ''}`;
		})
		.join('\n');
}

async function main(): Promise<number> {
	assertBuilt();
	const started = Date.now();
	const figures = await measureBudgets();
	const { home, lesson, precache } = figures;

	const lines: Line[] = [
		...(
			[
				[home, BUDGETS.homeScripts],
				[lesson, BUDGETS.lessonScripts]
			] as const
		).map(([route, budget]) => ({
			figure: `JavaScript, ${route.label} (${route.route}), gzip -9, ${route.scripts.length} files`,
			value: kb(route.gzip),
			budget: kb(budget),
			over: route.gzip > budget
		})),
		{
			figure: `Precache, build/client without *.gz, *.br, README.md (${precache.files} files)`,
			value: mb(precache.bytes),
			budget: mb(BUDGETS.precache),
			over: precache.bytes > BUDGETS.precache
		}
	];

	console.log('Performance budgets (1 KB = 1000 bytes, 1 MB = 1000 KB)');
	const width = Math.max(...lines.map((l) => l.figure.length));
	for (const line of lines) {
		console.log(
			`  ${line.figure.padEnd(width)}  ${line.value.padStart(10)}  budget ${line.budget.padStart(9)}  ${line.over ? 'OVER BUDGET' : 'ok'}`
		);
	}
	const labels = scriptLabels();
	for (const route of [home, lesson]) {
		if (details || route.gzip > Math.min(BUDGETS.homeScripts, BUDGETS.lessonScripts)) {
			console.log(
				`\n  Scripts of the ${route.label}, largest first:\n${scriptList(route, labels)}`
			);
		}
	}
	if (details || precache.bytes > BUDGETS.precache) {
		console.log('\n  Largest precached files:');
		for (const file of precache.largest)
			console.log(`      ${kb(file.bytes).padStart(11)}  ${file.path}`);
	}
	if (precache.manifest) {
		const { urls, bytes, notInRule, ruleOnly } = precache.manifest;
		console.log(
			`\n  Cross-check: service-worker.js lists ${urls} URLs, ${mb(bytes)}` +
				(notInRule.length ? `; not counted above: ${notInRule.join(', ')}` : '') +
				(ruleOnly.length ? `; counted but not precached: ${ruleOnly.join(', ')}` : '')
		);
	}
	console.log(`\n  Measured in ${((Date.now() - started) / 1000).toFixed(1)} s.`);

	const over = lines.filter((l) => l.over);
	for (const line of over) {
		console.error(`\nOver budget: ${line.figure} is ${line.value}, the budget is ${line.budget}.`);
	}
	return over.length > 0 ? 1 : 0;
}

const done = guardRun('Budget check', LIMIT_MS);
main().then(
	(code) => {
		done();
		process.exitCode = code;
	},
	(error: unknown) => {
		done();
		console.error(
			`Budget check could not measure: ${error instanceof Error ? error.message : error}`
		);
		process.exitCode = 2;
	}
);
