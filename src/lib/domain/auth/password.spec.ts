import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, passwordProblem } from './password';

const EMAIL = 'Ilse.Berg@stadt.example';

describe('passwordProblem', () => {
	it('accepts a long phrase without forcing symbols', () => {
		expect(passwordProblem('blaue pferde tanzen leise', EMAIL)).toBeNull();
		expect(passwordProblem('a'.repeat(9) + 'b', EMAIL)).toBeNull();
	});

	it('wants at least ten characters, counted in code points rather than UTF-16 units', () => {
		expect(MIN_PASSWORD_LENGTH).toBe(10);
		expect(passwordProblem('kurz12345', EMAIL)).toBe('too-short');
		expect(passwordProblem('genau10zei', EMAIL)).toBeNull();
		// Nine keys, each outside the basic plane: eighteen UTF-16 units, still too short.
		expect(passwordProblem('🔑'.repeat(9), EMAIL)).toBe('too-short');
		expect(passwordProblem('🔑🗝'.repeat(5), EMAIL)).toBeNull();
	});

	it('is too short exactly when it has fewer than ten characters', () => {
		fc.assert(
			fc.property(fc.string({ unit: 'grapheme-composite', maxLength: 30 }), (password) => {
				const short = [...password].length < MIN_PASSWORD_LENGTH;
				expect(passwordProblem(password, EMAIL) === 'too-short').toBe(short);
			})
		);
	});

	it('refuses more than 200 characters', () => {
		expect(passwordProblem('x1'.repeat(MAX_PASSWORD_LENGTH / 2), EMAIL)).toBeNull();
		expect(passwordProblem('x1'.repeat(MAX_PASSWORD_LENGTH / 2) + 'y', EMAIL)).toBe('too-long');
	});

	it('refuses the sign-in name, whole or before the @, in any case', () => {
		expect(passwordProblem('ilse.berg@STADT.example', EMAIL)).toBe('same-as-email');
		expect(passwordProblem('ILSE.BERG@stadt.example', EMAIL)).toBe('same-as-email');
		expect(passwordProblem('Ilse.Berg1', 'ilse.berg1@stadt.example')).toBe('same-as-email');
		expect(passwordProblem('ilse.berg.stadt', EMAIL)).toBeNull();
	});

	it('refuses the passwords everyone tries first, in any case', () => {
		for (const common of ['Passwort123', 'PASSWORD123', 'qwertzuiop', '1234567890', 'Lernlotse1']) {
			expect(passwordProblem(common, EMAIL), common).toBe('too-common');
		}
	});

	it('refuses one character repeated', () => {
		fc.assert(
			fc.property(
				fc.string({ minLength: 1, maxLength: 1 }),
				fc.integer({ min: MIN_PASSWORD_LENGTH, max: 50 }),
				(ch, n) => {
					expect(passwordProblem(ch.repeat(n), EMAIL)).toBe('too-common');
				}
			)
		);
	});
});
