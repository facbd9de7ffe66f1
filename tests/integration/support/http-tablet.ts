/**
 * A light simulated tablet for load tests over HTTP: it keeps an outbox of mutations, pushes
 * it in batches and pulls with its cursor, as the app's sync engine does, and retries what a
 * tablet may retry (no answer, 502, 503, 504) with a short backoff. Any other refusal is an
 * error the tablet could not recover from, and is kept for the test to report.
 */
import {
	MAX_PUSH_BATCH,
	type PullResponse,
	type PushResponse
} from '../../../src/lib/sync/protocol';
import { FakeDevice, newLearnerId } from './factories';
import { pause } from './instance';

type Mutation = ReturnType<FakeDevice['progress']>;

const RETRYABLE = new Set([502, 503, 504]);

export class HttpTablet {
	readonly device = new FakeDevice();
	readonly learnerId = newLearnerId();
	/** Every progress event this tablet made, by id. */
	readonly made = new Set<string>();
	/** Every progress event id pulls brought back. */
	readonly pulled = new Set<string>();
	outbox: Mutation[] = [];
	cursor: string | null = null;
	retries = 0;
	readonly fatal: string[] = [];

	constructor(
		readonly base: () => string,
		public credential = ''
	) {
		this.outbox.push(this.device.learner({ id: this.learnerId }) as Mutation);
	}

	record(count: number): void {
		for (let i = 0; i < count; i++) {
			const mutation = this.device.progress(this.learnerId, { stepId: `step-${this.made.size}` });
			this.made.add(mutation.id);
			this.outbox.push(mutation);
		}
	}

	/** One request, retried while the answer is one a tablet waits out. */
	async send<T>(path: string, body: unknown): Promise<T | null> {
		for (let attempt = 1; attempt <= 40; attempt++) {
			let status = 0;
			let text = '';
			try {
				const response = await fetch(`${this.base()}${path}`, {
					method: 'POST',
					headers: {
						'content-type': 'application/json',
						authorization: `Bearer ${this.credential}`
					},
					body: JSON.stringify(body),
					signal: AbortSignal.timeout(15_000)
				});
				status = response.status;
				text = await response.text();
			} catch {
				status = 0; // no answer: the connection broke
			}
			if (status === 200) return JSON.parse(text) as T;
			if (status !== 0 && !RETRYABLE.has(status)) {
				this.fatal.push(`${path}: HTTP ${status} ${text.slice(0, 200)}`);
				return null;
			}
			this.retries++;
			await pause(100 + Math.random() * 200 * Math.min(attempt, 5));
		}
		this.fatal.push(`${path}: gave up after 40 tries`);
		return null;
	}

	/** Sends the outbox; only what the office acknowledged leaves it. */
	async push(): Promise<void> {
		while (this.outbox.length > 0 && this.fatal.length === 0) {
			const batch = this.outbox.slice(0, MAX_PUSH_BATCH);
			const reply = await this.send<PushResponse>('/api/sync/push', {
				...this.device.push(batch),
				outbox: { size: this.outbox.length, oldestAgeSeconds: 1 }
			});
			if (!reply) return;
			const done = new Set(reply.results.filter((r) => r.status !== 'rejected').map((r) => r.id));
			const rejected = reply.results.filter((r) => r.status === 'rejected');
			if (rejected.length > 0) this.fatal.push(`rejected: ${JSON.stringify(rejected)}`);
			this.outbox = this.outbox.filter((m) => !done.has(m.id));
		}
	}

	/** Pulls until the office has nothing more, keeping the cursor as the app does. */
	async pull(): Promise<void> {
		for (let page = 0; page < 100 && this.fatal.length === 0; page++) {
			const reply = await this.send<PullResponse>('/api/sync/pull', this.device.pull(this.cursor));
			if (!reply) return;
			for (const change of reply.changes) {
				if (change.entity === 'progress') this.pulled.add(change.data.id);
			}
			this.cursor = reply.cursor;
			if (!reply.more) return;
		}
	}
}
