/**
 * A report's tables as rows of text, the same for the CSV files and the PDF: one header, then a
 * row per place, course or month. People counts under five are already "< 5".
 */
import { interfaceOf, type LanguageCode } from '../../i18n/languages';
import type { FigureRow, Report } from '../../domain/reports/report';
import { peopleText } from '../../domain/reports/suppression';
import { word } from './words';

export const FIGURES = [
	'sessions',
	'attendances',
	'learners',
	'newLearners',
	'returningLearners',
	'hours',
	'lessonsCompleted',
	'coursesCompleted',
	'volunteers',
	'volunteerHours'
] as const;

export type TableName = 'months' | 'locations' | 'courses' | 'attributes';

export interface TextTable {
	title: string;
	header: string[];
	rows: string[][];
}

/**
 * A number as the language writes it (decimal comma or point), always in Latin digits and
 * without grouping, so spreadsheet programs read it as a number.
 */
export function formatNumber(lang: LanguageCode, n: number): string {
	const ui = interfaceOf(lang);
	const locale = ui === 'en' ? 'en-GB' : ui;
	return n.toLocaleString(`${locale}-u-nu-latn`, { useGrouping: false });
}

function figureCells(lang: LanguageCode, row: FigureRow): string[] {
	return FIGURES.map((figure) => {
		const value = row[figure];
		return typeof value === 'number'
			? formatNumber(lang, value)
			: peopleText(value, (n) => formatNumber(lang, n));
	});
}

export function figureTable(
	lang: LanguageCode,
	name: Exclude<TableName, 'attributes'>,
	report: Report,
	label: (key: string) => string
): TextTable {
	const rows =
		name === 'months' ? report.byMonth : name === 'locations' ? report.byLocation : report.byCourse;
	const first = { months: 'month', locations: 'location', courses: 'course' }[name];
	return {
		title: word(
			lang,
			`reports.${{ months: 'byMonth', locations: 'byLocation', courses: 'byCourse' }[name]}`
		),
		header: [
			word(lang, `reports.${first}`),
			...FIGURES.map((f) => word(lang, `reports.figures.${f}`))
		],
		rows: [
			...rows.map((row) => [label(row.key), ...figureCells(lang, row)]),
			[word(lang, 'reports.total'), ...figureCells(lang, report.total)]
		]
	};
}

export function attributeTable(lang: LanguageCode, report: Report): TextTable {
	const rows: string[][] = [];
	for (const group of ['ageGroup', 'targetGroup', 'language'] as const) {
		for (const row of report.attributes[group]) {
			const value = word(lang, `reports.values.${row.key}`);
			rows.push([
				word(lang, `reports.attributes.${group}`),
				value.startsWith('reports.') ? row.key : value,
				peopleText(row.learners, (n) => formatNumber(lang, n))
			]);
		}
	}
	rows.push([
		word(lang, 'reports.attributes.noConsent'),
		'',
		peopleText(report.attributes.withoutConsent, (n) => formatNumber(lang, n))
	]);
	return {
		title: word(lang, 'reports.attributes.title'),
		header: [
			word(lang, 'reports.attributes.group'),
			word(lang, 'reports.attributes.value'),
			word(lang, 'reports.figures.learners')
		],
		rows
	};
}
