import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../i18n/languages';
import { formatNumber } from './tables';

describe('formatNumber', () => {
	it('writes the decimal sign of the language, Latin digits and no grouping, in every language', () => {
		const written = Object.fromEntries(
			LANGUAGES.map((l) => [l.code, formatNumber(l.code, 1234.5)])
		);
		expect(written).toEqual({
			de: '1234,5',
			'de-x-simple': '1234,5',
			en: '1234.5',
			tr: '1234,5',
			ar: '1234.5',
			uk: '1234,5',
			fa: '1234.5'
		});
	});
});
