/**
 * Service worker registration and updates through workbox-window. A new version waits until
 * the learner chooses to use it, and the choice is offered only between lessons: nothing
 * ever reloads a page by itself.
 *
 * Applying it tells the new version to take over and reloads once it has. A browser may hold
 * that switch while the page that uses the old version stays open (seen in Chromium without
 * DevTools attached; with them it switched at once), so after a few seconds the page reloads
 * anyway: that navigation is what lets the switch finish. The request is repeated while the new version still waits,
 * since a request that reaches it while the browser restarts the old one can be dropped.
 */
import { Workbox } from 'workbox-window';
import { dev } from '$app/environment';

const ASK_AGAIN_MS = 500;
const RELOAD_ANYWAY_MS = 3000;

export type UpdateState = 'none' | 'waiting' | 'applying';

export class AppUpdates {
	state = $state<UpdateState>('none');
	controlled = $state(false);
	#reloading = false;

	async register(): Promise<void> {
		if (!('serviceWorker' in navigator)) return;
		const workbox = new Workbox('/service-worker.js', { type: dev ? 'module' : 'classic' });
		workbox.addEventListener('waiting', () => {
			if (this.state === 'none') this.state = 'waiting';
		});
		workbox.addEventListener('controlling', () => {
			this.controlled = true;
			// Only a reload the learner asked for: other tabs take the new version on their next visit.
			if (this.state === 'applying') this.#reloadOnce();
		});
		this.controlled = !!navigator.serviceWorker.controller;
		await workbox.register();
	}

	async apply(): Promise<void> {
		const next = (await navigator.serviceWorker.getRegistration())?.waiting;
		if (this.state !== 'waiting' || !next) return;
		this.state = 'applying';
		const started = Date.now();
		// The version's own state is watched, not only workbox-window's events: a version the
		// browser found by itself may count as "external" there and never be reported.
		while (!this.#reloading) {
			if (next.state === 'activated') return this.#reloadOnce();
			// Replaced by a newer version meanwhile, or taking too long: the reload finds what is there.
			if (next.state === 'redundant' || Date.now() - started >= RELOAD_ANYWAY_MS) {
				return this.#reloadOnce();
			}
			if (next.state === 'installed') next.postMessage({ type: 'SKIP_WAITING' });
			await new Promise((resolve) => setTimeout(resolve, ASK_AGAIN_MS));
		}
	}

	#reloadOnce(): void {
		if (this.#reloading) return;
		this.#reloading = true;
		window.location.reload();
	}
}
