import { requireStaff } from '$lib/server/auth/guard';
import { listLocations } from '$lib/server/auth/locations';
import {
	createStaff,
	deleteStaff,
	listStaff,
	resetPassword,
	updateStaff
} from '$lib/server/auth/staff';
import { field, fields, refused } from '$lib/server/forms';
import { office } from '$lib/server/office';
import type { Actions, PageServerLoad } from './$types';

export const load = (async (event) => {
	requireStaff(event, 'staff.manage');
	const db = await office();
	const [staff, locations] = await Promise.all([listStaff(db), listLocations(db)]);
	return { staff, locations };
}) satisfies PageServerLoad;

function input(data: FormData) {
	return {
		email: field(data, 'email', 200),
		name: field(data, 'name', 100),
		role: field(data, 'role', 20),
		locationIds: fields(data, 'locationIds')
	};
}

export const actions = {
	create: async (event) => {
		const staff = requireStaff(event, 'staff.manage');
		const data = await event.request.formData();
		const typed = input(data);
		const done = await createStaff(
			await office(),
			{ ...typed, password: field(data, 'password', 300) },
			{ staffId: staff.id }
		);
		return done.ok ? { created: done.value.id } : refused(done, typed);
	},
	update: async (event) => {
		const staff = requireStaff(event, 'staff.manage');
		const data = await event.request.formData();
		const id = field(data, 'id', 60);
		const typed = { ...input(data), disabled: data.get('disabled') === 'on' };
		const done = await updateStaff(await office(), id, typed, { staffId: staff.id });
		return done.ok ? { updated: id } : refused(done, { ...typed, id });
	},
	reset: async (event) => {
		const staff = requireStaff(event, 'staff.manage');
		const data = await event.request.formData();
		const id = field(data, 'id', 60);
		const done = await resetPassword(await office(), id, { staffId: staff.id });
		return done.ok ? { reset: id, temporaryPassword: done.value.temporaryPassword } : refused(done);
	},
	delete: async (event) => {
		const staff = requireStaff(event, 'staff.manage');
		const id = field(await event.request.formData(), 'id', 60);
		const done = await deleteStaff(await office(), id, { staffId: staff.id });
		return done.ok ? { deleted: id } : refused(done);
	}
} satisfies Actions;
