import { json } from '@sveltejs/kit';
import { readiness } from '$lib/server/ops/readiness';
import type { RequestHandler } from './$types';

/** Readiness: the database answers and carries every migration of this release. */
export const GET: RequestHandler = async () => {
	const state = await readiness();
	return json(state, { status: state.status === 'ready' ? 200 : 503 });
};
