import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fillPlaceholders, parseText, plainText, splitSentences } from './text';

const plain = (text: string) => ({ text, bold: false });
const bold = (text: string) => ({ text, bold: true });

describe('parseText', () => {
	it('splits paragraphs at a blank line', () => {
		expect(parseText('Erster Absatz.\n\nZweiter Absatz.')).toEqual([
			[plain('Erster Absatz.')],
			[plain('Zweiter Absatz.')]
		]);
	});

	it('treats a line that holds only spaces as a blank line', () => {
		expect(parseText('Eins.\n   \nZwei.')).toHaveLength(2);
	});

	it('joins the lines of one paragraph with a single space', () => {
		expect(parseText('Eine Zeile\n  und die nächste.')).toEqual([
			[plain('Eine Zeile und die nächste.')]
		]);
	});

	it('drops empty paragraphs and surrounding space', () => {
		expect(parseText('\n\n  Nur das.  \n\n\n\n')).toEqual([[plain('Nur das.')]]);
		expect(parseText('')).toEqual([]);
	});

	it('marks **bold** runs', () => {
		expect(parseText('Tippen Sie auf **Start**, dann auf **Weiter**.')).toEqual([
			[plain('Tippen Sie auf '), bold('Start'), plain(', dann auf '), bold('Weiter'), plain('.')]
		]);
	});

	it('makes a paragraph that is all bold one bold run', () => {
		expect(parseText('**Sie können nichts kaputt machen.**')).toEqual([
			[bold('Sie können nichts kaputt machen.')]
		]);
	});

	it('leaves unpaired or empty stars as text', () => {
		expect(parseText('Sterne: ****')).toEqual([[plain('Sterne: ****')]]);
		expect(parseText('**offen')).toEqual([[plain('**offen')]]);
	});

	it('keeps HTML as literal text, never as markup', () => {
		const source = '<script>alert("x")</script> und <b>fett</b> <img src=x onerror=alert(1)>';
		expect(parseText(source)).toEqual([[plain(source)]]);
	});

	it('keeps HTML inside bold as literal text', () => {
		expect(parseText('**<script>alert(1)</script>**')).toEqual([
			[bold('<script>alert(1)</script>')]
		]);
	});

	it('never loses or adds text within a paragraph (property)', () => {
		const line = fc.stringMatching(/^[A-Za-zäöü<>/"=*.,! ]{0,30}$/);
		fc.assert(
			fc.property(line, (source) => {
				const clean = source.trim();
				const paragraphs = parseText(source);
				const runs = paragraphs.flat();
				const rebuilt = runs.map((r) => (r.bold ? `**${r.text}**` : r.text)).join('');
				expect(rebuilt).toBe(clean);
			})
		);
	});
});

describe('plainText', () => {
	it('drops the stars and keeps paragraphs apart', () => {
		expect(plainText('Das ist **wichtig**.\n\nNoch ein  \n Absatz.')).toBe(
			'Das ist wichtig.\n\nNoch ein Absatz.'
		);
	});

	it('keeps HTML as text', () => {
		expect(plainText('<script>x</script>')).toBe('<script>x</script>');
	});
});

describe('fillPlaceholders', () => {
	it('puts in known values', () => {
		expect(
			fillPlaceholders('Willkommen in {city}! {city} freut sich.', { city: 'Musterstadt' })
		).toBe('Willkommen in Musterstadt! Musterstadt freut sich.');
	});

	it('leaves unknown placeholders as they are', () => {
		expect(fillPlaceholders('Hallo {name} aus {city}', { city: 'Musterstadt' })).toBe(
			'Hallo {name} aus Musterstadt'
		);
	});

	it('leaves braces that are not placeholders alone', () => {
		expect(fillPlaceholders('{ city } und {} und {a-b}', { city: 'X' })).toBe(
			'{ city } und {} und {a-b}'
		);
	});

	it('does not read placeholders out of the inserted value', () => {
		expect(fillPlaceholders('{a}', { a: '{b}', b: 'nein' })).toBe('{b}');
	});

	it('puts in an empty value', () => {
		expect(fillPlaceholders('[{city}]', { city: '' })).toBe('[]');
	});
});

describe('splitSentences', () => {
	it('splits a paragraph into sentences', () => {
		expect(splitSentences('Tippen Sie kurz. Nehmen Sie den Finger weg! Fertig?')).toEqual([
			'Tippen Sie kurz.',
			'Nehmen Sie den Finger weg!',
			'Fertig?'
		]);
	});

	it('never runs a sentence across paragraphs, even without a full stop', () => {
		expect(splitSentences('Überschrift ohne Punkt\n\nDann ein Satz.')).toEqual([
			'Überschrift ohne Punkt',
			'Dann ein Satz.'
		]);
	});

	it('collapses line breaks and spaces inside a paragraph', () => {
		expect(splitSentences('Ein   Satz\nüber zwei Zeilen.')).toEqual(['Ein Satz über zwei Zeilen.']);
	});

	it('gives nothing for empty text', () => {
		expect(splitSentences('  \n\n  ')).toEqual([]);
	});

	it('keeps every word, in order (property)', () => {
		const sentence = fc
			.array(fc.stringMatching(/^[a-zäöü]{1,8}$/), { minLength: 1, maxLength: 6 })
			.chain((words) => fc.constantFrom('.', '!', '?').map((end) => words.join(' ') + end));
		fc.assert(
			fc.property(fc.array(sentence, { minLength: 1, maxLength: 5 }), (sentences) => {
				const text = sentences.join(' ');
				expect(splitSentences(text).join(' ').split(/\s+/)).toEqual(text.split(/\s+/));
			})
		);
	});
});
