/** A learner's data as JSON, for their request to see what is stored about them. */
import { error, json } from '@sveltejs/kit';
import { audit } from '$lib/server/auth/audit';
import { requireStaff } from '$lib/server/auth/guard';
import { office } from '$lib/server/office';
import { exportLearner } from '$lib/server/privacy/export';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	const staff = requireStaff(event, 'learners.manage');
	const db = await office();
	const data = await exportLearner(db.db, event.params.id);
	if (!data) error(404, 'office:errors.notFound');
	await audit(db.db, { action: 'learner.export', staffId: staff.id, target: event.params.id });
	return json(data, {
		headers: {
			'content-disposition': `attachment; filename="lernlotse-${event.params.id}.json"`
		}
	});
};
