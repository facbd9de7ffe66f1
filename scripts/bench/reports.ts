/**
 * The report benchmarks of the office server (not in CI; the smoke mode is meant for it): how
 * long the attendance and reach report takes on a big demo city, on SQLite and PostgreSQL, in
 * process (no HTTP): `buildReport` for a quarter, a year and the whole range over all places, a
 * quarter at one place and a quarter for one course; the list of held sessions behind a
 * quarter (`heldSessionList`); and a year's CSV export (`buildReport`, `figureTable`, `toCsv`).
 * Budget: 500 ms a report. A full run writes the "Reports" section of docs/benchmarks.md.
 *
 *   npx tsx scripts/bench/reports.ts           full run: scale 40, 24 months, ≈ 10–15 min
 *                                              the first time (the demo city is made once and
 *                                              kept under /tmp), a few minutes after that
 *   npx tsx scripts/bench/reports.ts --smoke   tiny sizes, < 1 min: proves it still works;
 *                                              writes nothing, never judges the times
 *
 * Options: --scale N, --months M, --seed S (the demo city), --runs R (timed runs a report),
 * --database-url URL (a PostgreSQL server where it may create and drop a database; default
 * TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:25432/postgres; in smoke mode
 * PostgreSQL is only used when one of these is given), --fresh (make the demo city again
 * instead of using the cached one), --no-write (do not touch docs/benchmarks.md), --explain
 * (print every statement's plan: EXPLAIN QUERY PLAN on SQLite, EXPLAIN ANALYZE on PostgreSQL).
 *
 * The SQLite database is made by `fillDemoCity` (most of the time goes into argon2 hashes for
 * the staff accounts) in a cache directory keyed by scale, months, seed and "now", and reused.
 * The PostgreSQL database is created on the server for each run, migrated, and filled with a
 * copy of every row of that SQLite database (the same city, without hashing the passwords
 * again), then analysed; it is dropped at the end.
 */
import { execFileSync } from 'node:child_process';
import {
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	renameSync,
	rmSync,
	writeFileSync
} from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import {
	AliasNode,
	CompiledQuery,
	SelectQueryNode,
	TableNode,
	sql,
	type Kysely,
	type KyselyPlugin,
	type OperationNode,
	type PluginTransformQueryArgs,
	type PluginTransformResultArgs,
	type QueryResult,
	type RawBuilder,
	type RootOperationNode,
	type UnknownRow
} from 'kysely';
import { toCsv } from '../../src/lib/domain/reports/csv';
import { quarterOf, type Period } from '../../src/lib/domain/reports/period';
import { addDays } from '../../src/lib/domain/sessions/calendar';
import { courseCatalogue } from '../../src/lib/server/content/catalogue';
import {
	openDatabase,
	type Dialect,
	type OfficeDatabase
} from '../../src/lib/server/db/connection';
import { migrateToLatest } from '../../src/lib/server/db/migrate';
import { readerCount } from '../../src/lib/server/db/readers';
import type { Database } from '../../src/lib/server/db/schema';
import { recordLessonCompletions, refreshSessionFacts } from '../../src/lib/server/reports/facts';
import { buildReport, type ReportFilter } from '../../src/lib/server/reports/figures';
import { namer } from '../../src/lib/server/reports/load';
import { heldSessionList } from '../../src/lib/server/reports/sessions';
import { figureTable } from '../../src/lib/server/reports/tables';
import { createPostgresDatabase } from '../../tests/integration/support/databases';
import { fillDemoCity, type DemoSummary } from '../demo';
import { SERIES, localDate } from '../demo/simulate';
import { NOTES_MARKER, verdict } from './report';
import { guardRun, machineInfo, ms, onAbort, summarize, type Summary } from './support';

const USAGE = `Usage: npx tsx scripts/bench/reports.ts [--smoke] [--scale N] [--months M] [--seed S]
       [--runs R] [--database-url URL] [--fresh] [--no-write] [--explain]`;

const { values: args } = parseArgs({
	options: {
		smoke: { type: 'boolean', default: false },
		scale: { type: 'string' },
		months: { type: 'string' },
		seed: { type: 'string' },
		runs: { type: 'string' },
		'database-url': { type: 'string' },
		fresh: { type: 'boolean', default: false },
		'no-write': { type: 'boolean', default: false },
		explain: { type: 'boolean', default: false },
		help: { type: 'boolean', short: 'h', default: false }
	}
});
if (args.help) {
	console.log(USAGE);
	process.exit(0);
}

const smoke = args.smoke;
const wholeNumber = (text: string | undefined, fallback: number, name: string) => {
	const value = text === undefined ? fallback : Number(text);
	if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a whole number`);
	return value;
};
const SIZES = {
	scale: wholeNumber(args.scale, smoke ? 1 : 40, 'scale'),
	months: wholeNumber(args.months, smoke ? 2 : 24, 'months'),
	seed: args.seed ?? 'lernlotse-demo',
	/** Timed runs of each report, after one untimed warm-up. */
	runs: wholeNumber(args.runs, smoke ? 2 : 15, 'runs')
};
/** Runs of each statement alone, for the breakdown. */
const STATEMENT_RUNS = smoke ? 1 : 5;
const BUDGET_MS = 500;
const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:25432/postgres';
/** The demo's "now" and the reports' "today": fixed, so every run reads the same city. */
const NOW = new Date(2026, 10, 20, 12, 0);
const TODAY = localDate(NOW);
const LIMIT_MS = smoke ? 60_000 : 3_600_000;
const ROOT = resolve(import.meta.dirname, '../..');
const REPORT = join(ROOT, 'docs/benchmarks.md');
const CACHE = join(tmpdir(), 'lernlotse-bench-reports');

/** scripts/bench/reports.ts writes its section between these, below the notes (run.ts keeps it). */
export const REPORTS_MARKERS = [
	'<!-- Reports: written by scripts/bench/reports.ts; run.ts keeps it (below the notes marker). -->',
	'<!-- End of the reports section. -->'
] as const;

const log = (line: string) => console.log(line);
const elapsed = (since: number) => performance.now() - since;
const count = (n: number) => n.toLocaleString('en-US');
const engineName = (dialect: Dialect) => (dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL');

// ---------------------------------------------------------------------------------------------
// The demo city: made once on SQLite, kept in a cache directory

interface City {
	/** The directory holding lernlotse.sqlite. */
	dataDir: string;
	summary: DemoSummary;
	cached: boolean;
	/** Removes the city when it is not meant to be kept (smoke runs). */
	dispose(): void;
}

async function makeCity(dataDir: string): Promise<DemoSummary> {
	const office = openDatabase({ dataDir });
	try {
		await migrateToLatest(office);
		return await fillDemoCity(office, {
			scale: SIZES.scale,
			months: SIZES.months,
			seed: SIZES.seed,
			now: NOW,
			onProgress: (line) => log(`  demo: ${line}`)
		});
	} finally {
		await office.close();
	}
}

async function demoCity(): Promise<City> {
	if (smoke) {
		const dataDir = mkdtempSync(join(tmpdir(), 'lernlotse-bench-reports-smoke-'));
		log(`Making a demo city (scale ${SIZES.scale}, ${SIZES.months} months) in ${dataDir}`);
		const summary = await makeCity(dataDir);
		return {
			dataDir,
			summary,
			cached: false,
			dispose: () => rmSync(dataDir, { recursive: true, force: true })
		};
	}
	const key = `scale-${SIZES.scale}-months-${SIZES.months}-seed-${SIZES.seed.replace(/[^\w-]/g, '_')}-now-${TODAY}`;
	const dataDir = join(CACHE, key);
	const marker = join(dataDir, 'demo.json');
	if (args.fresh) rmSync(dataDir, { recursive: true, force: true });
	if (existsSync(marker)) {
		log(`Using the demo city cached in ${dataDir} (--fresh makes it again)`);
		return {
			dataDir,
			summary: JSON.parse(readFileSync(marker, 'utf8')) as DemoSummary,
			cached: true,
			dispose: () => {}
		};
	}
	// Made under another name and renamed when complete: an interrupted run leaves no half city.
	mkdirSync(CACHE, { recursive: true });
	rmSync(dataDir, { recursive: true, force: true });
	const partial = mkdtempSync(join(CACHE, `.partial-${key}-`));
	const forget = onAbort(async () => rmSync(partial, { recursive: true, force: true }));
	try {
		log(
			`Making the demo city (scale ${SIZES.scale}, ${SIZES.months} months, seed "${SIZES.seed}") in ${dataDir}; it is kept for later runs`
		);
		const summary = await makeCity(partial);
		writeFileSync(join(partial, 'demo.json'), JSON.stringify(summary, null, '\t'));
		renameSync(partial, dataDir);
		return { dataDir, summary, cached: false, dispose: () => {} };
	} catch (error) {
		rmSync(partial, { recursive: true, force: true });
		throw error;
	} finally {
		forget();
	}
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL: a new database, the same rows

interface Postgres {
	office: OfficeDatabase;
	version: string;
	settings: string;
	copyMs: number;
	drop(): Promise<void>;
}

async function postgresUrl(): Promise<string | null> {
	const url = args['database-url'] ?? process.env.TEST_DATABASE_URL;
	if (smoke && !url) return null;
	return url ?? DEFAULT_DATABASE_URL;
}

/** Copies every row of every table (but Kysely's own) from the SQLite city into `target`. */
async function copyRows(source: OfficeDatabase, target: OfficeDatabase): Promise<void> {
	const { rows: tables } = await sql<{ name: string }>`
		select name from sqlite_master
		where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%'
		order by name`.execute(source.db);
	const page = 20_000;
	await target.db.transaction().execute(async (tx) => {
		for (const { name } of tables) {
			let after = 0;
			let copied = 0;
			for (;;) {
				const { rows } = await sql<UnknownRow & { bench_rowid: number }>`
					select rowid as bench_rowid, * from ${sql.table(name)}
					where rowid > ${after} order by rowid limit ${page}`.execute(source.db);
				if (rows.length === 0) break;
				after = rows.at(-1)!.bench_rowid;
				const values = rows.map(({ bench_rowid: _, ...row }) => row);
				// PostgreSQL takes at most 65,535 parameters a statement.
				const chunk = Math.max(1, Math.floor(8000 / Object.keys(values[0]!).length));
				for (let i = 0; i < values.length; i += chunk) {
					await tx
						.insertInto(name as never)
						.values(values.slice(i, i + chunk) as never)
						.execute();
				}
				copied += rows.length;
			}
			if (copied > 50_000) log(`  copied ${count(copied)} rows of ${name}`);
		}
		// Serial columns go on from the copied rows, as after the demo's own inserts.
		const { rows: serials } = await sql<{ table_name: string; column_name: string }>`
			select table_name, column_name from information_schema.columns
			where table_schema = current_schema() and column_default like 'nextval(%'`.execute(tx);
		for (const { table_name, column_name } of serials) {
			await sql`select setval(pg_get_serial_sequence(${table_name}, ${column_name}),
				coalesce((select max(${sql.ref(column_name)}) from ${sql.table(table_name)}), 0) + 1, false)`.execute(
				tx
			);
		}
	});
	// Every table must hold what the SQLite database holds.
	for (const { name } of tables) {
		const counted = async (office: OfficeDatabase) =>
			Number(
				(await sql<{ n: number }>`select count(*) as n from ${sql.table(name)}`.execute(office.db))
					.rows[0]!.n
			);
		const [want, got] = [await counted(source), await counted(target)];
		if (want !== got)
			throw new Error(`copying ${name}: ${got} rows in PostgreSQL, ${want} in SQLite`);
	}
}

async function openPostgres(url: string, city: OfficeDatabase): Promise<Postgres> {
	// The test helper creates its databases on the server TEST_DATABASE_URL names.
	process.env.TEST_DATABASE_URL = url;
	const database = await createPostgresDatabase();
	const office = openDatabase({ databaseUrl: database.url, dataDir: '' });
	const drop = async () => {
		await office.close();
		await database.drop();
	};
	try {
		await migrateToLatest(office);
		const started = performance.now();
		log(`Copying the demo city into PostgreSQL (${new URL(database.url).pathname.slice(1)})`);
		await copyRows(city, office);
		// Autovacuum would vacuum and analyse the freshly filled tables soon (it does after this
		// many inserts); do it now, so the plans and the visibility map are as they would be.
		await sql`vacuum analyze`.execute(office.db);
		const copyMs = elapsed(started);
		const show = async (name: string) =>
			(
				await sql<Record<string, string>>`select current_setting(${name}) as value`.execute(
					office.db
				)
			).rows[0]!.value as string;
		const settings = [
			'fsync',
			'shared_buffers',
			'work_mem',
			'effective_cache_size',
			'random_page_cost',
			'jit',
			'max_parallel_workers_per_gather'
		];
		const shown: string[] = [];
		for (const name of settings) shown.push(`${name}=${await show(name)}`);
		return {
			office,
			version: (await show('server_version')).split(' ')[0]!,
			settings: shown.join(', '),
			copyMs,
			drop
		};
	} catch (error) {
		await drop();
		throw error;
	}
}

// ---------------------------------------------------------------------------------------------
// The reports

interface Scope {
	places: { id: string; name: string }[];
	/** The place of the one-place report: the first district's library. */
	place: { id: string; name: string };
	courseId: string;
	periods: { quarter: Period; year: Period; whole: Period };
}

interface Bench {
	key: string;
	name: string;
	run(db: Kysely<Database>): Promise<unknown>;
	/** The result as text to compare between the engines (default: JSON). */
	fingerprint?(result: unknown): string;
}

/** The last quarter and the last calendar year that ended before today, and the whole city. */
function periodsOf(summary: DemoSummary): Scope['periods'] {
	const [year, q] = quarterOf(TODAY).split('-Q').map(Number) as [number, number];
	const pad = (n: number) => String(n).padStart(2, '0');
	const thisQuarter = `${year}-${pad((q - 1) * 3 + 1)}-01`;
	const lastQuarter = q === 1 ? `${year - 1}-10-01` : `${year}-${pad((q - 2) * 3 + 1)}-01`;
	return {
		quarter: { from: lastQuarter, to: addDays(thisQuarter, -1) },
		year: { from: `${year - 1}-01-01`, to: `${year - 1}-12-31` },
		whole: { from: summary.from, to: summary.to }
	};
}

async function scopeOf(office: OfficeDatabase, summary: DemoSummary): Promise<Scope> {
	const places = await office.db
		.selectFrom('locations')
		.select(['id', 'name'])
		.orderBy('name')
		.orderBy('id')
		.execute();
	const place = places.find((p) => p.name === summary.places[0]?.name) ?? places[0];
	if (!place) throw new Error('the demo city has no places');
	return { places, place, courseId: SERIES[0]!.courseId, periods: periodsOf(summary) };
}

function benches(scope: Scope): Bench[] {
	const all = scope.places.map((p) => p.id);
	const filter = (period: Period, over: Partial<ReportFilter> = {}): ReportFilter => ({
		period,
		locationIds: all,
		courseId: null,
		today: TODAY,
		...over
	});
	const { quarter, year, whole } = scope.periods;
	const names = namer('de', scope.places);
	return [
		{
			key: 'quarter',
			name: 'Report, a quarter, all places',
			run: (db) => buildReport(db, filter(quarter))
		},
		{ key: 'year', name: 'Report, a year, all places', run: (db) => buildReport(db, filter(year)) },
		{
			key: 'whole',
			name: `Report, all ${SIZES.months} months, all places`,
			run: (db) => buildReport(db, filter(whole))
		},
		{
			key: 'quarter-place',
			name: 'Report, a quarter, one place',
			run: (db) => buildReport(db, filter(quarter, { locationIds: [scope.place.id] }))
		},
		{
			key: 'quarter-course',
			name: 'Report, a quarter, one course',
			run: (db) => buildReport(db, filter(quarter, { courseId: scope.courseId }))
		},
		{
			key: 'sessions',
			name: 'Held sessions of a quarter (`heldSessionList`)',
			run: (db) => heldSessionList(db, filter(quarter), {}),
			// Sessions at the same date and time may come in either order.
			fingerprint: (result) =>
				(result as { id: string }[])
					.map((s) => JSON.stringify(s))
					.sort()
					.join('\n')
		},
		{
			key: 'csv-year',
			name: 'CSV export, a year, per place',
			run: async (db) => {
				const report = await buildReport(db, filter(year));
				const table = figureTable('de', 'locations', report, names.place);
				return toCsv(table.header, table.rows);
			}
		}
	];
}

// ---------------------------------------------------------------------------------------------
// Statements: what a report sends, each timed alone

/**
 * Records every statement a report sends, to time and explain each on its own. Subqueries pass
 * through the plugin too, when they are built into their statement; only what was executed
 * (and so has a result) counts.
 */
class CaptureStatements implements KyselyPlugin {
	#compiled = new Map<unknown, { label: string; query: CompiledQuery }>();
	captured: { label: string; query: CompiledQuery }[] = [];
	constructor(private readonly db: Kysely<Database>) {}
	transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
		const query = this.db.getExecutor().compileQuery(args.node, args.queryId);
		this.#compiled.set(args.queryId, { label: describeStatement(args.node, query), query });
		return args.node;
	}
	async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
		const statement = this.#compiled.get(args.queryId);
		if (statement) this.captured.push(statement);
		return args.result;
	}
}

function tableOf(node: OperationNode): string {
	if (AliasNode.is(node)) return tableOf(node.node);
	if (TableNode.is(node)) return node.table.identifier.name;
	return node.kind;
}

const STATEMENT_NAMES: Record<string, string> = {
	'training_sessions + attendance, grouped': 'held sessions with the number who came',
	staff: 'staff names',
	fact_places: 'the places asked for, by number',
	session_months: 'sessions, hours and volunteer hours per group (whole months)',
	volunteer_months: 'volunteers of each group (whole months)',
	training_sessions: 'sessions of the broken months',
	visit_cells: 'who came how often (whole months, packed cells)',
	first_cells: 'first attendances by month (packed cells)',
	attendance_facts: 'who came how often (days of broken months)',
	'attendance_facts + session_courses': 'who came how often per course (days of broken months)',
	lesson_cells: 'lessons completed (whole months, packed cells)',
	lesson_completions: 'lessons completed (days of broken months)',
	lesson_firsts: 'courses completed (one statement per course)',
	'learners + fact_learners': 'learners by consented attributes'
};

/** The tables a statement written as SQL text reads, in order, each once. */
function tablesInSql(text: string): string[] {
	const names = [...text.matchAll(/\b(?:from|join)\s+"?(\w+)"?/gi)].map((m) => m[1]!);
	return [...new Set(names)];
}

function describeStatement(node: RootOperationNode, compiled: CompiledQuery): string {
	if (!SelectQueryNode.is(node)) return tablesInSql(compiled.sql).join(' + ') || node.kind;
	const tables = [
		...(node.from?.froms ?? []).map(tableOf),
		...(node.joins ?? []).map((j) => tableOf(j.table))
	];
	return `${tables.join(' + ')}${node.groupBy ? ', grouped' : ''}`;
}

interface StatementTime {
	name: string;
	/** How many statements of this kind the report sends. */
	count: number;
	/** Median time of each, summed over the kind. */
	ms: number;
}

async function statementTimes(
	office: OfficeDatabase,
	bench: Bench
): Promise<{ statements: number; times: StatementTime[] }> {
	const capture = new CaptureStatements(office.db);
	await bench.run(office.db.withPlugin(capture));
	const byName = new Map<string, StatementTime>();
	for (const { label, query } of capture.captured) {
		const times: number[] = [];
		for (let i = 0; i < STATEMENT_RUNS; i++) {
			const started = performance.now();
			await office.db.executeQuery(query);
			times.push(elapsed(started));
		}
		const name = STATEMENT_NAMES[label] ?? label;
		const entry = byName.get(name) ?? { name, count: 0, ms: 0 };
		entry.count++;
		entry.ms += summarize(times).median;
		byName.set(name, entry);
		if (args.explain) await explain(office, name, query);
	}
	return {
		statements: capture.captured.length,
		times: [...byName.values()].sort((a, b) => b.ms - a.ms)
	};
}

async function explain(office: OfficeDatabase, name: string, query: CompiledQuery): Promise<void> {
	const prefix =
		office.dialect === 'sqlite' ? 'explain query plan ' : 'explain (analyze, buffers) ';
	const { rows } = await office.db.executeQuery<UnknownRow>(
		CompiledQuery.raw(prefix + query.sql, [...query.parameters])
	);
	const plan = rows.map((r) =>
		office.dialect === 'sqlite'
			? `${' '.repeat(Number(r.parent) ? 2 : 0)}${r.detail}`
			: r['QUERY PLAN']
	);
	log(`\n  ${engineName(office.dialect)}: ${name}\n  ${query.sql.replace(/\s+/g, ' ')}`);
	log(plan.map((line) => `    ${line}`).join('\n'));
}

// ---------------------------------------------------------------------------------------------
// Timing

interface Figure {
	dialect: Dialect;
	bench: Bench;
	times: number[];
	summary: Summary;
	/** CPU time of this Node process in each run (on SQLite nearly all of the work). */
	cpu: Summary;
	statements: number;
	breakdown: StatementTime[];
}

interface EngineResult {
	dialect: Dialect;
	version: string;
	settings: string;
	rows: { progressEvents: number; attendance: number; attended: number; sessions: number };
	figures: Figure[];
	/** One result of every report, to compare the engines. */
	results: Map<string, string>;
	/** What keeping the report facts costs a write (rolled back). */
	upkeep: { attendance: Summary; lessons: Summary };
}

async function rowCounts(office: OfficeDatabase): Promise<EngineResult['rows']> {
	const n = async (query: RawBuilder<{ n: number }>) =>
		Number((await query.execute(office.db)).rows[0]!.n);
	return {
		progressEvents: await n(sql<{ n: number }>`select count(*) as n from progress_events`),
		attendance: await n(sql<{ n: number }>`select count(*) as n from attendance`),
		attended: await n(
			sql<{ n: number }>`select count(*) as n from attendance where status in ('present', 'late')`
		),
		sessions: await n(sql<{ n: number }>`select count(*) as n from training_sessions`)
	};
}

async function engineVersion(office: OfficeDatabase): Promise<string> {
	const query =
		office.dialect === 'sqlite'
			? sql<{ version: string }>`select sqlite_version() as version`
			: sql<{ version: string }>`select current_setting('server_version') as version`;
	const { rows } = await query.execute(office.db);
	return rows[0]!.version.split(' ')[0]!;
}

async function benchEngine(
	office: OfficeDatabase,
	list: Bench[],
	about: { version: string; settings: string }
): Promise<EngineResult> {
	const name = engineName(office.dialect);
	const rows = await rowCounts(office);
	log(
		`${name}: ${count(rows.progressEvents)} progress events, ${count(rows.attendance)} attendance rows (${count(rows.attended)} came), ${count(rows.sessions)} sessions`
	);
	const times = new Map<string, number[]>(list.map((b) => [b.key, []]));
	const cpu = new Map<string, number[]>(list.map((b) => [b.key, []]));
	const results = new Map<string, string>();
	// One warm-up each (statement caches, the page cache), then the timed runs in rounds, so a
	// busy moment of the machine spreads over every report instead of hitting one.
	for (const bench of list) {
		const result = await bench.run(office.reader);
		results.set(bench.key, bench.fingerprint?.(result) ?? JSON.stringify(result));
	}
	const started = performance.now();
	for (let round = 0; round < SIZES.runs; round++) {
		for (const bench of list) {
			const cpuBefore = process.cpuUsage();
			const run = performance.now();
			await bench.run(office.reader);
			times.get(bench.key)!.push(elapsed(run));
			const used = process.cpuUsage(cpuBefore);
			cpu.get(bench.key)!.push((used.user + used.system) / 1000);
		}
		if (!smoke && (round + 1) % 5 === 0 && round + 1 < SIZES.runs) {
			log(`  … ${round + 1} of ${SIZES.runs} rounds (${(elapsed(started) / 1000).toFixed(0)} s)`);
		}
	}
	const figures: Figure[] = [];
	for (const bench of list) {
		const measured = times.get(bench.key)!;
		const summary = summarize(measured);
		const { statements, times: breakdown } = await statementTimes(office, bench);
		figures.push({
			dialect: office.dialect,
			bench,
			times: measured,
			summary,
			cpu: summarize(cpu.get(bench.key)!),
			statements,
			breakdown
		});
		const slowest = breakdown[0];
		log(
			`  ${bench.name.padEnd(50)} median ${ms(summary.median).padStart(9)}  p95 ${ms(summary.p95).padStart(9)}  min–max ${ms(summary.min)}–${ms(summary.max)}  ${summary.p95 <= BUDGET_MS ? 'ok' : 'over'} (≤ ${BUDGET_MS} ms); Node CPU ${ms(summarize(cpu.get(bench.key)!).median)}` +
				`; ${statements} statements${slowest ? `, slowest alone: ${slowest.name} ${ms(slowest.ms)}` : ''}`
		);
	}
	const upkeep = await factUpkeep(office);
	log(
		`  Facts kept on an attendance mark: median ${ms(upkeep.attendance.median)}, p95 ${ms(upkeep.attendance.p95)}; on a completed lesson: median ${ms(upkeep.lessons.median)}, p95 ${ms(upkeep.lessons.p95)}`
	);
	return { dialect: office.dialect, ...about, rows, figures, results, upkeep };
}

class RolledBack extends Error {}

/**
 * What the report facts cost a write, as the sync does it inside its transaction: for an
 * attendance mark at a session of the city (`refreshSessionFacts` for that learner) and for one
 * completed lesson from a place's tablet (`recordLessonCompletions`), each rolled back.
 */
async function factUpkeep(office: OfficeDatabase): Promise<EngineResult['upkeep']> {
	const n = SIZES.runs * 4;
	const marks = await sql<{ session_id: string; learner_id: string }>`
		select session_id, learner_id from attendance where status = 'present'
		order by session_id, learner_id limit ${n}`.execute(office.db);
	const device = await sql<{ id: string }>`
		select id from devices where location_id is not null order by id limit 1`.execute(office.db);
	const lessons = await sql<{
		id: string;
		learner_id: string;
		course_id: string;
		lesson_id: string;
		hlc: string;
	}>`select id, learner_id, course_id, lesson_id, hlc from progress_events
		where type = 'lesson-completed' order by id limit ${n}`.execute(office.db);
	const timed = async (work: (tx: Kysely<Database>) => Promise<void>) => {
		const started = performance.now();
		await office.db
			.transaction()
			.execute(async (tx) => {
				await work(tx);
				throw new RolledBack();
			})
			.catch((error: unknown) => {
				if (!(error instanceof RolledBack)) throw error;
			});
		return elapsed(started);
	};
	const attendance: number[] = [];
	for (const mark of marks.rows) {
		attendance.push(
			await timed((tx) => refreshSessionFacts(tx, mark.session_id, [mark.learner_id]))
		);
	}
	const completed: number[] = [];
	for (const e of lessons.rows) {
		completed.push(
			await timed((tx) =>
				recordLessonCompletions(tx, device.rows[0]!.id, [
					{
						id: `${e.id}-again`,
						learnerId: e.learner_id,
						courseId: e.course_id,
						lessonId: e.lesson_id,
						hlc: e.hlc
					}
				])
			)
		);
	}
	return { attendance: summarize(attendance), lessons: summarize(completed) };
}

/** The same city must give the same figures on both engines. */
function compareEngines(engines: EngineResult[]): string[] {
	const [a, b] = engines;
	if (!a || !b) return [];
	return [...a.results.keys()].filter((key) => a.results.get(key) !== b.results.get(key));
}

/** Fails the run (smoke included) when a report has nothing to count: the data or dates are off. */
function checkResults(engine: EngineResult): void {
	const whole = JSON.parse(engine.results.get('whole') ?? '{}') as {
		total?: { sessions?: number; attendances?: unknown };
	};
	if (!whole.total?.sessions) {
		throw new Error(
			`the report over the whole range found no held sessions on ${engineName(engine.dialect)}`
		);
	}
	const csv = JSON.parse(engine.results.get('csv-year') ?? '""') as string;
	if (!csv.startsWith('\uFEFF')) throw new Error('the CSV export has no byte order mark');
}

// ---------------------------------------------------------------------------------------------
// Report

interface ReportsResults {
	startedAt: Date;
	seconds: number;
	command: string;
	load: { before: number[]; after: number[] };
	source: { commit: string; dirty: boolean };
	city: { summary: DemoSummary; cached: boolean };
	scope: Scope;
	postgresCopyMs: number | null;
	engines: EngineResult[];
	differences: string[];
}

function git(...gitArgs: string[]): string {
	try {
		return execFileSync('git', gitArgs, { cwd: ROOT, encoding: 'utf8' }).trim();
	} catch {
		return '';
	}
}

const range = (p: Period) => `${p.from} – ${p.to}`;

function renderSection(results: ReportsResults): string {
	const machine = machineInfo();
	const when = results.startedAt.toISOString().replace('T', ' ').slice(0, 16);
	const { load, source, city, scope, engines } = results;
	const busy = load.before[0]! > machine.cores * 0.75;
	const sqlite = engines.find((e) => e.dialect === 'sqlite');
	const postgres = engines.find((e) => e.dialect === 'postgres');
	const rows = (sqlite ?? postgres)!.rows;
	const list = engines[0]!.figures.map((f) => f.bench);
	const resultRows = list.flatMap((bench) =>
		engines.map((engine) => {
			const f = engine.figures.find((x) => x.bench.key === bench.key)!;
			const { n, median, p95, min, max, iqr } = f.summary;
			return `| ${bench.name} | ${engineName(engine.dialect)} | ${n} | ${ms(median)} | ${ms(p95)} | ${ms(min)} – ${ms(max)} (IQR ${ms(iqr)}) | ${ms(f.cpu.median)} | ≤ ${BUDGET_MS} ms | ${verdict({ name: bench.name, summary: f.summary, budget: BUDGET_MS })} |`;
		})
	);
	const breakdownRows = list.flatMap((bench) =>
		engines.map((engine) => {
			const f = engine.figures.find((x) => x.bench.key === bench.key)!;
			const top = f.breakdown
				.slice(0, 2)
				.map((s) => `${s.name}${s.count > 1 ? ` (${s.count}×)` : ''}: ${ms(s.ms)}`)
				.join('; ');
			const sum = f.breakdown.reduce((total, s) => total + s.ms, 0);
			return `| ${bench.name} | ${engineName(engine.dialect)} | ${f.statements} | ${ms(sum)} | ${top} |`;
		})
	);
	const over = engines
		.map((e) => ({
			engine: engineName(e.dialect),
			names: e.figures.filter((f) => f.summary.p95 > BUDGET_MS).map((f) => f.bench.name)
		}))
		.filter((e) => e.names.length > 0);
	const missed = over.reduce((n, e) => n + e.names.length, 0);
	const verdictLine =
		missed === 0
			? `**Every report answers within ${BUDGET_MS} ms on ${engines.length === 2 ? 'both engines' : 'this engine'}** (p95).`
			: `**${missed} of ${engines.length * list.length} figures miss ${BUDGET_MS} ms** (p95). ${over.map((e) => `${e.engine}: ${e.names.join('; ')}.`).join(' ')}`;
	const summary = city.summary;
	return `${REPORTS_MARKERS[0]}

## Reports

Written by \`scripts/bench/reports.ts\` on ${when} UTC (${Math.round(results.seconds)} s), commit
\`${source.commit}\`${source.dirty ? ' with uncommitted changes' : ''}. Not part of \`run.ts\`'s report: this section sits below the notes marker so that \`run.ts\` keeps it.

| | |
| --- | --- |
| Machine | ${machine.cpu}, ${machine.cores} cores, ${machine.memory}, ${machine.os} |
| Node | ${machine.node} |
| SQLite | ${sqlite?.version ?? '—'} (better-sqlite3), WAL, \`synchronous = NORMAL\`, \`PRAGMA optimize\` at start (as the office does); reports on ${readerCount()} read-only connections in worker threads |
| PostgreSQL | ${postgres ? `${postgres.version} (${postgres.settings}); pool of 10 connections; \`VACUUM ANALYZE\` after loading` : 'not run'} |
| Load average (1, 5, 15 min) | before ${load.before.map((l) => l.toFixed(2)).join(', ')}; after ${load.after.map((l) => l.toFixed(2)).join(', ')} |

${busy ? `**The machine was busy when this run started** (1-minute load ${load.before[0]!.toFixed(2)} on ${machine.cores} cores): the times are higher and more spread than on a quiet machine.\n\n` : ''}\`\`\`sh
${results.command}
npx tsx scripts/bench/reports.ts --smoke   # tiny sizes, < 1 min; writes nothing (npm run bench:smoke)
\`\`\`

**Data.** The demo city of \`npm run demo -- --scale ${SIZES.scale} --months ${SIZES.months}\` (\`fillDemoCity\`, seed
"${SIZES.seed}", now ${TODAY} 12:00): ${count(scope.places.length)} places, ${count(summary.learners)} learners, ${count(rows.sessions)} sessions (${count(summary.closed)} held, ${count(summary.cancelled)} cancelled, ${count(summary.planned)} planned),
**${count(rows.attendance)} attendance rows** (${count(rows.attended)} came) and **${count(rows.progressEvents)} progress events**, counted in both
databases. Made once on SQLite (${(summary.ms / 1000).toFixed(0)} s, most of it argon2 for ${count(summary.volunteers.length + 2)} staff accounts) and kept
under \`${CACHE}\`${city.cached ? ' (this run reused it)' : ''}; for PostgreSQL a new database on the server, migrated, every row copied
from that SQLite file and \`VACUUM ANALYZE\`d (${results.postgresCopyMs === null ? '—' : `${(results.postgresCopyMs / 1000).toFixed(0)} s`}), dropped afterwards.

**Filters.** "Today" is ${TODAY} (the demo's now). A quarter: ${range(scope.periods.quarter)}; a year: ${range(scope.periods.year)};
all ${SIZES.months} months: ${range(scope.periods.whole)}. All places: the ids of all ${scope.places.length} rows of \`locations\`; one place:
${scope.place.name}; one course: \`${scope.courseId}\` (all places).${results.differences.length ? `\n\n**The engines disagree** on ${results.differences.join(', ')}: the same city gave other figures on SQLite and PostgreSQL.` : ' Both engines gave the same figures for every report.'}

${verdictLine}

| Report | Database | n | Median | p95 | Spread: min – max (IQR) | Node CPU (median) | Budget | Result |
| --- | --- | ---: | ---: | ---: | --- | ---: | ---: | --- |
${resultRows.join('\n')}

Where the time goes: the statements each report sends, each run alone ${STATEMENT_RUNS} times with the
same parameters (median); their sum against the report's median shows what the JavaScript
around them costs (on PostgreSQL three of \`buildReport\`'s statements run at once).

| Report | Database | Statements | Sum alone | The slowest |
| --- | --- | ---: | ---: | --- |
${breakdownRows.join('\n')}

**Keeping the facts on a write** (the cells included): the same functions the sync calls in its
transaction, here each in a transaction rolled back, ${engines[0]!.upkeep.attendance.n} times: the facts of an attendance mark
at a session of the city (\`refreshSessionFacts\` for that learner) and of one lesson completed on a
place's tablet (\`recordLessonCompletions\`).

| Write | Database | Median | p95 |
| --- | --- | ---: | ---: |
${engines
	.flatMap((e) => [
		`| An attendance mark | ${engineName(e.dialect)} | ${ms(e.upkeep.attendance.median)} | ${ms(e.upkeep.attendance.p95)} |`,
		`| A completed lesson | ${engineName(e.dialect)} | ${ms(e.upkeep.lessons.median)} | ${ms(e.upkeep.lessons.p95)} |`
	])
	.join('\n')}

### Method (reports)

In one Node process, the office's own functions on a database opened with \`openDatabase\` as the
server does (no HTTP, no sign-in, no audit entry), through its \`reader\` as the report pages do
(on SQLite read-only connections in worker threads, on PostgreSQL the pool):
\`buildReport(reader, filter)\` for each report;
\`heldSessionList(reader, filter, {})\` for the quarter over all places (what "the sessions behind a
figure" shows); for the CSV export what \`/office/reports/export?table=locations\` does after
\`loadReport\`: \`buildReport\` for the year, \`figureTable('de', 'locations', …)\` with the place
names, \`toCsv\`. Each report first runs once untimed; then ${SIZES.runs} rounds run every report once, one
after the other, so a busy moment spreads over all of them. Time is \`performance.now()\` around
the awaited call, results included; "Node CPU" is \`process.cpuUsage()\` over the same call (user
and system time of this process: on SQLite nearly all the work, on PostgreSQL the driver and the
JavaScript, not the server's), which a busy machine inflates less than the wall time. Median and
p95 are nearest-rank; a report meets the budget when its p95 is within ${BUDGET_MS} ms. The
statements are captured with a Kysely plugin on one more run (subqueries as part of their
statement) and compiled as sent.

${REPORTS_MARKERS[1]}`;
}

function reportsSection(text: string): string {
	const start = text.indexOf(REPORTS_MARKERS[0]);
	const end = text.indexOf(REPORTS_MARKERS[1], start);
	return start >= 0 && end > start ? text.slice(start, end + REPORTS_MARKERS[1].length) : '';
}

/** Replaces the section, or adds it at the end: below the notes marker, where run.ts keeps it. */
function writeReport(section: string): void {
	const previous = existsSync(REPORT) ? readFileSync(REPORT, 'utf8') : '';
	const old = reportsSection(previous);
	let next: string;
	if (old) next = previous.replace(old, () => section);
	else if (previous.includes(NOTES_MARKER)) next = `${previous.trimEnd()}\n\n${section}\n`;
	else next = `${previous.trimEnd()}\n\n${NOTES_MARKER}\n\n${section}\n`;
	writeFileSync(REPORT, next);
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
	const startedAt = new Date();
	const before = loadavg();
	if (before[0]! > cpus().length * 0.75) {
		log(
			`Warning: the machine is busy (load ${before[0]!.toFixed(2)} on ${cpus().length} cores): the times will be slower and noisier.`
		);
	}
	log(
		`Report benchmarks${smoke ? ' (smoke: tiny sizes, nothing is written, times are not judged)' : ''}`
	);
	if (courseCatalogue().length === 0) {
		throw new Error('no course packs (static/packs or build/client/packs): run `npm run content`');
	}
	const city = await demoCity();
	const forgetCity = onAbort(async () => city.dispose());
	const sqlite = openDatabase({ dataDir: city.dataDir });
	const forgetSqlite = onAbort(() => sqlite.close());
	const engines: EngineResult[] = [];
	let postgresCopyMs: number | null = null;
	let scope: Scope;
	try {
		await migrateToLatest(sqlite);
		// As the office does when it starts.
		sqlite.refreshStatistics();
		scope = await scopeOf(sqlite, city.summary);
		const list = benches(scope);
		log(
			`Periods: quarter ${range(scope.periods.quarter)}, year ${range(scope.periods.year)}, whole ${range(scope.periods.whole)}; ${SIZES.runs} runs each after a warm-up`
		);
		engines.push(
			await benchEngine(sqlite, list, {
				version: await engineVersion(sqlite),
				settings: 'WAL, synchronous = NORMAL'
			})
		);
		const url = await postgresUrl();
		if (url) {
			const postgres = await openPostgres(url, sqlite);
			const forgetPostgres = onAbort(() => postgres.drop());
			try {
				postgresCopyMs = postgres.copyMs;
				engines.push(
					await benchEngine(postgres.office, list, {
						version: postgres.version,
						settings: postgres.settings
					})
				);
			} finally {
				forgetPostgres();
				await postgres.drop();
			}
		} else {
			log('PostgreSQL: skipped (smoke run without TEST_DATABASE_URL or --database-url)');
		}
	} finally {
		forgetSqlite();
		await sqlite.close();
		forgetCity();
		city.dispose();
	}

	for (const engine of engines) checkResults(engine);
	const differences = compareEngines(engines);
	if (differences.length > 0) {
		log(`Warning: SQLite and PostgreSQL gave different results for ${differences.join(', ')}`);
	}
	const results: ReportsResults = {
		startedAt,
		seconds: (Date.now() - startedAt.getTime()) / 1000,
		command: `npx tsx scripts/bench/reports.ts${process.argv.slice(2).length ? ` ${process.argv.slice(2).join(' ')}` : ''}`,
		load: { before, after: loadavg() },
		source: {
			commit: git('rev-parse', '--short', 'HEAD'),
			dirty: git('status', '--porcelain') !== ''
		},
		city: { summary: city.summary, cached: city.cached },
		scope,
		postgresCopyMs,
		engines,
		differences
	};
	const over = engines.flatMap((e) => e.figures.filter((f) => f.summary.p95 > BUDGET_MS));
	log(
		`\n${over.length === 0 ? 'Every report' : `${engines.length * engines[0]!.figures.length - over.length} of ${engines.length * engines[0]!.figures.length} figures`} within ${BUDGET_MS} ms (p95)${smoke ? ' — not judged in a smoke run' : ''}.`
	);
	if (smoke) {
		log(
			`Smoke run (${Math.round(results.seconds)} s): the report benchmarks work; docs/benchmarks.md was not touched.`
		);
	} else if (args['no-write']) {
		log(`Done (${Math.round(results.seconds)} s); --no-write: docs/benchmarks.md was not touched.`);
	} else {
		writeReport(renderSection(results));
		log(`Written to the Reports section of docs/benchmarks.md (${Math.round(results.seconds)} s).`);
	}
}

const done = guardRun('Report benchmarks', LIMIT_MS);
main().then(done, (error: unknown) => {
	done();
	console.error(
		`Report benchmarks failed: ${error instanceof Error ? (error.stack ?? error.message) : error}`
	);
	process.exitCode = 1;
});
