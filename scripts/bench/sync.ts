/**
 * The sync benchmarks of the office server (not in CI; the smoke mode is meant for it):
 *   (1) ingest: N pushes of 200 progress events through `handlePush`, in process, against a
 *       raw batched insert of as many rows into `progress_events`, on SQLite and PostgreSQL;
 *   (2) load: D devices at once over HTTP against the built server (`node build`), each
 *       pushing a learner and 50 events, then pulling; 200 devices, then 1,000.
 * A full run writes the "Sync" section of docs/benchmarks.md (run.ts keeps it).
 *
 *   npx tsx scripts/bench/sync.ts           full run (needs `npm run build`), ≈ 2–5 min
 *   npx tsx scripts/bench/sync.ts --smoke   tiny sizes, < 30 s: proves it still works, writes nothing
 *
 * PostgreSQL: BENCH_DATABASE_URL or TEST_DATABASE_URL (a server where it may create and drop
 * databases); without either it starts a throwaway cluster with scripts/ensure-postgres.sh and
 * stops it at the end.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
	sql,
	type Insertable,
	type KyselyPlugin,
	type PluginTransformQueryArgs,
	type PluginTransformResultArgs,
	type QueryResult,
	type RootOperationNode,
	type UnknownRow
} from 'kysely';
import pg from 'pg';
import * as v from 'valibot';
import type { Dialect, OfficeDatabase } from '../../src/lib/server/db/connection';
import type { ProgressEventsTable } from '../../src/lib/server/db/schema';
import { handlePush, progressEventRow } from '../../src/lib/server/sync/push';
import {
	Mutation,
	ProgressPayload,
	PushRequest,
	type PullResponse,
	type PushResponse
} from '../../src/lib/sync/protocol';
import { BUILD_DIR, TestServer } from '../../tests/e2e/support/server';
import { createPostgresDatabase, freshOffice } from '../../tests/integration/support/databases';
import { enrolDevices } from '../../tests/integration/support/enrol';
import { FakeDevice, newLearnerId } from '../../tests/integration/support/factories';
import { NOTES_MARKER, SYNC_MARKERS, syncSection } from './report';
import { guardRun, machineInfo, onAbort, summarize, within, type Summary } from './support';

const smoke = process.argv.includes('--smoke');
const SIZES = smoke
	? { pushes: 2, repetitions: 3, loads: [10], loadEvents: 50 }
	: { pushes: 50, repetitions: 5, loads: [200, 1000], loadEvents: 50 };
/** Events per push in the ingest benchmark: a full batch (MAX_PUSH_BATCH). */
const BATCH = 200;
/** A load run is cut off after this; what did not finish counts as an error. */
const loadLimit = (devices: number) => (devices > 200 ? 120_000 : 60_000);
const LIMIT_MS = smoke ? 60_000 : 1_200_000;
const TARGET_RATIO = 0.5;
const ROOT = join(BUILD_DIR, '..');
const REPORT = join(ROOT, 'docs/benchmarks.md');
const DIALECTS: Dialect[] = ['sqlite', 'postgres'];

const log = (line: string) => console.log(line);
const elapsed = (since: number) => performance.now() - since;
const fixed = (value: number, digits = 1) => value.toFixed(digits);
const rate = (value: number) => Math.round(value).toLocaleString('en-US');

// ---------------------------------------------------------------------------------------------
// PostgreSQL

interface Postgres {
	/** A server where databases may be created and dropped. */
	admin: string;
	source: string;
	version: string;
	settings: string;
	stop(): Promise<void>;
}

async function startPostgres(): Promise<Postgres> {
	let admin = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
	let source = process.env.BENCH_DATABASE_URL ? 'BENCH_DATABASE_URL' : 'TEST_DATABASE_URL';
	let stop = async () => {};
	if (!admin) {
		const scratch = mkdtempSync(join(tmpdir(), 'lernlotse-bench-'));
		const dirFile = join(scratch, 'pg-dir');
		const output = execFileSync('bash', [join(ROOT, 'scripts/ensure-postgres.sh')], {
			env: { ...process.env, PG_DIR_FILE: dirFile },
			encoding: 'utf8'
		});
		admin = output.trim().split('\n').at(-1)!;
		const dir = readFileSync(dirFile, 'utf8').trim();
		source = 'a throwaway cluster from scripts/ensure-postgres.sh';
		stop = async () => {
			execFileSync('bash', [join(ROOT, 'scripts/stop-postgres.sh'), dir], { stdio: 'ignore' });
			rmSync(scratch, { recursive: true, force: true });
		};
	}
	// The test helpers create their databases on the server TEST_DATABASE_URL names.
	process.env.TEST_DATABASE_URL = admin;
	const client = new pg.Client({ connectionString: admin });
	await client.connect();
	try {
		const show = async (name: string) =>
			(await client.query<Record<string, string>>(`show ${name}`)).rows[0]![name]!;
		return {
			admin,
			source,
			version: (await show('server_version')).split(' ')[0]!,
			settings: `fsync=${await show('fsync')}, synchronous_commit=${await show('synchronous_commit')}, max_connections=${await show('max_connections')}`,
			stop
		};
	} finally {
		await client.end();
	}
}

// ---------------------------------------------------------------------------------------------
// (1) Ingest through handlePush against a raw batched insert

interface IngestRepetition {
	order: 'push first' | 'raw first';
	pushMs: number;
	rawMs: number;
	pushRate: number;
	rawRate: number;
	ratio: number;
}

interface IngestResult {
	dialect: Dialect;
	repetitions: IngestRepetition[];
	/** Statements a 200-event push sends, BEGIN and COMMIT not counted. */
	statements: number;
	engineVersion: string;
}

/** Counts the statements Kysely compiles, to show what one push costs in round trips. */
class CountStatements implements KyselyPlugin {
	count = 0;
	transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
		this.count++;
		return args.node;
	}
	async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
		return args.result;
	}
}

function progressBatch(device: FakeDevice, learnerId: string, count: number) {
	return Array.from({ length: count }, (_, i) =>
		device.progress(learnerId, {
			stepId: `step-${i % 12}`,
			type: i % 3 === 0 ? 'step-viewed' : 'step-completed'
		})
	);
}

async function expectAccepted(office: OfficeDatabase, body: unknown, count: number) {
	const reply = await handlePush(office, body);
	const results = (reply.body as PushResponse).results ?? [];
	const accepted = results.filter((r) => r.status === 'accepted').length;
	if (reply.status !== 200 || accepted !== count) {
		throw new Error(
			`a push was not applied as a whole (${reply.status}, ${accepted}/${count} accepted): ${JSON.stringify(reply.body).slice(0, 300)}`
		);
	}
}

async function ingestRepetition(
	office: OfficeDatabase,
	index: number
): Promise<{ repetition: IngestRepetition; statements: number }> {
	// One extra device and batch each: the first push and the first insert warm up, untimed.
	const count = SIZES.pushes + 1;
	const devices = Array.from({ length: count }, () => new FakeDevice());
	const learners = devices.map(() => newLearnerId());
	// Each device has created its learner in an earlier push, as a tablet does before lessons.
	for (const [i, device] of devices.entries()) {
		await expectAccepted(office, device.push([device.learner({ id: learners[i]! })]), 1);
	}
	const bodies = devices.map((device, i) =>
		device.push(progressBatch(device, learners[i]!, BATCH))
	);
	// The same rows for the raw insert, from other devices (the ids must differ).
	const receivedAt = new Date().toISOString();
	const batches = learners.map((learnerId) =>
		progressBatch(new FakeDevice(), learnerId, BATCH).map((m) =>
			progressEventRow(m.payload as ProgressPayload, receivedAt)
		)
	);

	const pushAll = async () => {
		await expectAccepted(office, bodies[0], BATCH);
		const started = performance.now();
		for (const body of bodies.slice(1)) await expectAccepted(office, body, BATCH);
		return elapsed(started);
	};
	const insertAll = async () => {
		const insert = (rows: Insertable<ProgressEventsTable>[]) =>
			office.db
				.transaction()
				.execute((tx) => tx.insertInto('progress_events').values(rows).execute());
		await insert(batches[0]!);
		const started = performance.now();
		for (const rows of batches.slice(1)) await insert(rows);
		return elapsed(started);
	};
	const order = index % 2 === 0 ? 'push first' : 'raw first';
	let pushMs: number;
	let rawMs: number;
	if (order === 'push first') {
		pushMs = await pushAll();
		rawMs = await insertAll();
	} else {
		rawMs = await insertAll();
		pushMs = await pushAll();
	}

	const { n } = await office.db
		.selectFrom('progress_events')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.executeTakeFirstOrThrow();
	if (Number(n) !== 2 * count * BATCH) {
		throw new Error(`expected ${2 * count * BATCH} events in the database, found ${n}`);
	}

	// Untimed: what one more 200-event push sends to the database.
	const counter = new CountStatements();
	const device = new FakeDevice();
	const learnerId = newLearnerId();
	await expectAccepted(office, device.push([device.learner({ id: learnerId })]), 1);
	const body = device.push(progressBatch(device, learnerId, BATCH));
	await expectAccepted({ ...office, db: office.db.withPlugin(counter) }, body, BATCH);

	const events = SIZES.pushes * BATCH;
	const pushRate = events / (pushMs / 1000);
	const rawRate = events / (rawMs / 1000);
	return {
		repetition: { order, pushMs, rawMs, pushRate, rawRate, ratio: pushRate / rawRate },
		statements: counter.count
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

async function benchIngest(dialect: Dialect): Promise<IngestResult> {
	const repetitions: IngestRepetition[] = [];
	let statements = 0;
	let version = '';
	for (let i = 0; i < SIZES.repetitions; i++) {
		const office = await freshOffice(dialect);
		const forget = onAbort(() => office.dispose());
		try {
			version ||= await engineVersion(office);
			const result = await ingestRepetition(office, i);
			repetitions.push(result.repetition);
			statements = result.statements;
			const r = result.repetition;
			log(
				`  ${dialect} #${i + 1} (${r.order}): push ${rate(r.pushRate)} events/s (${fixed(r.pushMs / SIZES.pushes)} ms a push), raw ${rate(r.rawRate)} events/s, ratio ${fixed(r.ratio, 3)}`
			);
		} finally {
			forget();
			await office.dispose();
		}
	}
	return { dialect, repetitions, statements, engineVersion: version };
}

/** Validating one push as handlePush does (request, each mutation, each payload), no database. */
function validationMs(): Summary {
	const device = new FakeDevice();
	const learnerId = newLearnerId();
	const bodies = Array.from({ length: Math.max(SIZES.pushes, 10) }, () =>
		device.push(progressBatch(device, learnerId, BATCH))
	);
	const times: number[] = [];
	for (let round = 0; round < 3; round++) {
		for (const body of bodies) {
			const started = performance.now();
			const request = v.parse(PushRequest, body);
			for (const raw of request.mutations) {
				const mutation = v.parse(Mutation, raw);
				v.parse(ProgressPayload, mutation.payload);
			}
			if (round > 0) times.push(elapsed(started));
		}
	}
	return summarize(times);
}

// ---------------------------------------------------------------------------------------------
// (2) Many devices at once over HTTP

interface Call {
	ms: number;
	status: number | null;
	error?: string;
	body?: unknown;
}

interface DeviceRun {
	push: Call;
	pull: Call;
	/** Every mutation of the push accepted. */
	accepted: boolean;
	changes: number;
}

interface LoadResult {
	dialect: Dialect;
	devices: number;
	limitMs: number;
	wallMs: number;
	timedOut: boolean;
	/** The kernel's count of connections dropped from a full accept queue during the run. */
	listenOverflows: number | null;
	runs: DeviceRun[];
	/** The server's own handling time per request (its request log), in ms. */
	serverMs: { push: number[]; pull: number[] };
	serverErrors: string[];
}

const CUT_OFF = 'cut off at the limit';

function describeError(error: unknown): string {
	if (error instanceof Error) {
		if (error.name === 'AbortError' || error.name === 'TimeoutError') return CUT_OFF;
		const cause = (error as { cause?: { code?: string; message?: string } }).cause;
		return cause?.code ?? cause?.message ?? error.message;
	}
	return String(error);
}

async function post(
	url: string,
	body: string,
	credential: string,
	signal: () => AbortSignal
): Promise<Call> {
	const started = performance.now();
	try {
		const response = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${credential}` },
			body,
			signal: signal()
		});
		const text = await response.text();
		let parsed: unknown = text;
		try {
			parsed = JSON.parse(text);
		} catch {
			// keep the text: it goes into the error report
		}
		return { ms: elapsed(started), status: response.status, body: parsed };
	} catch (error) {
		return { ms: elapsed(started), status: null, error: describeError(error) };
	}
}

function prepareDevice() {
	const device = new FakeDevice();
	const learnerId = newLearnerId();
	const mutations = [
		device.learner({ id: learnerId }),
		...progressBatch(device, learnerId, SIZES.loadEvents)
	];
	return {
		id: device.id,
		/** Set by `enrol` before the device syncs. */
		credential: '',
		push: JSON.stringify(device.push(mutations)),
		pull: JSON.stringify(device.pull(null)),
		mutations: mutations.length
	};
}

/** Every device is enrolled with the office first (not timed), as its tablet would be. */
async function enrol(
	server: TestServer,
	databaseUrl: string | undefined,
	devices: ReturnType<typeof prepareDevice>[]
): Promise<void> {
	const credentials = await enrolDevices(
		{ dataDir: server.dataDir, databaseUrl },
		devices.map((d) => d.id)
	);
	for (const device of devices) device.credential = credentials.get(device.id)!;
}

async function syncDevice(
	url: string,
	device: ReturnType<typeof prepareDevice>,
	signal: () => AbortSignal
): Promise<DeviceRun> {
	const push = await post(`${url}/api/sync/push`, device.push, device.credential, signal);
	const results = push.status === 200 ? (push.body as PushResponse).results : [];
	const accepted =
		results.length === device.mutations && results.every((r) => r.status === 'accepted');
	const pull = await post(`${url}/api/sync/pull`, device.pull, device.credential, signal);
	const changes = pull.status === 200 ? (pull.body as PullResponse).changes.length : 0;
	return { push, pull, accepted, changes };
}

function serverLog(lines: string): { push: number[]; pull: number[]; errors: string[] } {
	const push: number[] = [];
	const pull: number[] = [];
	const errors: string[] = [];
	for (const line of lines.split('\n')) {
		if (!line.startsWith('{')) continue;
		try {
			const entry = JSON.parse(line) as {
				msg?: string;
				path?: string;
				ms?: number;
				error?: string;
			};
			if (entry.msg === 'request' && typeof entry.ms === 'number') {
				if (entry.path === '/api/sync/push') push.push(entry.ms);
				if (entry.path === '/api/sync/pull') pull.push(entry.ms);
			} else if (entry.error) {
				errors.push(`${entry.msg}: ${entry.error}`);
			}
		} catch {
			// a line cut in two by the pipe: not a request record
		}
	}
	return { push, pull, errors };
}

async function benchLoad(dialect: Dialect, devices: number): Promise<LoadResult> {
	let database: Awaited<ReturnType<typeof createPostgresDatabase>> | null = null;
	const previousUrl = process.env.DATABASE_URL;
	delete process.env.DATABASE_URL;
	if (dialect === 'postgres') {
		database = await createPostgresDatabase();
		process.env.DATABASE_URL = database.url;
	}
	let server: TestServer;
	try {
		server = await TestServer.start();
	} finally {
		if (previousUrl === undefined) delete process.env.DATABASE_URL;
		else process.env.DATABASE_URL = previousUrl;
	}
	const dispose = async () => {
		await server.dispose();
		await database?.drop();
	};
	const forget = onAbort(dispose);
	try {
		// One device first, untimed: loads the routes and opens the database connection.
		const first = prepareDevice();
		await enrol(server, database?.url, [first]);
		const warm = await syncDevice(server.url, first, () => AbortSignal.timeout(10_000));
		if (!warm.accepted || warm.pull.status !== 200) {
			throw new Error(
				`the warm-up sync failed: ${JSON.stringify(warm).slice(0, 300)}\n${server.log}`
			);
		}
		const prepared = Array.from({ length: devices }, prepareDevice);
		await enrol(server, database?.url, prepared);
		const logFrom = server.log.length;
		const limitMs = loadLimit(devices);
		const overflowsBefore = listenOverflows();
		const started = performance.now();
		// A signal per request, all ending at the same deadline (one shared signal would collect
		// an abort listener per request until the requests are garbage-collected).
		const deadline = started + limitMs;
		const signal = () => AbortSignal.timeout(Math.max(1, Math.ceil(deadline - performance.now())));
		// All start in the same tick; each pulls as soon as its push is answered.
		const runs = await within(
			limitMs + 10_000,
			`${devices} devices on ${dialect}`,
			Promise.all(prepared.map((d) => syncDevice(server.url, d, signal)))
		);
		const wallMs = elapsed(started);
		const overflowsAfter = listenOverflows();
		const timedOut = runs.some((r) => r.push.error === CUT_OFF || r.pull.error === CUT_OFF);
		await new Promise((r) => setTimeout(r, 200)); // the last log lines
		const logged = serverLog(server.log.slice(logFrom));
		return {
			dialect,
			devices,
			limitMs,
			wallMs,
			timedOut,
			listenOverflows:
				overflowsBefore === null || overflowsAfter === null
					? null
					: overflowsAfter - overflowsBefore,
			runs,
			serverMs: { push: logged.push, pull: logged.pull },
			serverErrors: logged.errors
		};
	} finally {
		forget();
		await dispose();
	}
}

const failed = (call: Call) => call.status !== 200;

function errorCounts(runs: DeviceRun[]): Map<string, number> {
	const counts = new Map<string, number>();
	for (const run of runs) {
		for (const [phase, call] of [
			['push', run.push],
			['pull', run.pull]
		] as const) {
			if (!failed(call)) continue;
			const key = `${phase} ${call.status === null ? call.error! : `HTTP ${call.status}`}`;
			counts.set(key, (counts.get(key) ?? 0) + 1);
		}
	}
	return counts;
}

/** TcpExt ListenOverflows from /proc/net/netstat (Linux; system-wide), or null. */
function listenOverflows(): number | null {
	try {
		const lines = readFileSync('/proc/net/netstat', 'utf8').split('\n');
		const header = lines.find((l) => l.startsWith('TcpExt:') && /[A-Za-z]/.test(l.slice(7, 9)));
		const values = lines.find((l) => l.startsWith('TcpExt:') && l !== header);
		const index = header?.split(/\s+/).indexOf('ListenOverflows') ?? -1;
		return index > 0 && values ? Number(values.split(/\s+/)[index]) : null;
	} catch {
		return null;
	}
}

function describeCounts(counts: Map<string, number>): string {
	return [...counts].map(([what, n]) => `${n}× ${what}`).join(', ') || 'none';
}

// ---------------------------------------------------------------------------------------------
// Report

interface SyncResults {
	startedAt: Date;
	seconds: number;
	command: string;
	load: { before: number[]; after: number[] };
	source: { commit: string; dirty: boolean; build: string };
	postgres: Postgres;
	ingest: IngestResult[];
	validation: Summary;
	loads: LoadResult[];
}

const ms0 = (value: number) => `${Math.round(value)} ms`;
const spread = (s: Summary, format: (n: number) => string) =>
	`${format(s.median)} (${format(s.min)} – ${format(s.max)})`;

function ingestFigures(result: IngestResult) {
	const r = result.repetitions;
	return {
		push: summarize(r.map((x) => x.pushRate)),
		raw: summarize(r.map((x) => x.rawRate)),
		ratio: summarize(r.map((x) => x.ratio)),
		pushMs: summarize(r.map((x) => x.pushMs / SIZES.pushes)),
		rawMs: summarize(r.map((x) => x.rawMs / SIZES.pushes))
	};
}

function loadFigures(result: LoadResult) {
	const pushes = result.runs.map((r) => r.push);
	const pulls = result.runs.map((r) => r.pull);
	const ok = (calls: Call[]) => calls.filter((c) => !failed(c)).map((c) => c.ms);
	return {
		push: summarize(ok(pushes)),
		pull: summarize(ok(pulls)),
		pushErrors: pushes.filter(failed).length,
		pullErrors: pulls.filter(failed).length,
		errorKinds: describeCounts(errorCounts(result.runs)),
		notAccepted: result.runs.filter((r) => r.push.status === 200 && !r.accepted).length,
		/** Of the devices whose push was accepted and whose pull was answered: pulls with all. */
		complete: result.runs.filter((r) => r.accepted && r.changes === SIZES.loadEvents + 1).length,
		/** Mutations accepted per second of the whole run. */
		throughput:
			(result.runs.filter((r) => r.accepted).length * (SIZES.loadEvents + 1)) /
			(result.wallMs / 1000),
		served: result.runs.filter((r) => r.accepted && r.pull.status === 200).length,
		serverPush: summarize(result.serverMs.push),
		serverPull: summarize(result.serverMs.pull)
	};
}

const latency = (s: Summary) =>
	s.n === 0 ? '—' : `${ms0(s.median)} / ${ms0(s.p95)} / ${ms0(s.max)}`;

function renderSection(results: SyncResults): string {
	const machine = machineInfo();
	const when = results.startedAt.toISOString().replace('T', ' ').slice(0, 16);
	const { postgres, load, source } = results;
	const sqliteVersion = results.ingest.find((i) => i.dialect === 'sqlite')?.engineVersion ?? '?';
	const busy = load.before[0]! > machine.cores * 0.75;
	const ingestRows = results.ingest.map((result) => {
		const f = ingestFigures(result);
		return `| ${result.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'} | ${spread(f.push, rate)} | ${spread(f.pushMs, (n) => `${fixed(n)} ms`)} | ${spread(f.raw, rate)} | ${spread(f.rawMs, (n) => `${fixed(n, 2)} ms`)} | ${spread(f.ratio, (n) => fixed(n, 3))} | ${f.ratio.median >= TARGET_RATIO ? 'pass' : '**miss**'} |`;
	});
	const costRows = results.ingest.map((result) => {
		const f = ingestFigures(result);
		const name = result.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL';
		return `| ${name} | ${result.statements} (${fixed(result.statements / BATCH)} an event) | ${fixed((f.pushMs.median * 1000) / result.statements)} µs | ${fixed(results.validation.median, 2)} ms (${Math.round((results.validation.median / f.pushMs.median) * 100)} % of a push) |`;
	});
	const loadRows = results.loads.map((result) => {
		const f = loadFigures(result);
		const name = result.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL';
		const errors = f.pushErrors + f.pullErrors;
		return `| ${name} | ${result.devices.toLocaleString('en-US')} | ${fixed(result.wallMs / 1000)} s${result.timedOut ? ' (cut off)' : ''} | ${rate(f.throughput)} | ${latency(f.push)} | ${latency(f.pull)} | ${errors === 0 ? '0' : `**${errors}** (${f.pushErrors} push, ${f.pullErrors} pull)`} | ${latency(f.serverPush)} | ${latency(f.serverPull)} | ${f.complete} of ${f.served} | ${result.listenOverflows ?? '—'} |`;
	});
	const problems = results.loads.flatMap((result) => {
		const f = loadFigures(result);
		const lines: string[] = [];
		const name = `${result.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'}, ${result.devices} devices`;
		if (f.pushErrors + f.pullErrors > 0) lines.push(`${name}: errors ${f.errorKinds}.`);
		if (f.notAccepted > 0)
			lines.push(`${name}: ${f.notAccepted} pushes answered 200 with a mutation not accepted.`);
		if (result.serverErrors.length > 0) {
			const distinct = [...new Set(result.serverErrors)].slice(0, 3);
			lines.push(
				`${name}: the server logged ${result.serverErrors.length} errors, e.g. ${distinct.map((e) => `\`${e.slice(0, 160)}\``).join('; ')}.`
			);
		}
		return lines;
	});
	const eventsLabel = `${SIZES.loadEvents} events`;
	return `${SYNC_MARKERS[0]}

## Sync

Written by \`scripts/bench/sync.ts\` on ${when} UTC (${Math.round(results.seconds)} s), commit
\`${source.commit}\`${source.dirty ? ' with uncommitted changes' : ''}, build \`${source.build}\`.

| | |
| --- | --- |
| Machine | ${machine.cpu}, ${machine.cores} cores, ${machine.memory}, ${machine.os} |
| Node | ${machine.node} |
| SQLite | ${sqliteVersion} (better-sqlite3), WAL, \`synchronous = NORMAL\`, \`busy_timeout = 5000\` |
| PostgreSQL | ${postgres.version}, ${postgres.source} (${postgres.settings}); pool of 10 connections (\`DATABASE_POOL_SIZE\` unset) |
| Load average (1, 5, 15 min) | before ${load.before.map((l) => l.toFixed(2)).join(', ')}; after ${load.after.map((l) => l.toFixed(2)).join(', ')} |

${busy ? `**The machine was busy when this run started** (1-minute load ${load.before[0]!.toFixed(2)} on ${machine.cores} cores): the figures are lower and more spread than on a quiet machine.\n\n` : ''}\`\`\`sh
npm run build
${results.command}
npx tsx scripts/bench/sync.ts --smoke   # tiny sizes, < 30 s; writes nothing
\`\`\`

### Ingest: 200-event pushes through \`handlePush\`, in process

${SIZES.pushes} pushes of ${BATCH} progress events each, ${results.ingest[0]?.repetitions.length ?? 0} repetitions; median (min – max) over
the repetitions. Target: push ÷ raw ≥ ${TARGET_RATIO}.

| Database | Push: events/s | ms a push | Raw insert: events/s | ms a batch | Push ÷ raw | Target |
| --- | ---: | ---: | ---: | ---: | ---: | --- |
${ingestRows.join('\n')}

Where a push's time goes: the statements it sends to the database (counted with a Kysely plugin,
BEGIN and COMMIT not counted; the raw insert sends one a batch), the median push time divided by
them, and validating a 200-event push alone (the request, each mutation, each payload, with
valibot as \`handlePush\` does; median of ${results.validation.n}, no database).

| Database | Statements a push | Push time a statement | Validation alone |
| --- | ---: | ---: | ---: |
${costRows.join('\n')}

### Devices syncing at once over HTTP

Each device pushes its learner and ${eventsLabel} (one push, ${SIZES.loadEvents + 1} mutations), then pulls from the start;
all start together. Latency as the client saw it, p50 / p95 / max; "server" is the handling time
in the server's request log (from the request reaching SvelteKit's \`handle\` to its response,
so it includes waiting for the database connection but not for the event loop or the socket).
Mutations/s: accepted mutations ÷ wall time. Pulls with all changes: of the devices whose push
was accepted and whose pull was answered, those whose first pull already held their learner and
every event (on PostgreSQL a pull serves only what every older transaction has finished). Listen overflows: connection attempts the kernel
dropped because the server's accept queue was full (\`TcpExt ListenOverflows\` in
\`/proc/net/netstat\`, whole machine, during the run); the client retries those after a second
or more. Target: no errors.

| Database | Devices | Wall time | Mutations/s | Push p50 / p95 / max | Pull p50 / p95 / max | Errors | Server: push | Server: pull | Pulls with all ${SIZES.loadEvents + 1} changes | Listen overflows |
| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |
${loadRows.join('\n')}
${problems.length ? `\n${problems.map((p) => `- ${p}`).join('\n')}\n` : ''}
### Method (sync)

**Ingest.** In one Node process, through \`handlePush(office, body)\` (no HTTP, no JSON
parsing), each repetition on a fresh, migrated database: a new SQLite file in a temporary
directory, or a new database on the PostgreSQL server, opened with \`openDatabase\` as the server
does. ${SIZES.pushes + 1} devices (\`FakeDevice\` from the integration tests) first each push their learner
(untimed), then each sends one push of ${BATCH} progress events for that learner, one push after
the other; the first push warms up and is not timed. The reference is the same number of rows,
built the same way (other ids), inserted with one Kysely
\`insertInto('progress_events').values([…${BATCH} rows])\` in its own transaction per batch, into the
same database, again after one untimed batch. The two phases alternate which goes first. Every
push must come back 200 with all ${BATCH} accepted, and the table must hold every row afterwards.
events/s = ${SIZES.pushes} × ${BATCH} ÷ the phase's time; the ratio is taken within each repetition.
Statements are counted with a Kysely plugin on one more, untimed push. Time is
\`performance.now()\`.

**Load.** The production build (\`node build\`, started by \`tests/e2e/support/server.ts\` with its
own data directory; for PostgreSQL with \`DATABASE_URL\` naming a new database), a fresh server
for each run. One device syncs first, untimed. Then every device's request bodies are built,
and all devices start in the same tick (\`Promise.all\`, Node's global \`fetch\`, so one connection
per device): \`POST /api/sync/push\`, and when it is answered \`POST /api/sync/pull\` with no cursor.
Latency is from the call of \`fetch\` to the end of the response body. An error is any answer
other than 200 or a failed request; the run is cut off after ${loadLimit(200) / 1000} s (${loadLimit(1000) / 1000} s for more than 200
devices) and what did not finish counts as an error. The load generator runs on the same
${machine.cores} cores as the server and PostgreSQL, so the figures include its own queueing. Percentiles are
nearest-rank.

${SYNC_MARKERS[1]}`;
}

function writeReport(section: string): void {
	const previous = existsSync(REPORT) ? readFileSync(REPORT, 'utf8') : '';
	const old = syncSection(previous);
	let next: string;
	if (old) next = previous.replace(old, section);
	else if (previous.includes(NOTES_MARKER))
		next = previous.replace(NOTES_MARKER, `${section}\n\n${NOTES_MARKER}`);
	else next = `${previous.trimEnd()}\n\n${section}\n`;
	writeFileSync(REPORT, next);
}

// ---------------------------------------------------------------------------------------------

function git(...args: string[]): string {
	try {
		return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
	} catch {
		return '';
	}
}

function buildVersion(): string {
	const file = join(BUILD_DIR, 'client/_app/version.json');
	if (!existsSync(join(BUILD_DIR, 'index.js')) || !existsSync(file)) {
		throw new Error(`no production build in ${BUILD_DIR}: run \`npm run build\` first`);
	}
	return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

async function main(): Promise<void> {
	const startedAt = new Date();
	const build = buildVersion();
	const before = loadavg();
	if (before[0]! > cpus().length * 0.75) {
		log(
			`Warning: the machine is busy (load ${before[0]!.toFixed(2)} on ${cpus().length} cores): the figures will be slower and noisier.`
		);
	}
	log(`Sync benchmarks${smoke ? ' (smoke: tiny sizes, nothing is written)' : ''}`);
	const postgres = await startPostgres();
	const forgetPostgres = onAbort(() => postgres.stop());
	const ingest: IngestResult[] = [];
	const loads: LoadResult[] = [];
	let validation: Summary;
	try {
		log(`(1) ingest: ${SIZES.pushes} pushes of ${BATCH} events, ${SIZES.repetitions} repetitions`);
		for (const dialect of DIALECTS) ingest.push(await benchIngest(dialect));
		validation = validationMs();
		for (const devices of SIZES.loads) {
			for (const dialect of DIALECTS) {
				log(`(2) ${devices} devices at once on ${dialect}`);
				const result = await benchLoad(dialect, devices);
				loads.push(result);
				const f = loadFigures(result);
				log(
					`  ${fixed(result.wallMs / 1000)} s${result.timedOut ? ' (cut off)' : ''}; push p50/p95/max ${latency(f.push)}; pull ${latency(f.pull)}; errors ${f.pushErrors + f.pullErrors} (${f.errorKinds}); pulls complete ${f.complete}/${f.served}; listen overflows ${result.listenOverflows ?? '?'}`
				);
			}
		}
	} finally {
		forgetPostgres();
		await postgres.stop();
	}
	if (buildVersion() !== build) {
		throw new Error(
			`the build changed during the run (${build} → ${buildVersion()}): run it again`
		);
	}

	const results: SyncResults = {
		startedAt,
		seconds: (Date.now() - startedAt.getTime()) / 1000,
		command: `npx tsx scripts/bench/sync.ts${smoke ? ' --smoke' : ''}`,
		load: { before, after: loadavg() },
		source: {
			commit: git('rev-parse', '--short', 'HEAD'),
			dirty: git('status', '--porcelain') !== '',
			build
		},
		postgres,
		ingest,
		validation,
		loads
	};
	log('');
	for (const result of ingest) {
		const f = ingestFigures(result);
		log(
			`${result.dialect.padEnd(8)} push ${spread(f.push, rate)} events/s; raw ${spread(f.raw, rate)} events/s; push ÷ raw ${spread(f.ratio, (n) => fixed(n, 3))} (target ≥ ${TARGET_RATIO}: ${f.ratio.median >= TARGET_RATIO ? 'pass' : 'miss'}); ${result.statements} statements a push`
		);
	}
	log(`validation of a 200-event push: ${fixed(validation.median, 2)} ms (median)`);
	const errors = loads.reduce((sum, r) => {
		const f = loadFigures(r);
		return sum + f.pushErrors + f.pullErrors;
	}, 0);
	log(`load: ${errors} errors in all (target 0)`);
	if (smoke && errors > 0) {
		// Ten devices cannot overload the server: an error here means a broken build or script.
		throw new Error(`${errors} requests failed in the smoke run`);
	} else if (smoke) {
		log(
			`\nSmoke run (${Math.round(results.seconds)} s): the sync benchmarks work; docs/benchmarks.md was not touched.`
		);
	} else {
		writeReport(renderSection(results));
		log(`\nWritten to the Sync section of docs/benchmarks.md (${Math.round(results.seconds)} s).`);
	}
}

const done = guardRun('Sync benchmarks', LIMIT_MS);
main().then(done, (error: unknown) => {
	done();
	console.error(
		`Sync benchmarks failed: ${error instanceof Error ? (error.stack ?? error.message) : error}`
	);
	process.exitCode = 1;
});
