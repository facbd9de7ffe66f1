import { redirect } from '@sveltejs/kit';
import { audit } from '$lib/server/auth/audit';
import { SESSION_COOKIE, endSession } from '$lib/server/auth/sessions';
import { office } from '$lib/server/office';
import type { Actions } from './$types';

export const actions = {
	default: async ({ locals, cookies }) => {
		const db = await office();
		if (locals.sessionToken) await endSession(db, locals.sessionToken);
		if (locals.staff) await audit(db.db, { action: 'staff.sign-out', staffId: locals.staff.id });
		cookies.delete(SESSION_COOKIE, { path: '/' });
		redirect(303, '/office/sign-in');
	}
} satisfies Actions;
