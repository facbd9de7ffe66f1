import { requireStaff } from '$lib/server/auth/guard';
import { recentAudit } from '$lib/server/auth/audit';
import { office } from '$lib/server/office';
import type { PageServerLoad } from './$types';

export const load = (async (event) => {
	requireStaff(event, 'audit.read');
	const before = Number(event.url.searchParams.get('before'));
	return {
		entries: await recentAudit(await office(), {
			limit: 100,
			before: Number.isInteger(before) && before > 0 ? before : undefined
		})
	};
}) satisfies PageServerLoad;
