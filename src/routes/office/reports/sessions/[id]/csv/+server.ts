import { error } from '@sveltejs/kit';
import { toCsv } from '$lib/domain/reports/csv';
import { audit } from '$lib/server/auth/audit';
import { requireLocation, requireStaff } from '$lib/server/auth/guard';
import { office } from '$lib/server/office';
import { attendanceList } from '$lib/server/reports/sessions';
import { languageOf, word } from '$lib/server/reports/words';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	const staff = requireStaff(event, 'reports.read');
	const db = await office();
	const list = await attendanceList(db.db, event.params.id);
	if (!list) error(404, 'office:errors.notFound');
	requireLocation(staff, list.session.locationId);
	await audit(db.db, {
		action: 'report.attendance-list',
		staffId: staff.id,
		locationId: list.session.locationId,
		target: list.session.id,
		details: { format: 'csv' }
	});
	const lang = languageOf(event.url.searchParams.get('lang'));
	const header = [
		word(lang, 'reports.sessions.date'),
		word(lang, 'reports.sessions.session'),
		word(lang, 'reports.list.name'),
		word(lang, 'reports.list.status'),
		word(lang, 'reports.list.signedUp')
	];
	const when = `${list.session.date} ${list.session.start}–${list.session.end}`;
	const rows = list.learners.map((l) => [
		when,
		list.session.title,
		l.name,
		word(lang, `reports.status.${l.status || 'unmarked'}`),
		word(lang, `reports.roster.${l.roster || 'none'}`)
	]);
	return new Response(toCsv(header, rows), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${word(lang, 'reports.list.fileName')}-${list.session.date}.csv"`
		}
	});
};
