import { tabletIndex } from '$lib/server/courses/tablet-index';
import { office } from '$lib/server/office';
import type { RequestHandler } from './$types';

/** The course index for tablets: public, like the packs it names. Always asked afresh. */
export const GET: RequestHandler = async ({ request }) => {
	const { text, digest } = await tabletIndex(await office());
	const etag = `"${digest}"`;
	const headers = { 'content-type': 'application/json', 'cache-control': 'no-cache', etag };
	if (request.headers.get('if-none-match') === etag)
		return new Response(null, { status: 304, headers });
	return new Response(text, { headers });
};
