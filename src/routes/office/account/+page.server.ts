import { requireStaff } from '$lib/server/auth/guard';
import { changePassword } from '$lib/server/auth/staff';
import { field, refused } from '$lib/server/forms';
import { office } from '$lib/server/office';
import type { Actions, PageServerLoad } from './$types';

export const load = ((event) => {
	const staff = requireStaff(event);
	return { required: staff.mustChangePassword, email: staff.email };
}) satisfies PageServerLoad;

export const actions = {
	password: async (event) => {
		const staff = requireStaff(event);
		const data = await event.request.formData();
		const done = await changePassword(
			await office(),
			staff,
			field(data, 'current', 1000),
			field(data, 'next', 300),
			event.locals.sessionToken!
		);
		return done.ok ? { changed: true } : refused(done);
	}
} satisfies Actions;
