/**
 * Read-only SQLite connections in worker threads, for the office's long reads (reports).
 *
 * better-sqlite3 answers on the thread that asks, so on the embedded database a report of two
 * years used to hold the server's only thread for most of a second: every tablet's sync waited
 * behind it, and the report's statements ran one after the other. Here each worker has its own
 * read-only connection to the same file (WAL lets readers run beside the writer), the statements
 * of a report run on as many cores as there are workers, and the main thread stays free.
 *
 * Each statement sees what was committed when it starts; two statements of one report may see
 * different moments, as with a pool of PostgreSQL connections (docs/decisions.md).
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import {
	CompiledQuery,
	Kysely,
	SqliteAdapter,
	SqliteIntrospector,
	SqliteQueryCompiler,
	type DatabaseConnection,
	type Dialect,
	type Driver,
	type QueryResult
} from 'kysely';
import type { Database } from './schema';

/** Pragmas every connection to the file gets (the writer's are set in `connection.ts`). */
export const READ_PRAGMAS = [
	// 64 MB of page cache instead of 2 MB: a report reads a few thousand pages again and again.
	'cache_size = -65536',
	// Grouping and DISTINCT sort in memory instead of a temporary file.
	'temp_store = MEMORY',
	'busy_timeout = 5000'
];

/**
 * The worker's whole program, as text: a file of its own would not survive the server's
 * bundling. It prepares each statement once and refuses anything that writes.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.driver);
const db = new SQLite(workerData.file, { readonly: true, fileMustExist: true });
for (const pragma of workerData.pragmas) db.pragma(pragma);
const prepared = new Map();
parentPort.on('message', ({ id, sql, parameters }) => {
	try {
		let statement = prepared.get(sql);
		if (!statement) {
			statement = db.prepare(sql);
			if (prepared.size > 500) prepared.clear();
			prepared.set(sql, statement);
		}
		if (!statement.reader) throw new Error('a reader connection only reads');
		parentPort.postMessage({ id, rows: statement.all(parameters) });
	} catch (error) {
		parentPort.postMessage({ id, error: { message: String(error && error.message), code: error && error.code } });
	}
});
`;

interface Answer {
	id: number;
	rows?: unknown[];
	error?: { message: string; code?: string };
}

class ReaderConnection implements DatabaseConnection {
	#worker: Worker;
	#next = 0;
	#waiting = new Map<number, { resolve(rows: unknown[]): void; reject(error: Error): void }>();

	constructor(file: string, driver: string) {
		this.#worker = new Worker(WORKER_SOURCE, {
			eval: true,
			workerData: { file, driver, pragmas: READ_PRAGMAS }
		});
		this.#worker.on('message', (answer: Answer) => {
			const waiting = this.#waiting.get(answer.id);
			this.#waiting.delete(answer.id);
			if (this.#waiting.size === 0) this.#worker.unref();
			if (!waiting) return;
			if (answer.error) {
				waiting.reject(Object.assign(new Error(answer.error.message), { code: answer.error.code }));
			} else waiting.resolve(answer.rows ?? []);
		});
		const fail = (error: Error) => {
			for (const waiting of this.#waiting.values()) waiting.reject(error);
			this.#waiting.clear();
			this.broken = true;
		};
		this.#worker.on('error', fail);
		this.#worker.on('exit', (code) => fail(new Error(`the reader thread ended (${code})`)));
		// An idle reader must not keep the process alive; one with a statement running must.
		this.#worker.unref();
	}

	broken = false;

	executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
		if (this.broken) return Promise.reject(new Error('the reader thread has ended'));
		const id = this.#next++;
		return new Promise<unknown[]>((resolve, reject) => {
			if (this.#waiting.size === 0) this.#worker.ref();
			this.#waiting.set(id, { resolve, reject });
			this.#worker.postMessage({ id, sql: query.sql, parameters: query.parameters });
		}).then((rows) => ({ rows: rows as R[] }));
	}

	// eslint-disable-next-line require-yield
	async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
		throw new Error('reader connections do not stream');
	}

	close(): Promise<number> {
		return this.#worker.terminate();
	}
}

/** Where better-sqlite3 is, for the worker's `require` (which has no module of its own). */
const driverPath = () => createRequire(import.meta.url).resolve('better-sqlite3');

class ReaderPoolDriver implements Driver {
	#idle: ReaderConnection[] = [];
	#all: ReaderConnection[] = [];
	#queue: ((connection: ReaderConnection) => void)[] = [];

	constructor(
		private readonly file: string,
		private readonly size: number
	) {}

	async init(): Promise<void> {
		for (let i = 0; i < this.size; i++)
			this.#all.push(new ReaderConnection(this.file, driverPath()));
		this.#idle = [...this.#all];
	}

	async acquireConnection(): Promise<DatabaseConnection> {
		const connection = this.#idle.pop();
		if (connection) return this.#whole(connection);
		return new Promise<ReaderConnection>((resolve) => this.#queue.push(resolve)).then((c) =>
			this.#whole(c)
		);
	}

	/** A connection whose thread died is replaced before anyone gets it again. */
	#whole(connection: ReaderConnection): ReaderConnection {
		if (!connection.broken) return connection;
		const fresh = new ReaderConnection(this.file, driverPath());
		this.#all[this.#all.indexOf(connection)] = fresh;
		return fresh;
	}

	async releaseConnection(connection: DatabaseConnection): Promise<void> {
		const next = this.#queue.shift();
		if (next) next(connection as ReaderConnection);
		else this.#idle.push(connection as ReaderConnection);
	}

	async beginTransaction(): Promise<void> {
		throw new Error('reader connections have no transactions');
	}
	commitTransaction = this.beginTransaction;
	rollbackTransaction = this.beginTransaction;

	async destroy(): Promise<void> {
		await Promise.all(this.#all.map((c) => c.close()));
		this.#all = [];
		this.#idle = [];
	}
}

/** As many readers as cores, at least two (so one long statement never holds up the next). */
export function readerCount(): number {
	return Math.max(2, Math.min(4, availableParallelism()));
}

/** A Kysely that only reads, over `size` worker threads on the SQLite file. */
export function openReaders(file: string, size = readerCount()): Kysely<Database> {
	const dialect: Dialect = {
		createAdapter: () => new SqliteAdapter(),
		createDriver: () => new ReaderPoolDriver(file, size),
		createIntrospector: (db) => new SqliteIntrospector(db),
		createQueryCompiler: () => new SqliteQueryCompiler()
	};
	return new Kysely<Database>({ dialect });
}
