/**
 * What a staff action returns: its value, or a problem named by a translation key (the office
 * face shows it in the person's language) and the form field it belongs to.
 */
export type Outcome<T = void> =
	| { ok: true; value: T }
	| { ok: false; problem: string; field?: string; values?: Record<string, unknown> };

export function ok<T>(value: T): Outcome<T> {
	return { ok: true, value };
}

export function problem(
	key: string,
	field?: string,
	values?: Record<string, unknown>
): Outcome<never> & { ok: false } {
	return { ok: false, problem: key, field, values };
}
