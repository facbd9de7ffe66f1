/**
 * Keeps this device in step with the office, quietly: on start, on coming online, after each
 * lesson, every minute while online, and when the browser's Background Sync wakes us. One tab
 * syncs at a time (Web Locks); failures back off with jitter. The learner never waits for it.
 */
import type { LernlotseDatabase } from '../db/database';
import type { Device } from '../db/device';
import { getEnrolment, noteRefusal, usableCredential } from '../db/enrolment';
import { outboxHealth, SyncRefused, syncOnce, type SyncReport } from './engine';
import { httpTransport, type Transport } from './transport';

export type SyncState =
	| 'idle'
	| 'syncing'
	| 'offline'
	| 'update-required'
	| 'refused'
	/** No office knows this device yet: everything stays on it until it is enrolled. */
	| 'not-enrolled'
	/** The office revoked this device (or forgot its credential): nothing is sent. */
	| 'device-revoked'
	| 'device-not-enrolled';

const PERIOD_MS = 60_000;
const BACKOFF_BASE_MS = 5_000;
const BACKOFF_MAX_MS = 5 * 60_000;
const LAST_SUCCESS = 'lastSyncAt';

export class Syncer {
	state = $state<SyncState>('idle');
	/** Changes on this device the office does not have yet. */
	waiting = $state(0);
	/** Changes the office refused; kept on the device for a volunteer to look at. */
	refused = $state(0);
	lastSuccessAt = $state<string | null>(null);
	message = $state<string | null>(null);
	/** Goes up whenever a sync brought changes: pages showing progress read it to refresh. */
	revision = $state(0);
	#failures = 0;
	#timer: ReturnType<typeof setTimeout> | undefined;
	#again = false;
	#running: Promise<void> | null = null;
	#stop: (() => void) | null = null;
	/** Called when the office has new course versions or city settings to install. */
	onNewCourses: (() => Promise<void>) | null = null;

	constructor(
		private readonly db: LernlotseDatabase,
		private readonly device: Device,
		private readonly send: Transport = httpTransport('', 20_000, () => usableCredential(db))
	) {}

	async start(): Promise<void> {
		const last = (await this.db.meta.get(LAST_SUCCESS))?.value;
		if (typeof last === 'string') this.lastSuccessAt = last;
		await this.refreshCounts();
		const online = () => this.request();
		const offline = () => (this.state = 'offline');
		const fromWorker = (event: MessageEvent) => {
			if ((event.data as { type?: string } | null)?.type === 'SYNC') this.request();
		};
		window.addEventListener('online', online);
		window.addEventListener('offline', offline);
		navigator.serviceWorker?.addEventListener('message', fromWorker);
		this.#stop = () => {
			window.removeEventListener('online', online);
			window.removeEventListener('offline', offline);
			navigator.serviceWorker?.removeEventListener('message', fromWorker);
			clearTimeout(this.#timer);
		};
		this.request();
	}

	stop(): void {
		this.#stop?.();
	}

	async refreshCounts(): Promise<void> {
		this.waiting = (await outboxHealth(this.db)).size;
		this.refused = await this.db.outbox.filter((r) => !!r.rejected).count();
	}

	/** Asks for a sync soon; never waits for it. */
	request(): void {
		if (this.#running) {
			this.#again = true;
			return;
		}
		this.#running = this.#run().finally(() => {
			this.#running = null;
			if (this.#again) {
				this.#again = false;
				this.request();
			}
		});
	}

	/** For tests and the benchmark: the sync that is under way, if any. */
	settled(): Promise<void> {
		return this.#running ?? Promise.resolve();
	}

	async #run(): Promise<void> {
		clearTimeout(this.#timer);
		if (!navigator.onLine) {
			this.state = 'offline';
			await this.refreshCounts();
			await this.#askBackgroundSync();
			return;
		}
		const enrolment = await getEnrolment(this.db).catch(() => null);
		if (!enrolment || enrolment.refusal) {
			this.state = enrolment?.refusal ?? 'not-enrolled';
			await this.refreshCounts();
			return; // enrolling (or a card) asks for the next sync
		}
		this.state = 'syncing';
		try {
			const report = await this.#exclusive(() => syncOnce(this.db, this.device, this.send));
			this.#failures = 0;
			this.state = 'idle';
			this.message = null;
			// Another tab is syncing: it reports its own success; look again later.
			if (!report) return this.#schedule(PERIOD_MS);
			if (report.pulled > 0) this.revision++;
			if (report.newCourses) await this.onNewCourses?.().catch(() => undefined);
			this.lastSuccessAt = new Date(Date.now()).toISOString(); // eslint-disable-line svelte/prefer-svelte-reactivity -- a string is stored, not the Date;
			await this.db.meta.put({ key: LAST_SUCCESS, value: this.lastSuccessAt });
			this.#schedule(PERIOD_MS);
		} catch (error) {
			if (error instanceof SyncRefused) {
				this.state = error.outcome;
				this.message = error.message;
				if (error.outcome === 'device-revoked' || error.outcome === 'device-not-enrolled') {
					// Stop sending; what waits stays on the device until staff decide.
					await noteRefusal(this.db, error.outcome);
					return;
				}
				if (error.outcome === 'update-required') return; // retrying cannot help
			} else {
				this.state = 'offline';
				await this.#askBackgroundSync();
			}
			this.#failures++;
			const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (this.#failures - 1));
			this.#schedule(ceiling / 2 + Math.random() * (ceiling / 2));
		} finally {
			await this.refreshCounts().catch(() => undefined);
		}
	}

	#schedule(ms: number): void {
		clearTimeout(this.#timer);
		this.#timer = setTimeout(() => this.request(), ms);
	}

	/** Only one tab syncs at a time; another tab's request is simply skipped. */
	async #exclusive(work: () => Promise<SyncReport>): Promise<SyncReport | null> {
		if (!navigator.locks) return work();
		return navigator.locks.request('lernlotse-sync', { ifAvailable: true }, async (lock) =>
			lock ? work() : null
		);
	}

	async #askBackgroundSync(): Promise<void> {
		try {
			const registration = await navigator.serviceWorker?.ready;
			const sync = (
				registration as ServiceWorkerRegistration & {
					sync?: { register(tag: string): Promise<void> };
				}
			)?.sync;
			await sync?.register('lernlotse-sync');
		} catch {
			// not supported here: the timer and the online event still bring the next sync
		}
	}
}
