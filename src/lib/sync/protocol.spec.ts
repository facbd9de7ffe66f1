import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../i18n/languages';
import { LearnerPayload } from './protocol';

const learner = (lang: string) => ({
	id: '01932f7f-6b60-70d3-8b68-32ee41314443',
	fields: { lang },
	base: {},
	createdAt: '2026-11-22T10:00:00.000Z'
});

describe('LearnerPayload', () => {
	it('accepts every language a learner can choose, plain German too', () => {
		for (const { code } of LANGUAGES) {
			expect(v.safeParse(LearnerPayload, learner(code)).success, code).toBe(true);
		}
	});

	it('refuses what is no language tag', () => {
		for (const lang of ['', 'DE', 'de_DE', 'de-', 'deutsch-einfach-sprache-lang-x', "de'; drop"]) {
			expect(v.safeParse(LearnerPayload, learner(lang)).success, lang).toBe(false);
		}
	});
});
