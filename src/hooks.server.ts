/**
 * Server start and every request: open and migrate the database before the first request
 * (and print the first-run setup code when there is no admin yet), find the staff member
 * behind a session cookie, refuse cross-site writes, add security headers, log each API
 * request as JSON, count every request for the metrics, and close the database once
 * adapter-node has drained the requests in flight on shutdown.
 */
import { json, text, type Handle, type HandleServerError, type ServerInit } from '@sveltejs/kit';
import { applyRetention } from '$lib/server/privacy/erase';
import { purgeAuditLog } from '$lib/server/privacy/audit-retention';
import { purgeSecurityData } from '$lib/server/privacy/security-data';
import { building } from '$app/environment';
import { env } from '$env/dynamic/private';
import { SESSION_COOKIE, staffFromSession } from '$lib/server/auth/sessions';
import { prepareSetup } from '$lib/server/auth/setup';
import { errorFields, log } from '$lib/server/log';
import { configFromEnv, office, startOffice, stopOffice } from '$lib/server/office';
import { countRequest } from '$lib/server/ops/metrics';
import { timeQueries } from '$lib/server/ops/query-timer';
import { isCrossSiteWrite, securityHeaders } from '$lib/server/security';

export const init: ServerInit = async () => {
	if (building) return;
	const started = await startOffice(configFromEnv(env));
	timeQueries(started);
	if (env.METRICS_TOKEN && env.METRICS_TOKEN.length < 32) {
		log.warn('METRICS_TOKEN is short: use at least 32 random characters');
	}
	const setupCode = await prepareSetup(started);
	if (setupCode) {
		log.info('first run: no administrator yet', {
			setupCode,
			hint: `open /office/setup in a browser and enter the setup code ${setupCode}`
		});
	}
	// Personal data of learners inactive past the retention period is erased at start and daily,
	// and so are lockouts, staff sessions and enrolment codes that are over, and audit log
	// entries older than the audit log's period.
	const retention = async () => {
		const erased = await applyRetention(started.db).catch((error: unknown) => {
			log.error('retention failed', { error: String(error) });
			return 0;
		});
		if (erased > 0) log.info('retention: learners erased', { erased });
		const purged = await purgeSecurityData(started.db).catch((error: unknown) => {
			log.error('clean-up of security data failed', { error: String(error) });
			return null;
		});
		if (purged) log.info('security data that is over deleted', { ...purged });
		const removed = await purgeAuditLog(started.db).catch((error: unknown) => {
			log.error('clean-up of the audit log failed', { error: String(error) });
			return 0;
		});
		if (removed > 0) log.info('audit log entries past their period deleted', { removed });
	};
	void retention();
	const daily = setInterval(() => void retention(), 24 * 60 * 60 * 1000);
	daily.unref();
	process.once('sveltekit:shutdown', (reason) => {
		clearInterval(daily);
		void stopOffice().then(() => log.info('stopped', { reason }));
	});
};

export const handle: Handle = async ({ event, resolve }) => {
	const started = performance.now();
	if (isCrossSiteWrite(event.request, event.url.origin)) {
		const body = { error: 'cross-site', message: 'Cross-site requests are not allowed.' };
		return event.url.pathname.startsWith('/api/')
			? json(body, { status: 403 })
			: text(body.message, { status: 403 });
	}
	const token = event.cookies.get(SESSION_COOKIE) ?? null;
	event.locals.sessionToken = token;
	event.locals.staff = token ? await staffFromSession(await office(), token) : null;
	if (token && !event.locals.staff) event.cookies.delete(SESSION_COOKIE, { path: '/' });

	const response = await resolve(event);
	for (const [name, value] of Object.entries(securityHeaders(event.url.protocol === 'https:'))) {
		if (!response.headers.has(name)) response.headers.set(name, value);
	}
	if (event.url.pathname.startsWith('/office') || event.url.pathname.startsWith('/api/')) {
		// Staff pages and data are never kept by a shared browser's cache.
		if (!response.headers.has('cache-control')) response.headers.set('cache-control', 'no-store');
	}
	// Route ids, not paths, so the metrics keep a label per page rather than per learner id.
	countRequest(
		event.route.id ?? 'unmatched',
		event.request.method,
		response.status,
		(performance.now() - started) / 1000
	);
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
	return { message: 'errors.internal' };
};
