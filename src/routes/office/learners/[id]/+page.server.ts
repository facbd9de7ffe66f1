import { error, fail } from '@sveltejs/kit';
import { audit } from '$lib/server/auth/audit';
import { requireStaff } from '$lib/server/auth/guard';
import { field } from '$lib/server/forms';
import { office } from '$lib/server/office';
import { eraseLearner } from '$lib/server/privacy/erase';
import { exportLearner } from '$lib/server/privacy/export';
import type { Actions, PageServerLoad } from './$types';

export const load = (async (event) => {
	const staff = requireStaff(event, 'learners.manage');
	const db = await office();
	const data = await exportLearner(db.db, event.params.id);
	if (!data) error(404, 'office:errors.notFound');
	await audit(db.db, { action: 'learner.view', staffId: staff.id, target: event.params.id });
	return {
		learner: data.learner,
		places: data.places,
		devices: data.devices.length,
		attendance: data.attendance.length,
		progress: data.progress.length,
		notes: data.attendance.filter((a) => a.note).length
	};
}) satisfies PageServerLoad;

export const actions = {
	erase: async (event) => {
		const staff = requireStaff(event, 'learners.manage');
		const form = await event.request.formData();
		if (field(form, 'confirm', 10) !== 'yes') {
			return fail(400, { problem: 'office:learners.erase.confirmFirst' });
		}
		const db = await office();
		const erased = await eraseLearner(db.db, event.params.id, {
			staffId: staff.id,
			reason: 'request'
		});
		if (!erased) error(404, 'office:errors.notFound');
		return { erased: true };
	}
} satisfies Actions;
