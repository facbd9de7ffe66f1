import { handlePush } from '$lib/server/sync/push';
import { syncEndpoint } from '$lib/server/sync/endpoint';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = ({ request }) => syncEndpoint(request, handlePush);
