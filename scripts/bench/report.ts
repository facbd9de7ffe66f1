/**
 * Turns a benchmark run into docs/benchmarks.md. Everything above the notes marker is
 * rewritten on each full run; the notes below it are written by hand and kept.
 */
import type { OfflineReload, ProgressWrite, StepChange, Throttle } from './benchmarks';
import { CPU_THROTTLING_RATE } from './benchmarks';
import { BUDGETS, type BudgetFigures } from './measure-budget';
import { kb, mb, ms, summarize, type Machine, type Summary } from './support';

export const BUDGET_MS = { stepChange: 50, offlineReload: 1000 };

export const NOTES_MARKER =
	'<!-- Notes: everything below this line is written by hand; run.ts keeps it. -->';

/** scripts/bench/sync.ts writes its section between these, above the notes; run.ts keeps it. */
export const SYNC_MARKERS = [
	'<!-- Sync: written by scripts/bench/sync.ts; run.ts keeps it. -->',
	'<!-- End of the sync section. -->'
] as const;

/** The sync section of a report, markers included, or '' when it has none. */
export function syncSection(report: string | undefined): string {
	const start = report?.indexOf(SYNC_MARKERS[0]) ?? -1;
	const end = report?.indexOf(SYNC_MARKERS[1], start) ?? -1;
	return start >= 0 && end > start ? report!.slice(start, end + SYNC_MARKERS[1].length) : '';
}

export interface RunResults {
	startedAt: Date;
	seconds: number;
	command: string;
	machine: Machine;
	load: { before: number[]; after: number[] };
	source: { commit: string; dirty: boolean; build: string };
	stepChanges: { samples: StepChange[]; throttle: Throttle };
	offline: { samples: OfflineReload[]; throttle: Throttle; throttleAfter: number };
	writes: { samples: ProgressWrite[]; throttle: Throttle };
	budgets: BudgetFigures | null;
	labels: Map<string, string>;
	nextLabel: string;
}

export interface Figure {
	name: string;
	summary: Summary;
	budget?: number;
}

/** Judged on the p95: a budget holds for nearly every repetition, not for half of them. */
export function verdict(figure: Figure): string {
	if (figure.budget === undefined) return '—';
	const { median, p95 } = figure.summary;
	if (p95 <= figure.budget) return 'pass';
	if (median <= figure.budget) return '**miss** at p95 (median within)';
	return '**miss**';
}

export function figures(results: RunResults): Figure[] {
	const { stepChanges, offline, writes } = results;
	const steps = stepChanges.samples;
	const reloads = offline.samples;
	const tenth = Math.max(1, Math.floor(writes.samples.length / 10));
	const all: Figure[] = [
		{
			name: 'Step change: click → next step rendered (frame)',
			summary: summarize(steps.map((s) => s.frame)),
			budget: BUDGET_MS.stepChange
		},
		{ name: '… click → next step in the DOM', summary: summarize(steps.map((s) => s.dom)) },
		{
			name: '… rendered, leaving an explanation',
			summary: summarize(steps.filter((s) => s.fromKind === 'explain').map((s) => s.frame))
		},
		{
			name: '… rendered, leaving an answered step',
			summary: summarize(steps.filter((s) => s.fromKind !== 'explain').map((s) => s.frame))
		},
		{
			name: '… click → step change settled (writes done)',
			summary: summarize(steps.map((s) => s.settled))
		},
		{
			name: `Offline reload → „${results.nextLabel}“ usable (frame)`,
			summary: summarize(reloads.map((s) => s.frame)),
			budget: BUDGET_MS.offlineReload
		},
		{ name: '… → the button in the DOM', summary: summarize(reloads.map((s) => s.dom)) },
		{
			name: '… → shell response end (service worker)',
			summary: summarize(reloads.map((s) => s.responseEnd))
		},
		{
			name: '… → DOMContentLoaded done',
			summary: summarize(reloads.map((s) => s.domContentLoaded))
		},
		{
			name: 'Progress event write: click → transaction complete',
			summary: summarize(writes.samples.map((s) => s.total))
		},
		{
			name: '… the transaction alone',
			summary: summarize(writes.samples.map((s) => s.transaction))
		},
		{
			name: `… first ${tenth} writes (click → complete)`,
			summary: summarize(writes.samples.slice(0, tenth).map((s) => s.total))
		},
		{
			name: `… last ${tenth} writes (click → complete)`,
			summary: summarize(writes.samples.slice(-tenth).map((s) => s.total))
		}
	];
	return all.filter((f) => f.summary.n > 0);
}

const ratio = (t: Throttle) => (t.after / t.before).toFixed(1);

function figureTable(list: Figure[]): string {
	const rows = list.map((f) => {
		const { n, median, p95, min, max, iqr } = f.summary;
		return `| ${f.name} | ${n} | ${ms(median)} | ${ms(p95)} | ${ms(min)} – ${ms(max)} (IQR ${ms(iqr)}) | ${
			f.budget === undefined ? '—' : `≤ ${f.budget} ms`
		} | ${verdict(f)} |`;
	});
	return [
		'| Figure | n | Median | p95 | Spread: min – max (IQR) | Budget | Result |',
		'| --- | ---: | ---: | ---: | --- | ---: | --- |',
		...rows
	].join('\n');
}

function budgetSection(budgets: BudgetFigures, labels: Map<string, string>): string {
	const { home, lesson, precache } = budgets;
	const row = (name: string, value: string, over: boolean, budget: string) =>
		`| ${name} | ${value} | ≤ ${budget} | ${over ? '**miss**' : 'pass'} |`;
	const scripts = lesson.scripts
		.slice(0, 8)
		.map(
			(s) =>
				`| \`${s.url}\` | ${labels.get(s.url) ?? ''} | ${kb(s.bytes)} | ${kb(s.gzip)} | ${
					home.scripts.some((h) => h.url === s.url) ? 'yes' : 'no'
				} |`
		);
	const cross = precache.manifest
		? `The service worker's own list (${precache.manifest.urls} URLs) comes to ${mb(precache.manifest.bytes)}` +
			(precache.manifest.notInRule.length
				? `; it also precaches ${precache.manifest.notInRule.map((u) => `\`${u}\``).join(', ')} (from build/prerendered)`
				: '') +
			(precache.manifest.ruleOnly.length
				? `, and does not precache ${precache.manifest.ruleOnly.map((u) => `\`${u}\``).join(', ')}, which the rule counts`
				: '') +
			'.'
		: '';
	return [
		'| Figure | Value | Budget | Result |',
		'| --- | ---: | ---: | --- |',
		row(
			`JavaScript of the learner home \`${home.route}\`, gzip -9 (${home.scripts.length} files)`,
			kb(home.gzip),
			home.gzip > BUDGETS.homeScripts,
			kb(BUDGETS.homeScripts)
		),
		row(
			`JavaScript of a lesson page \`${lesson.route}\`, gzip -9 (${lesson.scripts.length} files)`,
			kb(lesson.gzip),
			lesson.gzip > BUDGETS.lessonScripts,
			kb(BUDGETS.lessonScripts)
		),
		row(
			`Precache: build/client without \`*.gz\`, \`*.br\`, \`README.md\` (${precache.files} files)`,
			mb(precache.bytes),
			precache.bytes > BUDGETS.precache,
			mb(BUDGETS.precache)
		),
		'',
		`Uncompressed, the scripts are ${kb(home.bytes)} (home) and ${kb(lesson.bytes)} (lesson). ${cross}`,
		'',
		'The largest scripts of the lesson page:',
		'',
		'| Script | What it is (Vite manifest) | Raw | gzip -9 | Also on the home |',
		'| --- | --- | ---: | ---: | --- |',
		...scripts
	].join('\n');
}

const METHOD = (nextLabel: string) => `## Method

All benchmarks run against the production build (\`node build\`, started by
\`tests/e2e/support/server.ts\`) in Debian's Chromium, driven by Playwright with the flags of the
end-to-end tests, locale \`de-DE\`, viewport 1024 × 768. Each benchmark has its own browser
context (its own IndexedDB and service worker) and its own learner, created through the picture
screen as a person does it. The renderer's CPU is throttled ${CPU_THROTTLING_RATE}× with the DevTools
protocol (\`Emulation.setCPUThrottlingRate\`, session kept open for the whole benchmark). A fixed
loop is timed before and after throttling; the ratio is in the results ("throttle check").
Throttling slows the page's own threads only: IndexedDB's backend and the service worker's cache
reads run in other processes at full speed. All times are \`performance.now()\` inside the page
(0.1 ms resolution, the page is not cross-origin isolated). Median and p95 are nearest-rank
percentiles, so each is a value that was really measured; a budget counts as met when the p95 is
within it. Before any timing the service worker has installed (its install fetches every file).

**Step change.** The learner plays the first course from its first lesson to its end (and on
into the next course if that gave fewer than 20 step changes), answering each step as
\`tests/e2e/support/solver.ts\` does (\`solveStep\`, not timed). For each „${nextLabel}“, a function
inside the page starts a MutationObserver on \`<body>\` (subtree, child list, the attributes
\`data-step-id\` and \`disabled\`), takes \`performance.now()\` and calls the button's \`click()\`,
which runs the app's handler synchronously. "In the DOM" is the first mutation after which the
step section's \`data-step-id\` is another step's; then a \`requestAnimationFrame\` callback posts
a message through a MessageChannel, and the message handler's time is "rendered": rAF runs just
before the frame's style, layout and paint, a task queued from it runs right after that frame.
"Settled" is when the back button is enabled again, which the page does after the step change's
IndexedDB writes (the viewed-step event, the draft) are done. The click of the next button in
each sample is a \`click()\` from script: no input event routing, no hit testing. The rendered
time is also shown by the kind of step left: leaving an explanation, the app first records it
as completed (\`LessonPlayer.next\` awaits one IndexedDB transaction) and only then shows the
next step; leaving an answered step, it only writes a draft still waiting to be saved, if any.

**Offline reload.** A new learner opens the course's first lesson (an explanation, so the next
button is enabled without an answer), the page waits until the service worker controls it
(\`waitForServiceWorker\`), then the server is stopped (\`server.stop()\`), the context goes offline
and a \`fetch\` that bypasses caches is checked to fail. An init script, present in every new
document from its start, watches the DOM with a MutationObserver and notes \`performance.now()\`
when a button with the text „${nextLabel}“ is in the document, enabled, has a size and passes
\`checkVisibility()\`; like above, the end of the next frame after that is "usable (frame)". The
page is then reloaded (\`page.reload()\`) repeatedly. \`performance.now()\` in the new document
counts from its time origin, the start of the reload navigation, so the figure covers unloading
the old page, the service worker answering with the precached shell, loading the scripts from
the precache, opening IndexedDB, loading the course and rendering the step. Each run checks the
page is controlled by the service worker and the server is still down; 300 ms pass between runs.

**Progress event write.** As the app does it: a learner on a lesson's first step taps
„Ich brauche Hilfe“, which records one \`help-requested\` event through the app's own code
(\`LessonPlayer.requestHelp\` → \`recordProgress\`: one Dexie read-write transaction over the
progress, outbox, lessonState and meta stores that adds the event and its outbox entry, re-reads
the lesson's events to derive the lesson state, and stores it). An init script wraps
\`IDBDatabase.prototype.transaction\` before the app opens its database (Dexie keeps a bound
reference to it) to note when a read-write transaction touching \`progress\` is created and when
its \`complete\` event fires; it changes nothing else. Each sample is the time from the button's
\`click()\` to that \`complete\` event, taps one after another with a macrotask between them. Every
tap adds an event to the same lesson, and each write re-reads all of that lesson's events, so
the first and the last tenth are shown separately.

**Budgets** (also \`npm run budget\`, run by CI). In a context with service workers blocked (so
every load comes from the network, the same each time, and not from the worker's cache or
racing its install), a profile is created, then the learner home \`/learn\` and a lesson page are
each loaded fresh in a new tab of the same context; the new tab gets the first tab's
sessionStorage (where the app keeps who is learning; a new tab would otherwise show the picture
screen), and routing is on so the HTTP cache is bypassed. Every script response the tab receives
until its content is shown and the network has been idle for 500 ms is counted once by URL, as
\`zlib.gzipSync(body, { level: 9 })\`. The inline bootstrap in the HTML and the service worker
script are not script responses of the page and are not counted. The precache is every file
under build/client except \`*.gz\`, \`*.br\` and \`README.md\`, uncompressed, as the Cache Storage
holds them. 1 KB = 1000 bytes, 1 MB = 1000 KB.`;

/** The report; `previous` is the file's current text, whose hand-written notes are kept. */
export function renderReport(results: RunResults, previous?: string): string {
	const { machine, load, source, stepChanges, offline, writes } = results;
	const list = figures(results);
	const notes = previous?.split(NOTES_MARKER)[1];
	const sync = syncSection(previous);
	const when = results.startedAt.toISOString().replace('T', ' ').slice(0, 16);
	return `# Benchmarks

Written by \`scripts/bench/run.ts\` on ${when} UTC (${Math.round(results.seconds)} s),
${`commit \`${source.commit}\`${source.dirty ? ' with uncommitted changes' : ''}, build \`${source.build}\`.`}

## Machine

| | |
| --- | --- |
| CPU | ${machine.cpu} |
| Cores | ${machine.cores} |
| Memory | ${machine.memory} |
| OS | ${machine.os} |
| Node | ${machine.node} |
| Chromium | ${machine.chromium} |
| Playwright | ${machine.playwright} |
| Load average (1, 5, 15 min) | before ${load.before.map((l) => l.toFixed(2)).join(', ')}; after ${load.after.map((l) => l.toFixed(2)).join(', ')} |

${
	load.before[0]! > machine.cores * 0.75
		? `**The machine was busy when this run started** (1-minute load ${load.before[0]!.toFixed(2)} on ${machine.cores} cores): other processes competed with the throttled renderer, so the times are higher and more spread than on a quiet machine.\n\n`
		: ''
}## Command

\`\`\`sh
npm run build
${results.command}          # or: npm run bench
npx tsx scripts/bench/run.ts --smoke  # a quick check that the benchmarks still work; writes nothing
npx tsx scripts/bench/budget.ts       # the budgets alone, as CI runs them (npm run budget)
\`\`\`

## Results

CPU throttled ${CPU_THROTTLING_RATE}×. Throttle check (a fixed loop, throttled ÷ unthrottled):
${[
	`step changes ${ratio(stepChanges.throttle)}×`,
	`offline reloads ${ratio(offline.throttle)}× (after the last reload ${(offline.throttleAfter / offline.throttle.before).toFixed(1)}×)`,
	`writes ${ratio(writes.throttle)}×`
].join(', ')}.

${figureTable(list)}

Rows starting with "…" break the figure above them down further and have no budget of their own;
the progress write has no budget.

### Size budgets (scripts/bench/budget.ts)

${results.budgets ? budgetSection(results.budgets, results.labels) : '_Not measured in this run._'}

${METHOD(results.nextLabel)}

${sync ? `${sync}\n\n` : ''}${NOTES_MARKER}

${notes?.trim() || '## Notes\n\n_None yet._'}
`;
}
