import { fail } from '@sveltejs/kit';
import { requireStaff } from '$lib/server/auth/guard';
import { cityDressing, MAX_ARMS_BYTES, saveArms, saveCity } from '$lib/server/courses/city';
import { field, refused } from '$lib/server/forms';
import { office } from '$lib/server/office';
import { CITY_FIELDS } from '$lib/domain/city-rules';
import type { CitySettings } from '$lib/domain/city';
import type { Actions, PageServerLoad } from './$types';

export const load = (async (event) => {
	requireStaff(event, 'courses.manage');
	return { city: await cityDressing(await office()), maxArmsKb: MAX_ARMS_BYTES / 1024 };
}) satisfies PageServerLoad;

export const actions = {
	save: async (event) => {
		const staff = requireStaff(event, 'courses.manage');
		const data = await event.request.formData();
		const typed = Object.fromEntries(
			CITY_FIELDS.map((f) => [f, field(data, f, 400)])
		) as unknown as CitySettings;
		const done = await saveCity(await office(), typed, { staffId: staff.id });
		return done.ok ? { saved: true } : refused(done, { ...typed });
	},
	arms: async (event) => {
		const staff = requireStaff(event, 'courses.manage');
		const data = await event.request.formData();
		const file = data.get('arms');
		if (data.get('remove') === 'on') {
			await saveArms(await office(), null, { staffId: staff.id });
			return { arms: 'removed' };
		}
		if (!(file instanceof File) || file.size === 0) {
			return fail(400, { problem: 'office:city.armsMissing', field: 'arms', typed: {} });
		}
		const done = await saveArms(
			await office(),
			{ type: file.type, data: Buffer.from(await file.arrayBuffer()) },
			{ staffId: staff.id }
		);
		return done.ok ? { arms: 'saved' } : refused(done);
	}
} satisfies Actions;
