/**
 * Service worker registration and updates through workbox-window. A new version waits until
 * the learner chooses to use it, and the choice is offered only between lessons: nothing
 * ever reloads a page by itself.
 */
import { Workbox } from 'workbox-window';
import { dev } from '$app/environment';

const FALLBACK_RELOAD_MS = 3000;

export class AppUpdates {
	waiting = $state(false);
	controlled = $state(false);
	#workbox: Workbox | null = null;
	#applying = false;
	#reloading = false;

	async register(): Promise<void> {
		if (!('serviceWorker' in navigator)) return;
		const workbox = new Workbox('/service-worker.js', { type: dev ? 'module' : 'classic' });
		workbox.addEventListener('waiting', () => (this.waiting = true));
		workbox.addEventListener('controlling', () => {
			this.controlled = true;
			// Only a reload the learner asked for: other tabs take the new version on their next visit.
			if (this.#applying) this.#reloadOnce();
		});
		this.controlled = !!navigator.serviceWorker.controller;
		this.#workbox = workbox;
		await workbox.register();
	}

	/** Looks for a new version now (the browser also looks on each navigation). */
	async check(): Promise<void> {
		await this.#workbox?.update();
	}

	async apply(): Promise<void> {
		if (!this.#workbox || !this.waiting) return;
		this.#applying = true;
		// Listen to the browser too: workbox-window may treat a version found by the browser's
		// own update check as "external" and then not report it taking control.
		navigator.serviceWorker.addEventListener('controllerchange', () => this.#reloadOnce(), {
			once: true
		});
		this.#workbox.messageSkipWaiting();
		const registration = await navigator.serviceWorker.getRegistration();
		registration?.waiting?.postMessage({ type: 'SKIP_WAITING' });
		// The learner asked for it: if the browser is slow to hand over, reload anyway; the new
		// version (told to skip waiting) takes over on that navigation.
		setTimeout(() => this.#reloadOnce(), FALLBACK_RELOAD_MS);
	}

	#reloadOnce(): void {
		if (this.#reloading) return;
		this.#reloading = true;
		window.location.reload();
	}
}
