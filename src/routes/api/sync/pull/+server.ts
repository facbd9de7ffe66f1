import { handlePull } from '$lib/server/sync/pull';
import { syncEndpoint } from '$lib/server/sync/endpoint';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = ({ request }) => syncEndpoint(request, handlePull);
