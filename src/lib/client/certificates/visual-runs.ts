/**
 * Right-to-left text on a certificate. pdf-lib draws text as given, and its font engine
 * shapes Arabic letters (joined forms) and turns an Arabic run round, but knows nothing of the
 * Unicode bidirectional algorithm: a German course title or a Latin name inside an Arabic
 * sentence would come out backwards or in the wrong place. So each line is cut into runs in the
 * order they appear from left to right, each drawn on its own.
 */
import bidiFactory from 'bidi-js';

const bidi = bidiFactory();

export interface VisualRun {
	/** The run as it goes to the font engine. */
	text: string;
	rtl: boolean;
}

/** Letters of a right-to-left script: the font engine turns such a run round itself. */
const RTL_LETTERS = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]/;

/** The runs of `line`, left to right as they appear on the page, for a paragraph in `direction`. */
export function visualRuns(line: string, direction: 'ltr' | 'rtl'): VisualRun[] {
	if (line === '') return [];
	const embedding = bidi.getEmbeddingLevels(line, direction);
	const { levels } = embedding;
	// Brackets and quotes face the other way inside right-to-left text.
	const mirrored = bidi.getMirroredCharactersMap(line, levels);
	// Code units, as the algorithm counts them.
	const units = line.split('');
	const order = units.map((_, i) => i);
	for (const [start, end] of bidi.getReorderSegments(line, embedding) as [number, number][]) {
		const reversed = order.slice(start, end + 1).reverse();
		order.splice(start, reversed.length, ...reversed);
	}
	const runs: { chars: string[]; rtl: boolean }[] = [];
	for (const index of order) {
		const rtl = levels[index]! % 2 === 1;
		const char = mirrored.get(index) ?? units[index]!;
		const last = runs.at(-1);
		if (last && last.rtl === rtl) last.chars.push(char);
		else runs.push({ chars: [char], rtl });
	}
	return runs.map(({ chars: visual, rtl }) => {
		const text = visual.join('');
		// An Arabic run goes in reading order (the engine turns it); any other run as it looks.
		return rtl && RTL_LETTERS.test(text)
			? { text: [...visual].reverse().join(''), rtl }
			: { text, rtl };
	});
}
