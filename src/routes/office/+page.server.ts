import { requireStaff } from '$lib/server/auth/guard';
import type { PageServerLoad } from './$types';

export const load = ((event) => {
	const staff = requireStaff(event);
	return { role: staff.role };
}) satisfies PageServerLoad;
