/**
 * Server start and every request: open and migrate the database before the first request,
 * log each request as JSON, and close the database once adapter-node has drained the
 * requests in flight on shutdown.
 */
import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { building } from '$app/environment';
import { env } from '$env/dynamic/private';
import { errorFields, log } from '$lib/server/log';
import { configFromEnv, startOffice, stopOffice } from '$lib/server/office';

export const init: ServerInit = async () => {
	if (building) return; // prerendering the app shell needs no database
	await startOffice(configFromEnv(env));
	process.once('sveltekit:shutdown', (reason) => {
		void stopOffice().then(() => log.info('stopped', { reason }));
	});
};

export const handle: Handle = async ({ event, resolve }) => {
	const started = performance.now();
	const response = await resolve(event);
	if (event.url.pathname.startsWith('/api/')) {
		log.info('request', {
			method: event.request.method,
			path: event.url.pathname,
			status: response.status,
			ms: Math.round(performance.now() - started)
		});
	}
	return response;
};

export const handleError: HandleServerError = ({ error, event }) => {
	log.error('unhandled', { path: event.url.pathname, ...errorFields(error) });
	return { message: 'Internal error' };
};
