import { requireStaff } from '$lib/server/auth/guard';
import { createLocation, listLocations, updateLocation } from '$lib/server/auth/locations';
import { field, refused } from '$lib/server/forms';
import { office } from '$lib/server/office';
import type { Actions, PageServerLoad } from './$types';

export const load = (async (event) => {
	requireStaff(event, 'locations.manage');
	return { locations: await listLocations(await office()) };
}) satisfies PageServerLoad;

function input(data: FormData) {
	return {
		name: field(data, 'name', 120),
		kind: field(data, 'kind', 40),
		address: field(data, 'address', 250)
	};
}

export const actions = {
	create: async (event) => {
		const staff = requireStaff(event, 'locations.manage');
		const data = await event.request.formData();
		const typed = input(data);
		const done = await createLocation(await office(), typed, { staffId: staff.id });
		return done.ok ? { created: done.value.id } : refused(done, typed);
	},
	update: async (event) => {
		const staff = requireStaff(event, 'locations.manage');
		const data = await event.request.formData();
		const typed = { ...input(data), archived: data.get('archived') === 'on' };
		const id = field(data, 'id', 60);
		const done = await updateLocation(await office(), id, typed, { staffId: staff.id });
		return done.ok ? { updated: id } : refused(done, { ...typed, id });
	}
} satisfies Actions;
