/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/**
 * Precaches the app shell and every course pack and image, then answers every learner page
 * from the cache, so a reload or a deep link works with the network gone. Updates wait for
 * the learner (see `lib/client/pwa/updates.svelte.ts`).
 */
import { build, files, version } from '$service-worker';
import { clientsClaim } from 'workbox-core';
import {
	cleanupOutdatedCaches,
	createHandlerBoundToURL,
	precacheAndRoute
} from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { CacheFirst } from 'workbox-strategies';
import { COURSE_FILES_CACHE } from '$lib/client/content/install-packs';

declare const self: ServiceWorkerGlobalScope;

// Course packs and their images carry a content hash in their name; the rest needs a revision.
const HASHED = /\.[0-9a-f]{10}\.[a-z]+$/;
const SKIP = /(^|\/)(README\.md|\.[^/]*)$/;

precacheAndRoute([
	...build.map((url) => ({ url, revision: null })),
	...files
		.filter((url) => !SKIP.test(url))
		.map((url) => ({ url, revision: HASHED.test(url) ? null : version })),
	// The app shell: rendered by the server (so it carries the security headers), the same
	// for every learner and volunteer page, renewed with each release.
	{ url: '/', revision: version }
]);
cleanupOutdatedCaches();
// The first install takes over the open page at once, so the first visit already works offline.
// Later versions wait in `waiting` until the learner accepts them.
clientsClaim();

// Every page of the learner and volunteer faces is the same client-rendered shell.
registerRoute(
	new NavigationRoute(createHandlerBoundToURL('/'), { denylist: [/^\/api\//, /^\/office(\/|$)/] })
);

// Packs and images published in the office, and the coat of arms: named by content hash, so
// a stored copy is always right. The page stores them when it installs a course.
registerRoute(
	({ url }) => url.pathname.startsWith('/api/courses/files/'),
	new CacheFirst({ cacheName: COURSE_FILES_CACHE })
);

// Background Sync: the browser wakes us when the connection is back; an open page does the sync.
self.addEventListener('sync', (event) => {
	const e = event as ExtendableEvent & { tag?: string };
	if (e.tag !== 'lernlotse-sync') return;
	e.waitUntil(
		self.clients
			.matchAll({ type: 'window' })
			.then((clients) => clients.forEach((client) => client.postMessage({ type: 'SYNC' })))
	);
});

self.addEventListener('message', (event) => {
	if (event.data?.type === 'SKIP_WAITING') void self.skipWaiting();
});
