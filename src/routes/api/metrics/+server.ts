import { json } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import { metricsAccess } from '$lib/server/ops/metrics-access';
import { metricsText } from '$lib/server/ops/metrics';
import type { RequestHandler } from './$types';

/** Prometheus metrics, only for whoever holds METRICS_TOKEN (docs/operations.md). */
export const GET: RequestHandler = async ({ request }) => {
	const access = metricsAccess(env.METRICS_TOKEN, request.headers.get('authorization'));
	if (access === 'off') {
		return json(
			{ error: 'metrics-off', message: 'Metrics are off: set METRICS_TOKEN to turn them on.' },
			{ status: 404 }
		);
	}
	if (access === 'refused') {
		return json(
			{ error: 'unauthorized', message: 'Send the metrics token as a bearer token.' },
			{ status: 401, headers: { 'www-authenticate': 'Bearer realm="metrics"' } }
		);
	}
	const { body, contentType } = await metricsText();
	return new Response(body, { headers: { 'content-type': contentType } });
};
