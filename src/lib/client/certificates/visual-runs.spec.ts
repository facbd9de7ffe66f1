import { describe, expect, it } from 'vitest';
import { visualRuns } from './visual-runs';

describe('visualRuns', () => {
	it('leaves a left-to-right line as one run', () => {
		expect(visualRuns('Teilnahmebescheinigung', 'ltr')).toEqual([
			{ text: 'Teilnahmebescheinigung', rtl: false }
		]);
	});

	it('keeps an Arabic line in reading order, for the font engine to turn round', () => {
		expect(visualRuns('شهادة مشاركة', 'rtl')).toEqual([{ text: 'شهادة مشاركة', rtl: true }]);
	});

	it('puts a Latin name inside an Arabic sentence where a reader expects it, not backwards', () => {
		// Logical: "<Arabic A> Erna <Arabic B>"; from the left on the page: B, Erna, A (each
		// Arabic run with the space that belongs to it, in reading order).
		const runs = visualRuns('شاركت Erna في الدورة', 'rtl');
		expect(runs.map((r) => r.text)).toEqual([' في الدورة', 'Erna', 'شاركت ']);
		expect(runs.map((r) => r.rtl)).toEqual([true, false, true]);
	});

	it('mirrors brackets in right-to-left text, and keeps a German term inside readable', () => {
		const runs = visualRuns('„Termin buchen“ (حجز موعد)', 'rtl');
		expect(runs.find((r) => !r.rtl)?.text).toContain('Termin buchen');
		// The closing quote and the bracketed translation read right to left, brackets mirrored.
		const arabic = runs.find((r) => r.rtl && /[\u0600-\u06ff]/.test(r.text))!;
		expect(arabic.text).toBe('“ )حجز موعد(');
		expect(runs.map((r) => r.rtl)).toEqual([true, false, true]);
	});

	it('keeps digits in their order inside Persian text', () => {
		const runs = visualRuns('دوره در 2026', 'rtl');
		expect(runs.map((r) => r.text).join('|')).toContain('2026');
	});
});
