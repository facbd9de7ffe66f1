import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

/**
 * Liveness: the process answers. It does not touch the database, so a database outage makes
 * instances unready (taken out of the proxy's rotation), not dead (restarted for nothing).
 */
export const GET: RequestHandler = () => json({ status: 'live' });
