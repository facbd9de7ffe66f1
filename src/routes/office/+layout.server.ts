import { redirect } from '@sveltejs/kit';
import { hasAnyAdmin } from '$lib/server/auth/staff';
import { office } from '$lib/server/office';
import type { LayoutServerLoad } from './$types';

export const load = (async ({ locals, url }) => {
	const needsSetup = !(await hasAnyAdmin(await office()));
	if (needsSetup && url.pathname !== '/office/setup') redirect(303, '/office/setup');
	if (!needsSetup && url.pathname === '/office/setup') redirect(303, '/office');
	const staff = locals.staff;
	return {
		staff: staff && { id: staff.id, name: staff.name, email: staff.email, role: staff.role }
	};
}) satisfies LayoutServerLoad;
