/**
 * Staff password rules, after current guidance: long rather than complicated, no forced
 * mixture of symbols, never the sign-in name, never one of the passwords everyone tries first.
 */
export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 200;

export type PasswordProblem = 'too-short' | 'too-long' | 'same-as-email' | 'too-common';

const COMMON = [
	'passwort',
	'password',
	'123456789',
	'1234567890',
	'qwertzuiop',
	'qwertyuiop',
	'hallo12345',
	'lernlotse',
	'lernlotse1',
	'passwort123',
	'password123',
	'sommer2026',
	'winter2026'
];

export function passwordProblem(password: string, email: string): PasswordProblem | null {
	if ([...password].length < MIN_PASSWORD_LENGTH) return 'too-short';
	if (password.length > MAX_PASSWORD_LENGTH) return 'too-long';
	const lower = password.toLowerCase();
	if (lower === email.toLowerCase() || lower === email.split('@')[0]?.toLowerCase()) {
		return 'same-as-email';
	}
	if (COMMON.includes(lower) || /^(.)\1+$/.test(password)) return 'too-common';
	return null;
}
