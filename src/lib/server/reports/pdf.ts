/**
 * The report for the council as a PDF: the period, the figures in total, and the tables per
 * place, course and month and by attribute, with the small-cell note. Made on the server with
 * the same library and fonts as the tablets' certificates; A4 landscape, so ten figures fit.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PDFFont, PDFPage } from 'pdf-lib';
import type { Period } from '../../domain/reports/period';
import type { Report } from '../../domain/reports/report';
import type { LanguageCode } from '../../i18n/languages';
import { attributeTable, figureTable, type TextTable } from './tables';
import { word } from './words';

const PAGE = { width: 841.89, height: 595.28 };
const MARGIN = 40;
const ROW = 16;

function fontFile(name: string): Buffer {
	const dirs = [join(process.cwd(), 'build/client/fonts'), join(process.cwd(), 'static/fonts')];
	const dir = dirs.find((d) => existsSync(join(d, name)));
	if (!dir) throw new Error(`report font ${name} not found`);
	return readFileSync(join(dir, name));
}

interface Writer {
	page: PDFPage;
	y: number;
	regular: PDFFont;
	bold: PDFFont;
	newPage: () => void;
}

/** Cuts a cell's text to its column, with an ellipsis, so columns never overlap. */
function fit(font: PDFFont, text: string, size: number, width: number): string {
	if (font.widthOfTextAtSize(text, size) <= width) return text;
	let cut = text;
	while (cut.length > 1 && font.widthOfTextAtSize(`${cut}…`, size) > width) cut = cut.slice(0, -1);
	return `${cut}…`;
}

function line(w: Writer, text: string, size: number, bold = false): void {
	if (w.y < MARGIN + size) w.newPage();
	w.page.drawText(text, { x: MARGIN, y: w.y - size, size, font: bold ? w.bold : w.regular });
	w.y -= size * 1.6;
}

function table(w: Writer, data: TextTable): void {
	const usable = PAGE.width - 2 * MARGIN;
	const first = Math.min(170, usable * 0.24);
	const rest = (usable - first) / Math.max(1, data.header.length - 1);
	const widths = data.header.map((_, i) => (i === 0 ? first : rest));
	const draw = (cells: string[], font: PDFFont, size: number) => {
		if (w.y < MARGIN + ROW * 2) w.newPage();
		let x = MARGIN;
		cells.forEach((cell, i) => {
			const text = fit(font, cell, size, widths[i]! - 6);
			const width = font.widthOfTextAtSize(text, size);
			// Numbers right-aligned, labels left, as in the tables on screen.
			const at = i === 0 ? x : x + widths[i]! - 6 - width;
			w.page.drawText(text, { x: at, y: w.y - size, size, font });
			x += widths[i]!;
		});
		w.y -= ROW;
	};
	line(w, data.title, 13, true);
	draw(data.header, w.bold, 7.5);
	for (const row of data.rows) draw(row, w.regular, 9);
	w.y -= ROW;
}

export async function reportPdf(
	lang: LanguageCode,
	period: Period,
	report: Report,
	names: {
		place: (id: string) => string;
		course: (id: string) => string;
		month: (m: string) => string;
	}
): Promise<Uint8Array> {
	const [{ PDFDocument }, fontkit] = await Promise.all([
		import('pdf-lib'),
		import('@pdf-lib/fontkit')
	]);
	const pdf = await PDFDocument.create();
	pdf.registerFontkit(fontkit.default ?? fontkit);
	const [regular, bold] = await Promise.all([
		pdf.embedFont(fontFile('DejaVuSans.ttf'), { subset: true }),
		pdf.embedFont(fontFile('DejaVuSans-Bold.ttf'), { subset: true })
	]);
	const w: Writer = {
		page: pdf.addPage([PAGE.width, PAGE.height]),
		y: PAGE.height - MARGIN,
		regular,
		bold,
		newPage() {
			w.page = pdf.addPage([PAGE.width, PAGE.height]);
			w.y = PAGE.height - MARGIN;
		}
	};
	const day = (date: string) => {
		const [y, m, d] = date.split('-').map(Number) as [number, number, number];
		return new Intl.DateTimeFormat(lang, { dateStyle: 'long' }).format(new Date(y, m - 1, d));
	};
	const title = word(lang, 'reports.title');
	line(w, title, 20, true);
	line(w, word(lang, 'reports.periodHeading', { from: day(period.from), to: day(period.to) }), 12);
	line(w, word(lang, 'reports.smallCells'), 9);
	w.y -= 6;
	table(w, figureTable(lang, 'locations', report, names.place));
	table(w, figureTable(lang, 'courses', report, names.course));
	table(w, figureTable(lang, 'months', report, names.month));
	table(w, attributeTable(lang, report));

	pdf.setTitle(`${title} ${period.from} – ${period.to}`);
	pdf.setLanguage(lang);
	pdf.setCreator('Lernlotse');
	pdf.setProducer('Lernlotse');
	return pdf.save();
}
