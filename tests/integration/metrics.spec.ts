/**
 * Health and metrics of the built server (`node build`): liveness answers without the
 * database, readiness when the database answers and is migrated, `/api/health` as before;
 * `/api/metrics` is off without METRICS_TOKEN, refuses a request without the token or with a
 * wrong one, and with it answers Prometheus text that counts what the sync just did.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PushResponse } from '../../src/lib/sync/protocol';
import { enrolDevices } from './support/enrol';
import { FakeDevice, newLearnerId } from './support/factories';
import { Instance } from './support/instance';

const TOKEN = 'metrics-token-for-the-test-0123456789abcdef';

let dataDir: string;
let server: Instance;

beforeAll(async () => {
	dataDir = mkdtempSync(join(tmpdir(), 'lernlotse-metrics-'));
	server = await Instance.spawn({ DATA_DIR: dataDir, METRICS_TOKEN: TOKEN });
	await server.ready();
}, 60_000);

afterAll(async () => {
	await server?.stop();
	rmSync(dataDir, { recursive: true, force: true });
});

const metrics = (authorization?: string) =>
	fetch(`${server.url}/api/metrics`, {
		headers: authorization ? { authorization } : {}
	});

/** The value of one sample line, e.g. `lernlotse_sync_mutations_total{status="accepted"}`. */
function sample(text: string, series: string): number | undefined {
	const line = text.split('\n').find((l) => l.startsWith(`${series} `));
	return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('health', () => {
	it('answers liveness, readiness and the combined check', async () => {
		const live = await fetch(`${server.url}/api/health/live`);
		expect(live.status).toBe(200);
		expect(await live.json()).toEqual({ status: 'live' });

		const ready = await fetch(`${server.url}/api/health/ready`);
		expect(ready.status).toBe(200);
		expect(await ready.json()).toEqual({
			status: 'ready',
			database: 'sqlite',
			newerMigrations: []
		});

		const health = await fetch(`${server.url}/api/health`);
		expect(health.status).toBe(200);
		expect(await health.json()).toEqual({ status: 'ok', database: 'sqlite' });
	});
});

describe('metrics', () => {
	it('refuses without the token and with a wrong one', async () => {
		for (const authorization of [
			undefined,
			'Bearer wrong-token',
			`Bearer ${TOKEN}x`,
			TOKEN,
			`Basic ${TOKEN}`
		]) {
			const refused = await metrics(authorization);
			expect(refused.status, String(authorization)).toBe(401);
			expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer/);
			expect(await refused.text()).not.toContain('lernlotse_');
		}
	});

	it('answers Prometheus text with the token, counting requests, sync and outboxes', async () => {
		const tablet = new FakeDevice();
		const [credential] = (await enrolDevices({ dataDir }, [tablet.id])).values();
		const learnerId = newLearnerId();
		const batch = {
			...tablet.push([tablet.learner({ id: learnerId }), tablet.progress(learnerId)]),
			outbox: { size: 2, oldestAgeSeconds: 5400 }
		};
		const push = () =>
			fetch(`${server.url}/api/sync/push`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', authorization: `Bearer ${credential}` },
				body: JSON.stringify(batch)
			});
		const first = (await (await push()).json()) as PushResponse;
		expect(first.results.map((r) => r.status)).toEqual(['accepted', 'accepted']);
		const again = (await (await push()).json()) as PushResponse; // the reply was lost
		expect(again.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate']);
		const unenrolled = await fetch(`${server.url}/api/sync/pull`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(new FakeDevice().pull(null))
		});
		expect(unenrolled.status).toBe(401);

		const answer = await metrics(`Bearer ${TOKEN}`);
		expect(answer.status).toBe(200);
		expect(answer.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
		const text = await answer.text();
		expect(text).toContain('# TYPE lernlotse_sync_mutations_total counter');
		expect(sample(text, 'lernlotse_sync_mutations_total{status="accepted"}')).toBe(2);
		expect(sample(text, 'lernlotse_sync_mutations_total{status="duplicate"}')).toBe(2);
		expect(sample(text, 'lernlotse_sync_batches_total{kind="push",status="200"}')).toBe(2);
		expect(sample(text, 'lernlotse_sync_batches_total{kind="pull",status="401"}')).toBe(1);
		// Two pushes reported a 90-minute-old outbox: in the 4-hour bucket, not the 1-hour one.
		expect(sample(text, 'lernlotse_device_outbox_oldest_age_seconds_bucket{le="3600"}')).toBe(0);
		expect(sample(text, 'lernlotse_device_outbox_oldest_age_seconds_bucket{le="14400"}')).toBe(2);
		expect(sample(text, 'lernlotse_device_outbox_size_sum')).toBe(4);
		expect(
			sample(
				text,
				'lernlotse_http_requests_total{route="/api/sync/push",method="POST",status="200"}'
			)
		).toBe(2);
		expect(
			sample(
				text,
				'lernlotse_http_requests_total{route="/api/health/live",method="GET",status="200"}'
			)
		).toBeGreaterThanOrEqual(1);
		expect(
			sample(text, 'lernlotse_database_query_duration_seconds_count{dialect="sqlite"}')
		).toBeGreaterThan(10);
		expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
	});

	it('is off, and says so, without METRICS_TOKEN', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'lernlotse-metrics-off-'));
		const off = await Instance.spawn({ DATA_DIR: dir, METRICS_TOKEN: '' });
		try {
			await off.ready();
			const answer = await fetch(`${off.url}/api/metrics`, {
				headers: { authorization: 'Bearer anything-at-all' }
			});
			expect(answer.status).toBe(404);
			expect(await answer.json()).toMatchObject({ error: 'metrics-off' });
		} finally {
			await off.stop();
			rmSync(dir, { recursive: true, force: true });
		}
	}, 60_000);
});
