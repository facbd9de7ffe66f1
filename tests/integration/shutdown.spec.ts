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
	reply: Promise<{ status: number; body: PushResponse }>;
	/** Sends the rest of the body. */
	finish(): void;
}

/**
 * A push sent in two halves: the server has the request open (headers read, body arriving)
 * before the second half goes out, so it is truly in flight whenever the test stops it.
 */
function pushInTwoHalves(server: TestServer, credential: string, body: unknown): Sent {
	const text = JSON.stringify(body);
	const half = Math.floor(text.length / 2);
	let finish!: () => void;
	const reply = new Promise<{ status: number; body: PushResponse }>((resolve, reject) => {
		const req = request(
			`${server.url}/api/sync/push`,
			{
				method: 'POST',
				headers: { 'content-type': 'application/json', authorization: `Bearer ${credential}` }
			},
			(res) => {
				let answer = '';
				res.on('data', (chunk: Buffer) => (answer += chunk.toString()));
				res.on('end', () =>
					resolve({ status: res.statusCode ?? 0, body: JSON.parse(answer) as PushResponse })
				);
			}
		);
		req.on('error', reject);
		req.write(text.slice(0, half));
		finish = () => req.end(text.slice(half));
	});
	return { reply, finish };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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

			const sent = batches.map((batch, i) => pushInTwoHalves(server, credentials[i]!, batch));
			await pause(1000); // the server has read the headers and waits for the rest
			const stopped = server.stop(); // SIGTERM, as systemd or an upgrade sends it
			await pause(300);
			for (const push of sent) push.finish();
			const replies = await Promise.all(sent.map((s) => s.reply));
			await stopped;

			for (const reply of replies) {
				expect(reply.status).toBe(200);
				expect(reply.body.results.every((r) => r.status === 'accepted')).toBe(true);
			}
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
