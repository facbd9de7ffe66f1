/**
 * Graceful shutdown: pushes already received when the server is told to stop (SIGTERM, as
 * systemd or an upgrade does) are finished and answered; nothing is half written; then the
 * database is closed. Runs the built server (`npm run build` first).
 */
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/lib/server/db/connection';
import type { PushResponse } from '../../src/lib/sync/protocol';
import { TestServer } from '../e2e/support/server';
import { enrolDevices } from './support/enrol';
import { FakeDevice, newLearnerId } from './support/factories';

const servers: TestServer[] = [];
afterEach(async () => {
	for (const server of servers.splice(0)) await server.dispose();
});

interface Sent {
	uploaded: Promise<void>;
	reply: Promise<{ status: number; body: PushResponse; at: number }>;
}

/** A push whose body is on the wire when `uploaded` resolves. */
function push(server: TestServer, credential: string, body: unknown): Sent {
	let uploaded!: () => void;
	const sent = new Promise<void>((resolve) => (uploaded = resolve));
	const reply = new Promise<{ status: number; body: PushResponse; at: number }>(
		(resolve, reject) => {
			const req = request(
				`${server.url}/api/sync/push`,
				{
					method: 'POST',
					headers: { 'content-type': 'application/json', authorization: `Bearer ${credential}` }
				},
				(res) => {
					let text = '';
					res.on('data', (chunk: Buffer) => (text += chunk.toString()));
					res.on('end', () =>
						resolve({
							status: res.statusCode ?? 0,
							body: JSON.parse(text) as PushResponse,
							at: Date.now()
						})
					);
				}
			);
			req.on('error', reject);
			req.on('finish', uploaded);
			req.end(JSON.stringify(body));
		}
	);
	return { uploaded: sent, reply };
}

describe('graceful shutdown', () => {
	it(
		'finishes the pushes in flight when told to stop, then closes the database',
		{ timeout: 60_000 },
		async () => {
			const server = await TestServer.start();
			servers.push(server);
			const tablets = [new FakeDevice(), new FakeDevice(), new FakeDevice()];
			const enrolled = await enrolDevices(
				{ dataDir: server.dataDir },
				tablets.map((t) => t.id)
			);
			const credentials = tablets.map((t) => enrolled.get(t.id)!);
			const batches = tablets.map((tablet) => {
				const learner = newLearnerId();
				return tablet.push([
					tablet.learner({ id: learner }),
					...Array.from({ length: 199 }, () => tablet.progress(learner))
				]);
			});

			const sent = batches.map((batch, i) => push(server, credentials[i]!, batch));
			await Promise.all(sent.map((s) => s.uploaded));
			const stopAt = Date.now();
			const stopped = server.stop(); // SIGTERM while the server works on the batches
			const replies = await Promise.all(sent.map((s) => s.reply));
			await stopped;

			for (const reply of replies) {
				expect(reply.status).toBe(200);
				expect(reply.body.results.every((r) => r.status === 'accepted')).toBe(true);
			}
			// At least one answer was given after the signal: the server did not just drop it.
			expect(Math.max(...replies.map((r) => r.at))).toBeGreaterThanOrEqual(stopAt);
			expect(server.log).toContain('"msg":"stopped"');

			const office = openDatabase({ dataDir: server.dataDir });
			const stored = await office.db
				.selectFrom('progress_events')
				.select((eb) => eb.fn.countAll<number>().as('n'))
				.executeTakeFirstOrThrow();
			await office.close();
			expect(Number(stored.n)).toBe(3 * 199);
		}
	);
});
