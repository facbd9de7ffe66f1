import { fail } from '@sveltejs/kit';
import { requireStaff } from '$lib/server/auth/guard';
import { field } from '$lib/server/forms';
import { office } from '$lib/server/office';
import { applyRetention, retentionMonths, setRetentionMonths } from '$lib/server/privacy/erase';
import type { Actions, PageServerLoad } from './$types';

const MAX_RETENTION_MONTHS = 120;

export const load = (async (event) => {
	requireStaff(event, 'privacy.manage');
	return { months: await retentionMonths((await office()).db) };
}) satisfies PageServerLoad;

export const actions = {
	save: async (event) => {
		const staff = requireStaff(event, 'privacy.manage');
		const typed = field(await event.request.formData(), 'months', 10).trim();
		const months = Number(typed);
		if (!/^\d+$/.test(typed) || months > MAX_RETENTION_MONTHS) {
			return fail(400, { problem: 'office:privacy.invalid', typed });
		}
		await setRetentionMonths((await office()).db, months, staff.id);
		return { saved: months };
	},
	run: async (event) => {
		requireStaff(event, 'privacy.manage');
		return { erased: await applyRetention((await office()).db) };
	}
} satisfies Actions;
