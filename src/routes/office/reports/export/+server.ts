/**
 * The report's tables as files: CSV per table (UTF-8 with BOM, so spreadsheets show umlauts),
 * or the whole report as a PDF for the council. An empty period gives files with headers only.
 */
import { error } from '@sveltejs/kit';
import { toCsv } from '$lib/domain/reports/csv';
import { audit } from '$lib/server/auth/audit';
import { loadReport } from '$lib/server/reports/load';
import { reportPdf } from '$lib/server/reports/pdf';
import { attributeTable, figureTable, type TableName } from '$lib/server/reports/tables';
import { word } from '$lib/server/reports/words';
import type { RequestHandler } from './$types';

const TABLES = ['months', 'locations', 'courses', 'attributes', 'pdf'] as const;

export const GET: RequestHandler = async (event) => {
	const table = event.url.searchParams.get('table') ?? '';
	if (!(TABLES as readonly string[]).includes(table)) error(404, 'office:errors.notFound');
	const { staff, db, parsed, report, lang, names } = await loadReport(event);
	if (!report || !parsed.filter) error(400, `office:reports.problem.${parsed.problem}`);
	const period = `${parsed.filter.period.from}_${parsed.filter.period.to}`;
	await audit(db.db, {
		action: 'report.export',
		staffId: staff.id,
		locationId: parsed.form.location || null,
		details: { table, period }
	});
	if (table === 'pdf') {
		const bytes = await reportPdf(lang, parsed.filter.period, report, names);
		return new Response(bytes as BodyInit, {
			headers: {
				'content-type': 'application/pdf',
				'content-disposition': `attachment; filename="${word(lang, 'reports.fileName')}-${period}.pdf"`
			}
		});
	}
	const label = { months: names.month, locations: names.place, courses: names.course }[
		table as Exclude<TableName, 'attributes'>
	];
	const text =
		table === 'attributes'
			? attributeTable(lang, report)
			: figureTable(lang, table as Exclude<TableName, 'attributes'>, report, label);
	const file = `${word(lang, 'reports.fileName')}-${table}-${period}.csv`;
	return new Response(toCsv(text.header, text.rows), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${file}"`
		}
	});
};
