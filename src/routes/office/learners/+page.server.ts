import { requireStaff } from '$lib/server/auth/guard';
import { office } from '$lib/server/office';
import { findLearners } from '$lib/server/privacy/learners';
import type { PageServerLoad } from './$types';

export const load = (async (event) => {
	requireStaff(event, 'learners.manage');
	const query = (event.url.searchParams.get('q') ?? '').slice(0, 60);
	const db = await office();
	const hits = query.trim().length >= 2 ? await findLearners(db.db, query) : null;
	return { query, hits };
}) satisfies PageServerLoad;
