import { error } from '@sveltejs/kit';
import { ARMS_URL_BASE, armsFile } from '$lib/server/courses/city';
import { courseFile } from '$lib/server/courses/releases';
import { office } from '$lib/server/office';
import type { RequestHandler } from './$types';

/**
 * Packs and images of courses published in the office, and the city's coat of arms. Names
 * carry their content hash, so they never change and may be cached for good. An image is
 * served so that it can never act as a page: no script, no sniffing.
 */
export const GET: RequestHandler = async ({ url }) => {
	const db = await office();
	const file = url.pathname.startsWith(`${ARMS_URL_BASE}/`)
		? await armsFile(db, url.pathname)
		: await courseFile(db, url.pathname);
	if (!file) error(404, 'not found');
	return new Response(new Uint8Array(file.data), {
		headers: {
			'content-type': file.type,
			'cache-control': 'public, max-age=31536000, immutable',
			'x-content-type-options': 'nosniff',
			'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox"
		}
	});
};
