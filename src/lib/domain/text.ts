/**
 * Course text markup: paragraphs separated by a blank line and **bold**. Parsed into plain
 * pieces that the interface renders as text nodes, so no HTML from a course file ever
 * reaches the page.
 */
export interface TextRun {
	text: string;
	bold: boolean;
}
export type Paragraph = TextRun[];

export function fillPlaceholders(text: string, values: Record<string, string>): string {
	return text.replace(/\{(\w+)\}/g, (whole, key: string) =>
		Object.hasOwn(values, key) ? values[key]! : whole
	);
}

export function parseText(source: string): Paragraph[] {
	return source
		.split(/\n\s*\n/)
		.map((block) => block.replace(/\s*\n\s*/g, ' ').trim())
		.filter((block) => block.length > 0)
		.map((block) =>
			block
				.split(/(\*\*[^*]+\*\*)/)
				.filter((piece) => piece.length > 0)
				.map((piece) =>
					piece.startsWith('**') && piece.endsWith('**') && piece.length > 4
						? { text: piece.slice(2, -2), bold: true }
						: { text: piece, bold: false }
				)
		);
}

/** The same text without markup, e.g. for reading aloud. */
export function plainText(source: string): string {
	return parseText(source)
		.map((p) => p.map((r) => r.text).join(''))
		.join('\n\n');
}

/** Splits text into sentences for read-aloud, so the sentence being read can be highlighted. */
export function splitSentences(text: string, locale = 'de'): string[] {
	const Segmenter = (Intl as { Segmenter?: typeof Intl.Segmenter }).Segmenter;
	const out: string[] = [];
	for (const paragraph of text.split(/\n\s*\n/)) {
		const clean = paragraph.replace(/\s+/g, ' ').trim();
		if (!clean) continue;
		if (Segmenter) {
			const segments = new Segmenter(locale, { granularity: 'sentence' }).segment(clean);
			for (const { segment } of segments) if (segment.trim()) out.push(segment.trim());
		} else {
			out.push(...clean.split(/(?<=[.!?])\s+/).filter(Boolean));
		}
	}
	return out;
}
