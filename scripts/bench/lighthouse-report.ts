/**
 * What scripts/bench/lighthouse.ts keeps of each Lighthouse run (scores, metrics, the failed
 * audits with their items) and the "Lighthouse" section of docs/benchmarks.md it writes.
 */
import type { Result } from 'lighthouse';
import { percentile, type Machine } from './support';

/** scripts/bench/lighthouse.ts writes its section between these, below the notes (run.ts keeps it). */
export const LIGHTHOUSE_MARKERS = [
	'<!-- Lighthouse: written by scripts/bench/lighthouse.ts; run.ts keeps it (below the notes marker). -->',
	'<!-- End of the Lighthouse section. -->'
] as const;

export const CATEGORIES = ['performance', 'accessibility', 'best-practices'] as const;
export type CategoryId = (typeof CATEGORIES)[number];

export const CATEGORY_NAMES: Record<CategoryId, string> = {
	performance: 'Performance',
	accessibility: 'Accessibility',
	'best-practices': 'Best Practices'
};

/** Scores out of 100; a category meets its budget at or above this. */
export const BUDGETS: Record<CategoryId, number> = {
	performance: 95,
	accessibility: 100,
	'best-practices': 100
};

export type PageKey = 'home' | 'lesson' | 'volunteer' | 'office';

export const PAGE_NAMES: Record<PageKey, string> = {
	home: 'Learner home',
	lesson: 'Lesson step',
	volunteer: 'Volunteer check-in',
	office: 'Office dashboard'
};

const seconds = (ms: number | undefined) =>
	ms === undefined ? '—' : `${(ms / 1000).toFixed(2)} s`;
const millis = (ms: number | undefined) =>
	ms === undefined ? '—' : `${Math.round(ms).toLocaleString('en-US')} ms`;

export const METRICS = [
	{ id: 'first-contentful-paint', short: 'FCP', name: 'First Contentful Paint', format: seconds },
	{
		id: 'largest-contentful-paint',
		short: 'LCP',
		name: 'Largest Contentful Paint',
		format: seconds
	},
	{ id: 'total-blocking-time', short: 'TBT', name: 'Total Blocking Time', format: millis },
	{
		id: 'cumulative-layout-shift',
		short: 'CLS',
		name: 'Cumulative Layout Shift',
		format: (v: number | undefined) => (v === undefined ? '—' : v.toFixed(3))
	},
	{ id: 'speed-index', short: 'SI', name: 'Speed Index', format: seconds }
] as const;
export type MetricId = (typeof METRICS)[number]['id'];

/** Performance diagnostics shown with a failing performance score, whatever their own score. */
const EXPLAIN_PERFORMANCE = [
	'largest-contentful-paint-element',
	'long-tasks',
	'bootup-time',
	'mainthread-work-breakdown'
];
/** Items listed for each audit; the rest are counted. */
const MAX_ITEMS = 8;

export interface Failure {
	id: string;
	title: string;
	category: CategoryId;
	/** 0–1, or null for a diagnostic without a score. */
	score: number | null;
	displayValue: string;
	/** The audit's weight in its category (0 for diagnostics). */
	weight: number;
	/** "failed": under Lighthouse's pass mark (0.9; 1 for pass/fail audits); "context": a diagnostic. */
	kind: 'failed' | 'context';
	items: string[];
	more: number;
}

export interface RunResult {
	/** 0–100. */
	scores: Partial<Record<CategoryId, number>>;
	metrics: Partial<Record<MetricId, number>>;
	benchmarkIndex: number | null;
	warnings: string[];
	failures: Failure[];
}

export interface PageResult {
	key: PageKey;
	url: string;
	runs: RunResult[];
	/** The volunteer's roster after unlocking, audited as a snapshot (no performance). */
	snapshot: RunResult | null;
}

export interface Installability {
	url: string;
	manifestUrl: string;
	manifestErrors: string[];
	/** Chromium's own verdict (`Page.getInstallabilityErrors`), null when it has none. */
	chromiumErrors: string[] | null;
	name: string | null;
	startUrl: string | null;
	scope: string | null;
	display: string | null;
	displayOverride: string[];
	preferRelated: boolean;
	icons: {
		src: string;
		status: number;
		type: string;
		width: number;
		height: number;
		purpose: string;
	}[];
	worker: { ready: boolean; controller: string | null; scope: string | null };
	/** Status of the start URL in the Cache Storage (0: not there). */
	startCached: number;
	/** Status of `fetch(start_url)` from the page with the server stopped (0: failed). */
	startOffline: number | null;
}

export interface LighthouseResults {
	startedAt: Date;
	seconds: number;
	command: string;
	machine: Machine;
	lighthouse: string;
	load: { before: number[]; after: number[] };
	source: { commit: string; dirty: boolean; build: string };
	runs: number;
	setup: { facts: string[]; seconds: number };
	pages: PageResult[];
	installability: Installability[];
}

// ---------------------------------------------------------------------------------------------
// One run

type Details = Record<string, unknown> & { type?: string };
type Heading = {
	key: string | null;
	valueType?: string;
	label?: unknown;
	subItemsHeading?: { key: string; valueType?: string };
};

const clip = (text: string, max = 160) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const code = (text: string) => `\`${clip(text).replaceAll('`', "'").replace(/\s+/g, ' ')}\``;

function label(value: unknown): string {
	if (typeof value === 'string') return value;
	if (value && typeof value === 'object' && 'formattedDefault' in value) {
		return String((value as { formattedDefault: unknown }).formattedDefault);
	}
	return '';
}

function node(value: Record<string, unknown>): string {
	const parts: string[] = [];
	const name = typeof value.nodeLabel === 'string' ? value.nodeLabel : '';
	const snippet = typeof value.snippet === 'string' ? value.snippet : '';
	const selector = typeof value.selector === 'string' ? value.selector : '';
	if (snippet) parts.push(code(snippet));
	if (selector) parts.push(`(selector ${code(selector)})`);
	if (name && !snippet.includes(name))
		parts.push(`„${clip(name.replace(/\s+/g, ' ').trim(), 80)}“`);
	if (typeof value.explanation === 'string' && value.explanation) {
		parts.push(`— ${clip(value.explanation.replace(/\s*\n\s*/g, '; '), 400)}`);
	}
	return parts.join(' ');
}

function value(raw: unknown, valueType: string | undefined): string {
	if (raw === null || raw === undefined || raw === '') return '';
	if (typeof raw === 'object') {
		const v = raw as Record<string, unknown>;
		switch (v.type) {
			case 'node':
				return node(v);
			case 'url':
				return String(v.value);
			case 'source-location':
				return `${String(v.url)}:${Number(v.line) + 1}:${Number(v.column) + 1}`;
			case 'code':
				return code(String(v.value));
			case 'link':
				return `${String(v.text)} (${String(v.url)})`;
			case 'text':
				return String(v.value);
			case 'numeric':
				return value(v.value, valueType);
			default:
				return '';
		}
	}
	if (typeof raw === 'number') {
		switch (valueType) {
			case 'ms':
			case 'timespanMs':
				return `${Math.round(raw).toLocaleString('en-US')} ms`;
			case 'bytes':
				return `${(raw / 1000).toFixed(1)} KB`;
			default:
				return Number.isInteger(raw) ? String(raw) : raw.toFixed(3);
		}
	}
	const text = String(raw);
	return valueType === 'code' ? code(text) : clip(text, 200);
}

function tableItems(details: Details): string[] {
	const headings = (details.headings ?? []) as Heading[];
	const items = (details.items ?? []) as Record<string, unknown>[];
	return items.map((item) => {
		const cells: string[] = [];
		headings.forEach((heading, index) => {
			if (!heading.key || heading.valueType === 'thumbnail') return;
			const text = value(item[heading.key], heading.valueType);
			if (!text) return;
			const name = label(heading.label);
			cells.push(index === 0 || !name ? text : `${name}: ${text}`);
		});
		const sub = (item.subItems as { items?: Record<string, unknown>[] } | undefined)?.items ?? [];
		const subHeadings = headings.map((h) => h.subItemsHeading).filter((h) => h?.key);
		for (const subItem of sub.slice(0, 3)) {
			const parts = subHeadings.map((h) => value(subItem[h!.key], h!.valueType)).filter(Boolean);
			if (parts.length) cells.push(`related: ${parts.join(', ')}`);
		}
		return cells.join('; ');
	});
}

function detailItems(details: unknown): string[] {
	if (!details || typeof details !== 'object') return [];
	const d = details as Details;
	if (d.type === 'table' || d.type === 'opportunity') return tableItems(d).filter(Boolean);
	if (d.type === 'list') {
		return ((d.items ?? []) as Details[]).flatMap((inner) => detailItems(inner));
	}
	return [];
}

/** The same item more than once (a layout shift of the same element) is listed once, counted. */
function collapse(items: string[]): string[] {
	const counts = new Map<string, number>();
	for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
	return [...counts].map(([item, n]) => (n > 1 ? `${item} (${n} times)` : item));
}

const FAILING_MODES = new Set(['binary', 'numeric', 'metricSavings']);

/**
 * Items name the app's own files by path, and a script also by what it is (`labels`: path →
 * source, from the Vite manifest), so whoever fixes an audit knows which file to open.
 */
function readable(item: string, origin: string, labels: Map<string, string>): string {
	return item
		.replaceAll(origin, '')
		.replace(/(\/_app\/immutable\/[\w./-]+\.js)/g, (path: string) =>
			labels.has(path) ? `${path} (${labels.get(path)})` : path
		);
}

export function extractRun(lhr: Result, labels: Map<string, string> = new Map()): RunResult {
	const origin = new URL(lhr.finalDisplayedUrl).origin;
	const scores: RunResult['scores'] = {};
	const failures: Failure[] = [];
	for (const id of CATEGORIES) {
		const category = lhr.categories[id];
		if (!category) continue;
		if (category.score !== null) scores[id] = Math.round(category.score * 100);
		for (const ref of category.auditRefs) {
			const audit = lhr.audits[ref.id];
			if (!audit) continue;
			const failed =
				FAILING_MODES.has(audit.scoreDisplayMode) &&
				audit.score !== null &&
				audit.score < (audit.scoreDisplayMode === 'binary' ? 1 : 0.9) &&
				(id !== 'performance' || ref.group === 'metrics' || ref.group === 'diagnostics');
			const context = id === 'performance' && EXPLAIN_PERFORMANCE.includes(ref.id);
			if (!failed && !context) continue;
			const items = collapse(detailItems(audit.details).map((i) => readable(i, origin, labels)));
			failures.push({
				id: ref.id,
				title: audit.title,
				category: id,
				score: audit.score,
				displayValue: audit.displayValue ?? '',
				weight: ref.weight,
				kind: failed ? 'failed' : 'context',
				items: items.slice(0, MAX_ITEMS),
				more: Math.max(0, items.length - MAX_ITEMS)
			});
		}
	}
	const metrics: RunResult['metrics'] = {};
	for (const metric of METRICS) {
		const audit = lhr.audits[metric.id];
		if (audit?.numericValue !== undefined) metrics[metric.id] = audit.numericValue;
	}
	return {
		scores,
		metrics,
		benchmarkIndex: lhr.environment?.benchmarkIndex ?? null,
		warnings: (lhr.runWarnings ?? []).map(String),
		failures
	};
}

// ---------------------------------------------------------------------------------------------
// Summaries

export const score = (value: number | undefined) => (value === undefined ? '—' : String(value));

export function medianScore(page: PageResult, category: CategoryId): number | undefined {
	const values = page.runs.map((r) => r.scores[category]).filter((v) => v !== undefined);
	return values.length ? percentile(values, 50) : undefined;
}

export function medianMetric(page: PageResult, metric: MetricId): number | undefined {
	const values = page.runs.map((r) => r.metrics[metric]).filter((v) => v !== undefined);
	return values.length ? percentile(values, 50) : undefined;
}

function spread(values: (number | undefined)[], format: (v: number) => string): string {
	const known = values.filter((v): v is number => v !== undefined);
	if (known.length < 2) return '';
	const min = Math.min(...known);
	const max = Math.max(...known);
	return min === max ? '' : ` (${format(min)}–${format(max)})`;
}

export function meets(category: CategoryId, value: number | undefined): boolean {
	return value !== undefined && value >= BUDGETS[category];
}

export function installProblems(check: Installability): string[] {
	const problems: string[] = [];
	if (!check.manifestUrl) return ['no web app manifest is linked'];
	for (const error of check.manifestErrors) problems.push(`manifest: ${error}`);
	for (const error of check.chromiumErrors ?? []) problems.push(`Chromium: ${error}`);
	if (!check.name) problems.push('the manifest has neither name nor short_name');
	if (!check.startUrl) problems.push('the manifest has no start_url');
	const app = ['standalone', 'fullscreen', 'minimal-ui'];
	if (!app.includes(check.display ?? '') && !check.displayOverride.some((d) => app.includes(d))) {
		problems.push(
			`display is ${check.display ?? 'missing'}, not standalone, fullscreen or minimal-ui`
		);
	}
	if (check.preferRelated) problems.push('prefer_related_applications is true');
	const usable = check.icons.filter(
		(i) => i.status === 200 && i.type === 'image/png' && i.purpose.split(/\s+/).includes('any')
	);
	if (!usable.some((i) => i.width >= 192 && i.height >= 192)) {
		problems.push('no loadable PNG icon of at least 192 × 192 px for any purpose');
	}
	if (!usable.some((i) => i.width >= 512 && i.height >= 512)) {
		problems.push('no loadable PNG icon of at least 512 × 512 px for any purpose');
	}
	for (const icon of check.icons.filter((i) => i.status !== 200)) {
		problems.push(`icon ${icon.src} answers ${icon.status || 'nothing'}`);
	}
	if (!check.worker.controller) problems.push('no service worker controls the page');
	if (check.worker.scope && check.startUrl && !check.startUrl.startsWith(check.worker.scope)) {
		problems.push(`the start URL is outside the service worker's scope ${check.worker.scope}`);
	}
	if (check.startCached !== 200) problems.push('the start URL is not in the service worker cache');
	if (check.startOffline !== null && check.startOffline !== 200) {
		problems.push(
			`with the server stopped, the start URL answers ${check.startOffline || 'nothing'}`
		);
	}
	return problems;
}

export function installVerdict(check: Installability): string {
	const problems = installProblems(check);
	return problems.length === 0 ? 'installable' : `not installable: ${problems.join('; ')}`;
}

function pageMeetsAll(page: PageResult, installability: Installability[]): boolean {
	const install = installability.find((i) => i.url === page.url);
	return (
		CATEGORIES.every((c) => meets(c, medianScore(page, c))) &&
		(!install || installProblems(install).length === 0)
	);
}

export function summaryLines(results: LighthouseResults): string[] {
	const lines = [
		`${'Page'.padEnd(20)} ${CATEGORIES.map((c) => CATEGORY_NAMES[c].padStart(14)).join(' ')}  ${METRICS.map((m) => m.short.padStart(9)).join(' ')}  Installable`
	];
	for (const page of results.pages) {
		const install = results.installability.find((i) => i.url === page.url);
		lines.push(
			`${PAGE_NAMES[page.key].padEnd(20)} ${CATEGORIES.map((c) => {
				const median = medianScore(page, c);
				return `${score(median)} ${meets(c, median) ? 'ok' : 'MISS'}`.padStart(14);
			}).join(
				' '
			)}  ${METRICS.map((m) => m.format(medianMetric(page, m.id)).padStart(9)).join(' ')}  ${install ? (installProblems(install).length ? 'no' : 'yes') : '—'}`
		);
		if (page.snapshot) {
			lines.push(
				`${'  … roster (snapshot)'.padEnd(20)} ${''.padStart(14)} ${(
					['accessibility', 'best-practices'] as const
				)
					.map((c) => {
						const s = page.snapshot!.scores[c];
						return `${score(s)} ${meets(c, s) ? 'ok' : 'MISS'}`.padStart(14);
					})
					.join(' ')}`
			);
		}
	}
	return lines;
}

// ---------------------------------------------------------------------------------------------
// The section of docs/benchmarks.md

/** The run that stands for a category: the first whose score is the median. */
function medianRun(page: PageResult, category: CategoryId): RunResult | undefined {
	const median = medianScore(page, category);
	return page.runs.find((r) => r.scores[category] === median);
}

function failureLines(failure: Failure, runsFailed: number, runs: number): string[] {
	const score = failure.score === null ? '' : `score ${Math.round(failure.score * 100)}`;
	const weight = failure.weight > 0 ? `weight ${failure.weight}` : '';
	const facts = [failure.displayValue, score, weight].filter(Boolean).join(', ');
	const often =
		failure.kind === 'failed' && runs > 1 ? ` — failed in ${runsFailed} of ${runs} runs` : '';
	const lines = [`- \`${failure.id}\` ${failure.title}${facts ? ` (${facts})` : ''}${often}`];
	for (const item of failure.items) lines.push(`  - ${item}`);
	if (failure.more > 0) lines.push(`  - … and ${failure.more} more`);
	return lines;
}

function failedAudits(results: LighthouseResults): string {
	const blocks: string[] = [];
	for (const page of results.pages) {
		for (const category of CATEGORIES) {
			const median = medianScore(page, category);
			if (median === undefined || meets(category, median)) continue;
			const run = medianRun(page, category)!;
			const mine = run.failures.filter((f) => f.category === category);
			const failed = mine.filter((f) => f.kind === 'failed');
			const context = mine.filter((f) => f.kind === 'context');
			const count = (id: string) =>
				page.runs.filter((r) => r.failures.some((f) => f.id === id && f.kind === 'failed')).length;
			const lines = [
				`#### ${PAGE_NAMES[page.key]}: ${CATEGORY_NAMES[category]} ${median} (budget ${category === 'performance' ? '≥ ' : ''}${BUDGETS[category]})`,
				''
			];
			if (failed.length === 0) lines.push('_No audit under the pass mark in the median run._');
			for (const f of failed) lines.push(...failureLines(f, count(f.id), page.runs.length));
			// An audit that failed in another run but not in the median one.
			const others = new Map<string, Failure>();
			for (const r of page.runs) {
				for (const f of r.failures) {
					if (
						f.category === category &&
						f.kind === 'failed' &&
						!failed.some((g) => g.id === f.id)
					) {
						others.set(f.id, others.get(f.id) ?? f);
					}
				}
			}
			for (const f of others.values())
				lines.push(...failureLines(f, count(f.id), page.runs.length));
			if (context.length > 0) {
				lines.push('', 'Where the time goes (diagnostics of the same run, not scored):', '');
				for (const f of context) lines.push(...failureLines(f, 0, 1));
			}
			blocks.push(lines.join('\n'));
		}
		if (page.snapshot) {
			for (const category of ['accessibility', 'best-practices'] as const) {
				const value = page.snapshot.scores[category];
				if (value === undefined || meets(category, value)) continue;
				const lines = [
					`#### ${PAGE_NAMES[page.key]}, roster after unlocking (snapshot): ${CATEGORY_NAMES[category]} ${value} (budget ${BUDGETS[category]})`,
					''
				];
				for (const f of page.snapshot.failures.filter(
					(f) => f.category === category && f.kind === 'failed'
				)) {
					lines.push(...failureLines(f, 1, 1));
				}
				blocks.push(lines.join('\n'));
			}
		}
	}
	for (const check of results.installability) {
		const problems = installProblems(check);
		if (problems.length === 0) continue;
		const page = results.pages.find((p) => p.url === check.url);
		blocks.push(
			[
				`#### ${page ? PAGE_NAMES[page.key] : check.url}: not installable`,
				'',
				...problems.map((p) => `- ${p}`)
			].join('\n')
		);
	}
	return blocks.length ? blocks.join('\n\n') : '_None: every page meets every budget._';
}

function installTable(results: LighthouseResults): string {
	const first = results.installability[0];
	if (!first) return '_Not checked._';
	const rows = results.installability.map((check) => {
		const page = results.pages.find((p) => p.url === check.url);
		const problems = installProblems(check);
		const chromium =
			check.chromiumErrors === null
				? 'not available'
				: check.chromiumErrors.length === 0
					? 'none'
					: check.chromiumErrors.join(', ');
		return `| ${page ? PAGE_NAMES[page.key] : check.url} | ${check.manifestUrl ? `\`${new URL(check.manifestUrl).pathname}\`` : 'none'} | ${check.worker.controller ? `\`${new URL(check.worker.controller).pathname}\`, scope \`${check.worker.scope ? new URL(check.worker.scope).pathname : '?'}\`` : 'none'} | ${chromium} | ${problems.length === 0 ? 'pass' : `**miss**: ${problems.join('; ')}`} |`;
	});
	const icons = first.icons
		.map(
			(i) => `\`${i.src}\` ${i.width} × ${i.height} ${i.type || '?'} (${i.purpose}, ${i.status})`
		)
		.join(', ');
	return `| Page | Manifest | Service worker controlling it | Chromium's installability errors | Result |
| --- | --- | --- | --- | --- |
${rows.join('\n')}

The manifest (the same on every page): name „${first.name ?? '—'}“, start URL \`${first.startUrl ? new URL(first.startUrl).pathname : '—'}\`, scope \`${first.scope ? new URL(first.scope).pathname : '—'}\`, display \`${first.display ?? '—'}\`; icons ${icons || 'none'}.
The start URL is in the service worker's cache (status ${first.startCached || 'none'}) and, with the server stopped, \`fetch\` from the learner's page got ${first.startOffline === null ? 'not tried' : first.startOffline || 'no answer'}.`;
}

export function renderSection(results: LighthouseResults): string {
	const { machine, load, source } = results;
	const when = results.startedAt.toISOString().replace('T', ' ').slice(0, 16);
	const busy = load.before[0]! > machine.cores * 0.75;
	const indexes = results.pages
		.flatMap((p) => p.runs.map((r) => r.benchmarkIndex))
		.filter((v): v is number => v !== null);
	const benchmark = indexes.length
		? `${percentile(indexes, 50)} (${Math.min(...indexes)}–${Math.max(...indexes)})`
		: '—';
	const passing = results.pages.filter((p) => pageMeetsAll(p, results.installability));
	const verdict =
		passing.length === results.pages.length
			? `**Every page meets every budget** (${results.runs === 1 ? 'one run' : `medians of ${results.runs} runs`}).`
			: `**${results.pages.length - passing.length} of ${results.pages.length} pages miss a budget** (${results.runs === 1 ? 'one run' : `medians of ${results.runs} runs`}): ${results.pages
					.filter((p) => !passing.includes(p))
					.map((p) => {
						const missed = CATEGORIES.filter((c) => !meets(c, medianScore(p, c))).map(
							(c) => `${CATEGORY_NAMES[c]} ${score(medianScore(p, c))}`
						);
						const install = results.installability.find((i) => i.url === p.url);
						if (install && installProblems(install).length) missed.push('not installable');
						return `${PAGE_NAMES[p.key]} (${missed.join(', ')})`;
					})
					.join('; ')}.`;
	const rows = results.pages.flatMap((page) => {
		const install = results.installability.find((i) => i.url === page.url);
		const cells = CATEGORIES.map((c) => {
			const median = medianScore(page, c);
			const text = `${score(median)}${spread(
				page.runs.map((r) => r.scores[c]),
				String
			)}`;
			return meets(c, median) ? text : `**${text}**`;
		});
		const metrics = METRICS.map(
			(m) =>
				`${m.format(medianMetric(page, m.id))}${spread(
					page.runs.map((r) => r.metrics[m.id]),
					(v) => m.format(v)
				)}`
		);
		const path = new URL(page.url).pathname.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/, '{session}');
		const row = `| ${PAGE_NAMES[page.key]} \`${path}\` | ${page.runs.length} | ${cells.join(' | ')} | ${install ? (installProblems(install).length ? '**no**' : 'yes') : '—'} | ${metrics.join(' | ')} | ${pageMeetsAll(page, results.installability) ? 'pass' : '**miss**'} |`;
		const extra: string[] = [row];
		if (page.snapshot) {
			const s = page.snapshot.scores;
			const a11y = `${score(s.accessibility)}`;
			const bp = `${score(s['best-practices'])}`;
			extra.push(
				`| … the roster after unlocking with the PIN (snapshot) | 1 | — | ${meets('accessibility', s.accessibility) ? a11y : `**${a11y}**`} | ${meets('best-practices', s['best-practices']) ? bp : `**${bp}**`} | — | — | — | — | — | — | ${meets('accessibility', s.accessibility) && meets('best-practices', s['best-practices']) ? 'pass' : '**miss**'} |`
			);
		}
		return extra;
	});
	const warnings = [
		...new Set(results.pages.flatMap((p) => p.runs.flatMap((r) => r.warnings)).map((w) => w.trim()))
	];
	return `${LIGHTHOUSE_MARKERS[0]}

## Lighthouse

Written by \`scripts/bench/lighthouse.ts\` on ${when} UTC (${Math.round(results.seconds)} s), commit
\`${source.commit}\`${source.dirty ? ' with uncommitted changes' : ''}, build \`${source.build}\`. Not part of \`run.ts\`'s report: this section sits below the notes marker so that \`run.ts\` keeps it.

| | |
| --- | --- |
| Machine | ${machine.cpu}, ${machine.cores} cores, ${machine.memory}, ${machine.os} |
| Node | ${machine.node} |
| Chromium | ${machine.chromium}, headless, started by chrome-launcher |
| Lighthouse | ${results.lighthouse}, default (mobile) config; its CPU benchmark index on this machine: ${benchmark}, median (min–max) of the runs |
| Load average (1, 5, 15 min) | before ${load.before.map((l) => l.toFixed(2)).join(', ')}; after ${load.after.map((l) => l.toFixed(2)).join(', ')} |

${busy ? `**The machine was busy when this run started** (1-minute load ${load.before[0]!.toFixed(2)} on ${machine.cores} cores): Lighthouse times the page unthrottled and then simulates, so other work on the machine slows the measured tasks and lowers the scores.\n\n` : ''}\`\`\`sh
npm run build
${results.command}          # or: npm run bench:lighthouse
npx tsx scripts/bench/lighthouse.ts --smoke  # the learner home once; writes nothing
\`\`\`

Budgets: Performance ≥ ${BUDGETS.performance}, Accessibility ${BUDGETS.accessibility}, Best Practices ${BUDGETS['best-practices']}, installable.
${verdict}

| Page | Runs | Performance | Accessibility | Best Practices | Installable | FCP | LCP | TBT | CLS | Speed Index | Result |
| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |
${rows.join('\n')}

Medians of the runs, each score and each metric on its own, with the spread (min–max) in
brackets where the runs differed. The metrics are Lighthouse's simulated ones (Lantern: the
page is loaded unthrottled, then its network and main-thread work are replayed at slow 4G and
4× CPU). Lighthouse marks a metric good below FCP 1.8 s, LCP 2.5 s, TBT 200 ms, CLS 0.1,
Speed Index 3.4 s (its mobile thresholds). The 4× CPU factor is applied to this machine as it
is: Chrome DevTools' CPU calibration rates a mid-tier phone (Pixel 5) at a benchmark index of
about 1000 and a low-tier one (Moto G Power 2022, the phone Lighthouse's mobile preset stands
for) at 264; a quarter of this machine's index is close to the low-tier phone.${warnings.length ? `\n\nLighthouse's warnings: ${warnings.map((w) => `„${clip(w.replace(/\s+/g, ' '), 300)}“`).join('; ')}.` : ''}

### Installability

Lighthouse ${results.lighthouse.split('.')[0]} has no PWA category and no \`installable-manifest\` audit any more (both were removed in
Lighthouse 12), so the script checks what they checked itself, after the runs, in each page's tab:
the manifest as Chromium parsed it (\`Page.getAppManifest\`), Chromium's own installability errors
(\`Page.getInstallabilityErrors\`), every icon loaded and decoded, a service worker controlling the
page whose scope holds the start URL, the start URL in the service worker's cache, and, with the
server stopped, the start URL fetched from the learner's page.

${installTable(results)}

### Failed audits

Every audit under Lighthouse's pass mark (score below 90, or failed for a pass/fail audit) in each
category that misses its budget, from the run with the median score, with the items Lighthouse
names (at most ${MAX_ITEMS} an audit). For a performance miss, the diagnostics that show where the time goes follow.

${failedAudits(results)}

### Method (Lighthouse)

The production build (\`node build\`, started by \`tests/e2e/support/server.ts\` on a free port with
a new temporary \`DATA_DIR\`). Debian's Chromium (\`${'/usr/bin/chromium'}\`) is started by
chrome-launcher, headless, with the end-to-end tests' flags, \`--lang=de-DE\` and its own new
profile directory. Playwright connects to it over the DevTools protocol and makes the state as
people make it, with the end-to-end tests' helpers (${results.setup.facts.join('; ')};
${Math.round(results.setup.seconds)} s). Then Playwright disconnects, every tab is parked on
\`about:blank\`, and Lighthouse (through puppeteer-core) loads each page in the tab where its state
was made: the learner's pages in her tab (the app keeps who is learning in sessionStorage), the
check-in page in the volunteer's tab, the dashboard in the coordinator's. The pages take turns
(round 1: every page, round 2: every page, …), and each tab goes back to \`about:blank\` after its
run, so no other page runs during a measurement. After each run the script checks that Lighthouse
ended on the requested path and that the page shows what it should (the greeting, the next
button, the PIN pad, the report's heading): a redirect to a sign-in or a profile screen would fail
the run.

Lighthouse's settings are its defaults, the mobile form factor: a 412 × 823 screen at 1.75×,
simulated throttling (\`throttlingMethod: simulate\`, RTT 150 ms, 1.6 Mbit/s, CPU 4×), the
categories performance, accessibility and best-practices. Before each run Lighthouse clears the
origin's service worker, Cache Storage and the HTTP cache (its default \`clearStorageTypes\`), and
keeps cookies, IndexedDB and localStorage: each run is a first load of the page over the network
by someone whose data is already on the device, as after an update or on a new browser tab, not
a start from the service worker's precache (\`--warm\` measures that instead; it writes nothing).

Volunteer mode lives in the tab's memory: a volunteer who loads the check-in page's URL gets the
PIN pad first ("Begleitmodus ist gesperrt"), and that is what the navigation measures. The roster
itself is only reached by unlocking: after the first round the script enters the PIN in that tab
(Playwright again) and audits the unlocked roster with a Lighthouse snapshot (accessibility and
best-practices; a snapshot has no performance score).

${LIGHTHOUSE_MARKERS[1]}`;
}
