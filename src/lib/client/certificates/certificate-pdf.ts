/**
 * Makes a certificate of participation as a PDF on the device, so a learner can have one
 * printed or sent on even where the library's network is down. The PDF code is large and
 * rarely needed: it loads only when a certificate is made, never with the everyday pages.
 */
import type { PDFFont, PDFPage, RGB } from 'pdf-lib';
import { directionOf } from '../../i18n/languages';
import type { VisualRun } from './visual-runs';

export interface CertificateText {
	/** BCP 47, e.g. 'de' or 'en': screen readers pick their voice by it. */
	lang: string;
	heading: string;
	learnerName: string;
	statement: string;
	courseTitle: string;
	details: string[];
	dateLine: string;
	signatureLabel: string;
	footer: string;
}

export interface CertificateFonts {
	regular: ArrayBuffer | Uint8Array;
	bold: ArrayBuffer | Uint8Array;
}

export interface CertificateOptions {
	/** The document's creation date; now unless the caller wants it to match the date line. */
	createdAt?: Date;
}

export const FONT_URLS = {
	regular: '/fonts/DejaVuSans.ttf',
	bold: '/fonts/DejaVuSans-Bold.ttf'
} as const;

/** Width of `text` set at `size` points. */
export type Measure = (text: string, size: number) => number;

/**
 * Breaks `text` into lines no wider than `maxWidth`, at spaces only: a name or a word cut in
 * half reads as a mistake on a certificate. A single word wider than the line still gets a
 * line of its own; `fitText` then shrinks the type until it fits.
 */
export function wrapText(
	text: string,
	width: (text: string) => number,
	maxWidth: number
): string[] {
	const lines: string[] = [];
	let line = '';
	for (const word of text.split(/\s+/).filter(Boolean)) {
		const candidate = line ? `${line} ${word}` : word;
		if (line && width(candidate) > maxWidth) {
			lines.push(line);
			line = word;
		} else {
			line = candidate;
		}
	}
	if (line) lines.push(line);
	return lines;
}

export interface FitOptions {
	size: number;
	minSize: number;
	maxWidth: number;
	maxLines: number;
}

export interface FittedText {
	lines: string[];
	size: number;
}

/** The lines of `text` at `size` if they are no more than `maxLines` and all fit. */
function linesAt(
	text: string,
	measure: Measure,
	size: number,
	{ maxWidth, maxLines }: Pick<FitOptions, 'maxWidth' | 'maxLines'>
): string[] | undefined {
	const lines = wrapText(text, (line) => measure(line, size), maxWidth);
	const fits = lines.length <= maxLines && lines.every((line) => measure(line, size) <= maxWidth);
	return fits ? lines : undefined;
}

/**
 * The largest size from `size` down to `minSize` at which `text` wraps into at most
 * `maxLines` lines that all fit; but one line a fifth smaller beats two, since a heading or a
 * name broken in two reads worse than a slightly smaller one. Text too long even at `minSize`
 * is cut with an ellipsis: anything is better than print that runs off the page.
 */
export function fitText(text: string, measure: Measure, options: FitOptions): FittedText {
	const { minSize, maxWidth, maxLines } = options;
	const oneLineDownTo = Math.max(minSize, options.size * 0.8);
	for (let size = options.size; size >= oneLineDownTo; size -= 0.5) {
		const lines = linesAt(text, measure, size, { maxWidth, maxLines: 1 });
		if (lines) return { lines, size };
	}
	for (let size = options.size; size >= minSize; size -= 0.5) {
		const lines = linesAt(text, measure, size, options);
		if (lines) return { lines, size };
	}
	const wrapped = wrapText(text, (line) => measure(line, minSize), maxWidth);
	// One very long word (a long surname, say) is shrunk further rather than cut, up to a point.
	const widest = Math.max(...wrapped.map((line) => measure(line, minSize)));
	const size = Math.max(minSize / 2, Math.min(minSize, (minSize * maxWidth) / widest));
	const width = (line: string) => measure(line, size);
	const lines = wrapped.slice(0, maxLines).map((line, i) => {
		const cut = i === maxLines - 1 && wrapped.length > maxLines;
		return clipLine(cut ? `${line}…` : line, width, maxWidth);
	});
	return { lines, size };
}

/** Shortens `line` by whole characters (never half a surrogate pair) and marks the cut. */
export function clipLine(line: string, width: (text: string) => number, maxWidth: number): string {
	if (width(line) <= maxWidth) return line;
	const chars = [...line.replace(/…$/, '')];
	while (chars.length > 0 && width(`${chars.join('')}…`) > maxWidth) chars.pop();
	return `${chars.join('').trimEnd()}…`;
}

// A4 portrait, in PostScript points.
const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = 80;
const TEXT_WIDTH = PAGE.width - 2 * MARGIN;
const LINE_HEIGHT = 1.3;
// The flowing part sits between the top and the fixed date, signature and footer below it.
const BODY = { top: PAGE.height - 120, bottom: 270 };

/** What the drawing needs from pdf-lib, which is loaded only once a certificate is made. */
interface Kit {
	page: PDFPage;
	regular: PDFFont;
	bold: PDFFont;
	ink: RGB;
	accent: RGB;
	muted: RGB;
	/** A line cut into runs, left to right as they appear (right-to-left languages). */
	runs: (line: string) => VisualRun[];
}

interface Style {
	font: PDFFont;
	size: number;
	maxLines: number;
	color: RGB;
	/** Space before the block, in points at full size. */
	gap: number;
}

interface Block extends FittedText {
	font: PDFFont;
	color: RGB;
	gap: number;
}

function measureWith(font: PDFFont): Measure {
	return (text, size) => font.widthOfTextAtSize(text, size);
}

function fitBlock(text: string, style: Style, scale: number): Block {
	const size = style.size * scale;
	const fitted = fitText(text, measureWith(style.font), {
		size,
		minSize: size * 0.6,
		maxWidth: TEXT_WIDTH,
		maxLines: style.maxLines
	});
	return { ...fitted, font: style.font, color: style.color, gap: style.gap * scale };
}

function blockHeight(block: Block): number {
	return block.gap + block.lines.length * block.size * LINE_HEIGHT;
}

function bodyHeight(blocks: Block[]): number {
	return blocks.reduce((sum, block) => sum + blockHeight(block), 0);
}

/**
 * Fits the flowing part into its space, shrinking everything together when long texts or
 * many detail lines would not fit, so the page keeps its proportions.
 */
function layoutBody(parts: [string, Style][]): Block[] {
	const available = BODY.top - BODY.bottom;
	let scale = 1;
	for (;;) {
		const blocks = parts.map(([text, style]) => fitBlock(text, style, scale));
		const height = bodyHeight(blocks);
		if (height <= available || scale < 0.1) return blocks;
		scale *= Math.max(0.5, Math.min(0.95, available / height));
	}
}

function bodyParts(text: CertificateText, kit: Kit): [string, Style][] {
	const style = (font: PDFFont, size: number, maxLines: number, gap: number): Style => ({
		font,
		size,
		maxLines,
		color: kit.ink,
		gap
	});
	return [
		[text.heading, { ...style(kit.bold, 30, 2, 0), color: kit.accent }],
		[text.learnerName, style(kit.regular, 28, 2, 44)],
		[text.statement, style(kit.regular, 13, 3, 22)],
		[text.courseTitle, style(kit.bold, 19, 3, 14)],
		...text.details.map((detail, i): [string, Style] => [
			detail,
			style(kit.regular, 12, 2, i === 0 ? 24 : 2)
		])
	];
}

function drawCentred(kit: Kit, text: string, y: number, look: Omit<Block, 'lines' | 'gap'>) {
	const runs = kit.runs(text).map((run) => ({
		...run,
		width: look.font.widthOfTextAtSize(run.text, look.size)
	}));
	let x = (PAGE.width - runs.reduce((sum, run) => sum + run.width, 0)) / 2;
	for (const run of runs) {
		kit.page.drawText(run.text, { x, y, size: look.size, font: look.font, color: look.color });
		x += run.width;
	}
}

/** Draws the blocks from the top down, centred as a group in the space between. */
function drawBody(kit: Kit, blocks: Block[]) {
	let top = BODY.top - Math.max(0, (BODY.top - BODY.bottom - bodyHeight(blocks)) / 2);
	for (const block of blocks) {
		top -= block.gap;
		for (const line of block.lines) {
			top -= block.size * LINE_HEIGHT;
			// The baseline sits a little above the line's bottom, leaving room for descenders.
			drawCentred(kit, line, top + block.size * 0.3, block);
		}
	}
}

function drawBorder(kit: Kit) {
	const frame = (inset: number, thickness: number) =>
		kit.page.drawRectangle({
			x: inset,
			y: inset,
			width: PAGE.width - 2 * inset,
			height: PAGE.height - 2 * inset,
			borderColor: kit.accent,
			borderWidth: thickness
		});
	frame(30, 1.2);
	frame(36, 0.4);
}

/** A one-line text at a fixed height: these must never push each other around. */
function drawSingle(kit: Kit, text: string, y: number, size: number, color: RGB) {
	const fitted = fitText(text, measureWith(kit.regular), {
		size,
		minSize: size * 0.6,
		maxWidth: TEXT_WIDTH,
		maxLines: 1
	});
	const line = fitted.lines[0];
	if (line) drawCentred(kit, line, y, { font: kit.regular, size: fitted.size, color });
}

function drawClosing(kit: Kit, text: CertificateText) {
	drawSingle(kit, text.dateLine, 215, 12, kit.ink);
	const lineWidth = 200;
	kit.page.drawLine({
		start: { x: (PAGE.width - lineWidth) / 2, y: 160 },
		end: { x: (PAGE.width + lineWidth) / 2, y: 160 },
		thickness: 0.6,
		color: kit.ink
	});
	drawSingle(kit, text.signatureLabel, 146, 10, kit.muted);
	drawSingle(kit, text.footer, 56, 9, kit.muted);
}

export async function certificatePdf(
	text: CertificateText,
	fonts: CertificateFonts,
	options: CertificateOptions = {}
): Promise<Uint8Array> {
	const [{ PDFDocument, rgb }, fontkitModule, { visualRuns }] = await Promise.all([
		import('pdf-lib'),
		import('@pdf-lib/fontkit'),
		import('./visual-runs')
	]);
	const direction = directionOf(text.lang);
	const pdf = await PDFDocument.create({ updateMetadata: false });
	pdf.registerFontkit(fontkitModule.default ?? fontkitModule);
	// Subsetting keeps only the glyphs used: some kilobytes instead of the fonts' 1.4 MB.
	const [regular, bold] = await Promise.all([
		pdf.embedFont(fonts.regular, { subset: true }),
		pdf.embedFont(fonts.bold, { subset: true })
	]);
	const kit: Kit = {
		page: pdf.addPage([PAGE.width, PAGE.height]),
		regular,
		bold,
		ink: rgb(0.13, 0.16, 0.22),
		accent: rgb(0.2, 0.32, 0.45),
		muted: rgb(0.4, 0.43, 0.48),
		runs: (line) => visualRuns(line, direction)
	};
	drawBorder(kit);
	drawBody(kit, layoutBody(bodyParts(text, kit)));
	drawClosing(kit, text);

	const createdAt = options.createdAt ?? new Date();
	pdf.setTitle(`${text.heading} – ${text.learnerName}`, { showInWindowTitleBar: true });
	pdf.setSubject(text.courseTitle);
	pdf.setLanguage(text.lang);
	pdf.setCreator('Lernlotse');
	pdf.setProducer('Lernlotse');
	pdf.setCreationDate(createdAt);
	pdf.setModificationDate(createdAt);
	return pdf.save();
}

async function fetchFont(fetcher: typeof fetch, url: string): Promise<ArrayBuffer> {
	const response = await fetcher(url);
	if (!response.ok) throw new Error(`certificate font ${url}: HTTP ${response.status}`);
	return response.arrayBuffer();
}

/** The fonts come from the app's own files (precached), so certificates work offline. */
export async function loadCertificateFonts(
	fetcher: typeof fetch = fetch
): Promise<CertificateFonts> {
	const [regular, bold] = await Promise.all([
		fetchFont(fetcher, FONT_URLS.regular),
		fetchFont(fetcher, FONT_URLS.bold)
	]);
	return { regular, bold };
}
