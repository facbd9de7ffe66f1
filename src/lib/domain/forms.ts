/**
 * Checks what a learner types into a simulated form, as a real city portal would. Returns an
 * error code (translated by the interface), never a sentence.
 */
import type { FieldFormat } from './course/schema';

export type FieldError =
	| 'required'
	| 'file.type'
	| 'file.size'
	| 'date.format'
	| 'date.invalid'
	| 'email.format'
	| 'email.at'
	| 'postcode.format'
	| 'phone.format'
	| 'number.format'
	| 'name.format'
	| 'password.short'
	| 'expect.mismatch';

const DATE = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/;

function checkDate(value: string): FieldError | null {
	const match = DATE.exec(value);
	if (!match) return 'date.format';
	const [day, month, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
	const date = new Date(Date.UTC(year, month - 1, day));
	const real =
		date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
	return real && year >= 1900 && year <= 2100 ? null : 'date.invalid';
}

function checkEmail(value: string): FieldError | null {
	if (!value.includes('@')) return 'email.at';
	return /^[^\s@]+@[^\s@]+\.[^\s@.]{2,}$/.test(value) ? null : 'email.format';
}

const RULES: Record<FieldFormat, (value: string) => FieldError | null> = {
	text: () => null,
	name: (v) => (/^[\p{L}][\p{L}\p{M}' .-]*$/u.test(v) ? null : 'name.format'),
	date: checkDate,
	email: checkEmail,
	postcode: (v) => (/^\d{5}$/.test(v) ? null : 'postcode.format'),
	phone: (v) =>
		/^\+?[\d /()-]{6,20}$/.test(v) && /\d{6}/.test(v.replace(/\D/g, '')) ? null : 'phone.format',
	number: (v) => (/^-?\d+(?:[.,]\d+)?$/.test(v) ? null : 'number.format'),
	password: (v) => (v.length >= 8 ? null : 'password.short')
};

export function normalizeAnswer(value: string): string {
	return value.trim().replace(/\s+/g, ' ').toLocaleLowerCase('de');
}

export function checkField(
	value: string,
	rule: { format: FieldFormat; required?: boolean; expect?: string }
): FieldError | null {
	const trimmed = value.trim();
	if (trimmed === '') return rule.required === false ? null : 'required';
	const formatError = RULES[rule.format](trimmed);
	if (formatError) return formatError;
	if (rule.expect !== undefined && normalizeAnswer(trimmed) !== normalizeAnswer(rule.expect)) {
		return 'expect.mismatch';
	}
	return null;
}
