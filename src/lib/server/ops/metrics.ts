/**
 * The office server's Prometheus metrics, one registry per process: requests by route and
 * status, sync batches, the fate of pushed mutations, the outbox health devices report, and
 * the time queries take. Each instance keeps its own counts; Prometheus scrapes every instance
 * and adds them up (docs/operations.md, "What to monitor").
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export const registry = new Registry();
// Memory, CPU, event-loop delay and open handles of the Node process.
collectDefaultMetrics({ register: registry });

const requests = new Counter({
	name: 'lernlotse_http_requests_total',
	help: 'HTTP requests answered by the app, by route, method and status',
	labelNames: ['route', 'method', 'status'] as const,
	registers: [registry]
});

const requestSeconds = new Histogram({
	name: 'lernlotse_http_request_duration_seconds',
	help: 'Time to answer an HTTP request, by route',
	labelNames: ['route'] as const,
	buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
	registers: [registry]
});

const syncBatches = new Counter({
	name: 'lernlotse_sync_batches_total',
	help: 'Sync requests (push batches and pull pages), by kind and status',
	labelNames: ['kind', 'status'] as const,
	registers: [registry]
});

const mutations = new Counter({
	name: 'lernlotse_sync_mutations_total',
	help: 'Pushed mutations by fate: accepted, duplicate (already applied) or rejected',
	labelNames: ['status'] as const,
	registers: [registry]
});

const outboxAge = new Histogram({
	name: 'lernlotse_device_outbox_oldest_age_seconds',
	help: 'Age of the oldest unsent change a device reports with each push',
	// From a minute to a month: a tablet that was offline over the holidays shows up here.
	buckets: [60, 300, 900, 3600, 4 * 3600, 86_400, 3 * 86_400, 7 * 86_400, 30 * 86_400],
	registers: [registry]
});

const outboxSize = new Histogram({
	name: 'lernlotse_device_outbox_size',
	help: 'Unsent changes a device reports with each push',
	buckets: [0, 1, 10, 50, 200, 1000, 5000, 20_000],
	registers: [registry]
});

const querySeconds = new Histogram({
	name: 'lernlotse_database_query_duration_seconds',
	help: 'Time from sending a query to its result, waiting for a connection included',
	labelNames: ['dialect'] as const,
	buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
	registers: [registry]
});

export function countRequest(route: string, method: string, status: number, seconds: number) {
	requests.inc({ route, method, status: String(status) });
	requestSeconds.observe({ route }, seconds);
}

export type SyncKind = 'push' | 'pull';

export interface DeviceOutbox {
	size: number;
	oldestAgeSeconds: number;
}

/** Counts one answered sync request; for a push that was applied, its mutations' fates too. */
export function countSync(
	kind: SyncKind,
	status: number,
	fates: readonly { status: 'accepted' | 'duplicate' | 'rejected' }[] = []
) {
	syncBatches.inc({ kind, status: String(status) });
	for (const fate of fates) mutations.inc({ status: fate.status });
}

export function observeOutbox(outbox: DeviceOutbox) {
	outboxSize.observe(outbox.size);
	outboxAge.observe(outbox.oldestAgeSeconds);
}

export function observeQuery(dialect: string, seconds: number) {
	querySeconds.observe({ dialect }, seconds);
}

export async function metricsText(): Promise<{ body: string; contentType: string }> {
	return { body: await registry.metrics(), contentType: registry.contentType };
}
