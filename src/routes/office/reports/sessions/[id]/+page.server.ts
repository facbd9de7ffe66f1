import { error } from '@sveltejs/kit';
import { audit } from '$lib/server/auth/audit';
import { requireLocation, requireStaff } from '$lib/server/auth/guard';
import { listLocations } from '$lib/server/auth/locations';
import { office } from '$lib/server/office';
import { attendanceList } from '$lib/server/reports/sessions';
import type { PageServerLoad } from './$types';

export const load = (async (event) => {
	const staff = requireStaff(event, 'reports.read');
	const db = await office();
	const list = await attendanceList(db.db, event.params.id);
	if (!list) error(404, 'office:errors.notFound');
	requireLocation(staff, list.session.locationId);
	// The list names people: who read it, when, is written down.
	await audit(db.db, {
		action: 'report.attendance-list',
		staffId: staff.id,
		locationId: list.session.locationId,
		target: list.session.id
	});
	const place = (await listLocations(db)).find((l) => l.id === list.session.locationId);
	return { ...list, place: place?.name ?? '' };
}) satisfies PageServerLoad;
