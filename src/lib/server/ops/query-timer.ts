/**
 * Times every query the app sends, for the metrics. A Kysely plugin sees a query when it is
 * compiled (just before it is sent) and its result when it comes back; the time between is
 * what a request waits for the database, a wait for the connection included (on SQLite, the
 * one connection may be busy with another request's transaction). Failed queries are not timed.
 */
import type {
	KyselyPlugin,
	PluginTransformQueryArgs,
	PluginTransformResultArgs,
	QueryResult,
	RootOperationNode,
	UnknownRow
} from 'kysely';
import type { OfficeDatabase } from '../db/connection';
import { observeQuery } from './metrics';

export class QueryTimer implements KyselyPlugin {
	// Keyed by the query's identity object, so a query that fails leaves nothing behind.
	readonly #started = new WeakMap<object, number>();

	constructor(private readonly dialect: string) {}

	transformQuery({ node, queryId }: PluginTransformQueryArgs): RootOperationNode {
		this.#started.set(queryId, performance.now());
		return node;
	}

	async transformResult({
		result,
		queryId
	}: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
		const started = this.#started.get(queryId);
		if (started !== undefined) {
			this.#started.delete(queryId);
			observeQuery(this.dialect, (performance.now() - started) / 1000);
		}
		return result;
	}
}

/**
 * Makes every later query of this office database timed. The database object is shared by the
 * whole process (`office()`), so replacing its query builder here reaches every caller.
 */
export function timeQueries(office: OfficeDatabase): void {
	office.db = office.db.withPlugin(new QueryTimer(office.dialect));
}
