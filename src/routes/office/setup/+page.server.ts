import { redirect } from '@sveltejs/kit';
import { SESSION_COOKIE, cookieOptions, createSession } from '$lib/server/auth/sessions';
import { completeSetup } from '$lib/server/auth/setup';
import { field, refused } from '$lib/server/forms';
import { office } from '$lib/server/office';
import type { Actions } from './$types';

export const actions = {
	default: async ({ request, cookies, getClientAddress, url }) => {
		const data = await request.formData();
		const input = {
			setupCode: field(data, 'setupCode', 40),
			email: field(data, 'email', 200),
			name: field(data, 'name', 100),
			password: field(data, 'password', 300),
			locationName: field(data, 'locationName', 120),
			locationKind: field(data, 'locationKind', 40)
		};
		const db = await office();
		const done = await completeSetup(db, input, getClientAddress());
		if (!done.ok) {
			// What was typed comes back to the form, but never the password or the code.
			return refused(done, {
				email: input.email,
				name: input.name,
				locationName: input.locationName,
				locationKind: input.locationKind
			});
		}
		const session = await createSession(db, done.value.staffId, null);
		cookies.set(
			SESSION_COOKIE,
			session.token,
			cookieOptions(url.protocol === 'https:', session.expires)
		);
		redirect(303, '/office');
	}
} satisfies Actions;
