import { readFileSync } from 'node:fs';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describe, expect, it } from 'vitest';
import {
	certificatePdf,
	clipLine,
	fitText,
	FONT_URLS,
	loadCertificateFonts,
	wrapText,
	type CertificateFonts,
	type CertificateText
} from './certificate-pdf';

const fonts: CertificateFonts = {
	regular: readFileSync('static/fonts/DejaVuSans.ttf'),
	bold: readFileSync('static/fonts/DejaVuSans-Bold.ttf')
};

const A4 = { width: 595.28, height: 841.89 };

const german: CertificateText = {
	lang: 'de',
	heading: 'Teilnahmebescheinigung',
	learnerName: 'Jürgen Großmann-Weiß',
	statement: 'hat erfolgreich an diesem Kurs teilgenommen:',
	courseTitle: 'Termine im Bürgeramt online buchen – Schritt für Schritt',
	details: ['5 Lektionen abgeschlossen', 'Stadtbibliothek Mitte, Straße der Einheit 3'],
	dateLine: 'Ausgestellt am 22. November 2026',
	signatureLabel: 'Unterschrift',
	footer: 'Lernlotse · Digitale Lernhilfe'
};

const english: Omit<CertificateText, 'learnerName'> = {
	lang: 'en',
	heading: 'Certificate of Participation',
	statement: 'has successfully taken part in this course:',
	courseTitle: 'Using the city’s online services',
	details: ['5 lessons completed', 'Central Library'],
	dateLine: 'Issued on 22 November 2026',
	signatureLabel: 'Signature',
	footer: 'Lernlotse · Digital learning help'
};

interface ReadBack {
	pages: number;
	text: string;
	/** Each text run with where it starts and how wide it is, in points. */
	runs: { str: string; x: number; y: number; width: number }[];
	info: Record<string, unknown>;
}

/** Reads a PDF the way a viewer would, without trusting anything our code says about it. */
async function readBack(bytes: Uint8Array): Promise<ReadBack> {
	// pdf.js takes over the buffer it is given, so it gets a copy.
	const pdf = await getDocument({
		data: bytes.slice(),
		useSystemFonts: false,
		disableFontFace: true
	}).promise;
	try {
		const page = await pdf.getPage(1);
		const content = await page.getTextContent();
		const runs = content.items.flatMap((item) =>
			'str' in item && item.str.trim()
				? [{ str: item.str, x: item.transform[4], y: item.transform[5], width: item.width }]
				: []
		);
		const text = runs
			.map((run) => run.str)
			.join(' ')
			.replace(/\s+/g, ' ');
		const { info } = await pdf.getMetadata();
		return { pages: pdf.numPages, text, runs, info: info as Record<string, unknown> };
	} finally {
		await pdf.destroy();
	}
}

function expectOnPage(runs: ReadBack['runs']) {
	// The inner frame is 36 pt in from the edge: text must stay inside it.
	for (const run of runs) {
		expect(run.x, run.str).toBeGreaterThanOrEqual(36);
		expect(run.x + run.width, run.str).toBeLessThanOrEqual(A4.width - 36);
		expect(run.y, run.str).toBeGreaterThanOrEqual(36);
		expect(run.y, run.str).toBeLessThanOrEqual(A4.height - 36);
	}
}

// Embedding and subsetting fonts is CPU work: on a busy two-core machine it takes seconds.
describe('certificatePdf', { timeout: 30_000 }, () => {
	it('makes a one-page PDF whose German text, umlauts and ß included, reads back exactly', async () => {
		const bytes = await certificatePdf(german, fonts);
		expect(new TextDecoder().decode(bytes.subarray(0, 5))).toBe('%PDF-');

		const pdf = await readBack(bytes);
		expect(pdf.pages).toBe(1);
		for (const part of [
			german.heading,
			german.learnerName,
			german.statement,
			german.courseTitle,
			...german.details,
			german.dateLine,
			german.signatureLabel,
			german.footer
		]) {
			expect(pdf.text).toContain(part);
		}
		expectOnPage(pdf.runs);
	});

	it('sets Arabic right to left: a Latin name and a German term stay readable, each run in its place', async () => {
		const arabic: CertificateText = {
			lang: 'ar',
			heading: 'شهادة مشاركة',
			learnerName: 'Erna Muster',
			statement: 'شاركت بنجاح في هذه الدورة:',
			courseTitle: 'حجز موعد في „Bürgerbüro“ عبر الإنترنت',
			details: ['5 دروس مكتملة'],
			dateLine: 'صدرت في 22 نوفمبر 2026',
			signatureLabel: 'التوقيع',
			footer: 'Lernlotse'
		};
		const pdf = await readBack(await certificatePdf(arabic, fonts));
		// Latin text reads forwards (pdf-lib alone would have drawn "retsuM anrE").
		expect(pdf.text).toContain('Erna Muster');
		expect(pdf.text).toContain('Bürgerbüro');
		expect(pdf.text).not.toContain('orübregrüB');
		// In the title line the German word sits between the two Arabic runs, as a reader expects:
		// from the left, "عبر الإنترنت" (read last), then the German term, then "حجز موعد في".
		const titleRuns = pdf.runs
			.filter((run) => Math.abs(run.y - pdf.runs.find((r) => r.str.includes('Bürgerbüro'))!.y) < 1)
			.sort((a, b) => a.x - b.x);
		expect(titleRuns.length).toBeGreaterThanOrEqual(3);
		const german = titleRuns.findIndex((run) => run.str.includes('Bürgerbüro'));
		expect(german).toBeGreaterThan(0);
		expect(german).toBeLessThan(titleRuns.length - 1);
		expectOnPage(pdf.runs);
	});

	it('sets the language, title and producer', async () => {
		const createdAt = new Date('2026-11-22T10:00:00Z');
		const pdf = await readBack(await certificatePdf(german, fonts, { createdAt }));
		expect(pdf.info.Language).toBe('de');
		expect(pdf.info.Title).toBe('Teilnahmebescheinigung – Jürgen Großmann-Weiß');
		expect(pdf.info.Creator).toBe('Lernlotse');
		expect(pdf.info.Producer).toBe('Lernlotse');
		expect(pdf.info.CreationDate).toMatch(/^D:20261122100000/);
	});

	it.each(['Şükrü Yılmaz', 'Олена Коваль'])(
		'writes the name %s in its own letters',
		async (name) => {
			const text = { ...english, learnerName: name, courseTitle: 'Онлайн-послуги міста' };
			const pdf = await readBack(await certificatePdf(text, fonts));
			expect(pdf.pages).toBe(1);
			expect(pdf.text).toContain(name);
			expect(pdf.text).toContain('Онлайн-послуги міста');
			expect(pdf.text).toContain(english.heading);
			expect(pdf.text).toContain(english.dateLine);
			expect(pdf.info.Language).toBe('en');
			expect(pdf.info.Title).toBe(`Certificate of Participation – ${name}`);
		}
	);

	it('wraps a long name and course title onto more lines, all inside the frame', async () => {
		const text = {
			...german,
			learnerName: 'Maria Magdalena Josefine von Hohenzollern-Sigmaringen-Oberwiesenfeld',
			courseTitle:
				'Das Bürgerkonto einrichten, Anträge für Wohngeld und Kindergeld online stellen ' +
				'und Bescheide sicher im digitalen Postfach der Stadtverwaltung empfangen'
		};
		const pdf = await readBack(await certificatePdf(text, fonts));
		// Wrapped lines read back as separate runs: joined, they give the whole text.
		expect(pdf.text).toContain(text.learnerName);
		expect(pdf.text).toContain(text.courseTitle);
		expect(pdf.runs.filter((run) => text.courseTitle.includes(run.str)).length).toBeGreaterThan(1);
		expectOnPage(pdf.runs);
	});

	it('keeps absurdly long input on the page', async () => {
		const text = {
			...german,
			learnerName: 'Ä'.repeat(120),
			courseTitle: 'Lange Überschrift '.repeat(60),
			details: Array.from({ length: 30 }, (_, i) => `Lektion ${i + 1} abgeschlossen`)
		};
		const pdf = await readBack(await certificatePdf(text, fonts));
		expect(pdf.pages).toBe(1);
		expect(pdf.text).toContain(german.dateLine);
		expectOnPage(pdf.runs);
	});

	it('embeds only the glyphs it uses', async () => {
		const bytes = await certificatePdf(german, fonts);
		// Either font whole is over 700 KB.
		expect(bytes.length).toBeLessThan(60_000);
	});
});

describe('wrapText', () => {
	// Ten points per character: simple enough to check by hand.
	const width = (text: string) => text.length * 10;

	it('wraps a long title into several lines no wider than the maximum, words whole', () => {
		const title = 'Online einen Termin im Bürgeramt buchen und die Bestätigung ausdrucken';
		const lines = wrapText(title, width, 200);
		expect(lines.length).toBeGreaterThan(2);
		for (const line of lines) expect(width(line)).toBeLessThanOrEqual(200);
		expect(lines.join(' ')).toBe(title);
	});

	it('fills each line as far as the next word allows', () => {
		const lines = wrapText('aaa bbb ccc ddd', width, 70);
		expect(lines).toEqual(['aaa bbb', 'ccc ddd']);
	});

	it('still places a single word wider than the line, on a line of its own', () => {
		const lines = wrapText('ein Donaudampfschifffahrtsgesellschaftskapitän kam', width, 100);
		expect(lines).toEqual(['ein', 'Donaudampfschifffahrtsgesellschaftskapitän', 'kam']);
	});

	it('treats runs of white space as one space and gives no lines for none', () => {
		expect(wrapText('  a \n\t b  ', width, 1000)).toEqual(['a b']);
		expect(wrapText('   ', width, 1000)).toEqual([]);
	});
});

describe('fitText', () => {
	const measure = (text: string, size: number) => text.length * size * 0.5;

	it('keeps the full size when the text fits', () => {
		expect(fitText('kurz', measure, { size: 20, minSize: 10, maxWidth: 100, maxLines: 1 })).toEqual(
			{ lines: ['kurz'], size: 20 }
		);
	});

	it('shrinks before it wraps onto more lines than allowed', () => {
		const fitted = fitText('eins zwei drei vier', measure, {
			size: 20,
			minSize: 10,
			maxWidth: 100,
			maxLines: 1
		});
		expect(fitted.lines).toEqual(['eins zwei drei vier']);
		expect(fitted.size).toBeLessThan(20);
		expect(measure('eins zwei drei vier', fitted.size)).toBeLessThanOrEqual(100);
	});

	it('takes one slightly smaller line over two, but no smaller than four fifths', () => {
		const options = { size: 20, minSize: 10, maxWidth: 100, maxLines: 2 };
		// 17 characters need 11.7 pt for one line of 100 pt: too small, so two lines at full size.
		expect(fitText('abcdefgh ijklmnop', measure, options)).toEqual({
			lines: ['abcdefgh', 'ijklmnop'],
			size: 20
		});
		// 11 characters fit one line at 18 pt.
		const fitted = fitText('abcde fghij', measure, options);
		expect(fitted.lines).toEqual(['abcde fghij']);
		expect(fitted.size).toBeGreaterThanOrEqual(16);
		expect(measure('abcde fghij', fitted.size)).toBeLessThanOrEqual(100);
	});

	it('shrinks one over-long word rather than cut it', () => {
		const word = 'Oberwiesenfeldhausen';
		const fitted = fitText(word, measure, { size: 20, minSize: 10, maxWidth: 80, maxLines: 2 });
		expect(fitted.lines).toEqual([word]);
		expect(measure(word, fitted.size)).toBeLessThanOrEqual(80);
	});

	it('cuts text that cannot fit even at the smallest size, and marks the cut', () => {
		const fitted = fitText('wort '.repeat(100), measure, {
			size: 20,
			minSize: 10,
			maxWidth: 100,
			maxLines: 2
		});
		expect(fitted.lines).toHaveLength(2);
		expect(fitted.lines[1]).toMatch(/…$/);
		for (const line of fitted.lines) expect(measure(line, fitted.size)).toBeLessThanOrEqual(100);
	});
});

describe('clipLine', () => {
	it('never splits a character made of two UTF-16 units', () => {
		const clipped = clipLine('𝒜𝒜𝒜𝒜𝒜', (text) => [...text].length * 10, 35);
		expect(clipped).toBe('𝒜𝒜…');
	});
});

describe('loadCertificateFonts', () => {
	it('fetches both fonts from the app’s own files', async () => {
		const asked: string[] = [];
		const fetcher = (async (input: RequestInfo | URL) => {
			asked.push(String(input));
			return new Response(new Uint8Array([String(input).length]));
		}) as typeof fetch;
		const loaded = await loadCertificateFonts(fetcher);
		expect(asked.sort()).toEqual([FONT_URLS.bold, FONT_URLS.regular].sort());
		expect(new Uint8Array(loaded.regular)).toEqual(new Uint8Array([FONT_URLS.regular.length]));
		expect(new Uint8Array(loaded.bold)).toEqual(new Uint8Array([FONT_URLS.bold.length]));
	});

	it('fails loudly when a font is missing', async () => {
		const fetcher = (async () => new Response('gone', { status: 404 })) as typeof fetch;
		await expect(loadCertificateFonts(fetcher)).rejects.toThrow(/404/);
	});
});
