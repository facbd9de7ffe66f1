import { fail } from '@sveltejs/kit';
import { parseRetentionMonths } from '$lib/domain/privacy/retention';
import { requireStaff } from '$lib/server/auth/guard';
import { field } from '$lib/server/forms';
import { office } from '$lib/server/office';
import { auditRetentionMonths, setAuditRetentionMonths } from '$lib/server/privacy/audit-retention';
import { applyRetention, retentionMonths, setRetentionMonths } from '$lib/server/privacy/erase';
import type { Actions, PageServerLoad } from './$types';

export const load = (async (event) => {
	requireStaff(event, 'privacy.manage');
	const { db } = await office();
	return { months: await retentionMonths(db), auditMonths: await auditRetentionMonths(db) };
}) satisfies PageServerLoad;

// Each answer names its form, so the page shows an error or a notice beside that form only.
export const actions = {
	save: async (event) => {
		const staff = requireStaff(event, 'privacy.manage');
		const typed = field(await event.request.formData(), 'months', 10).trim();
		const months = parseRetentionMonths(typed);
		if (months === null) {
			return fail(400, { form: 'learners' as const, problem: 'office:privacy.invalid', typed });
		}
		await setRetentionMonths((await office()).db, months, staff.id);
		return { form: 'learners' as const, saved: months };
	},
	run: async (event) => {
		requireStaff(event, 'privacy.manage');
		return { form: 'run' as const, erased: await applyRetention((await office()).db) };
	},
	saveAudit: async (event) => {
		const staff = requireStaff(event, 'privacy.manage');
		const typed = field(await event.request.formData(), 'auditMonths', 10).trim();
		const months = parseRetentionMonths(typed);
		if (months === null) {
			return fail(400, { form: 'audit' as const, problem: 'office:privacy.invalid', typed });
		}
		const done = await setAuditRetentionMonths((await office()).db, months, staff.id);
		if (!done.ok) return fail(400, { form: 'audit' as const, problem: done.problem, typed });
		return { form: 'audit' as const, saved: months };
	}
} satisfies Actions;
