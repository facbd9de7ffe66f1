/** Reading office forms: every field as trimmed text of bounded length, never a crash. */
import { fail } from '@sveltejs/kit';
import type { Outcome } from './auth/outcome';

export function field(data: FormData, name: string, max = 500): string {
	const value = data.get(name);
	return typeof value === 'string' ? value.slice(0, max) : '';
}

export function fields(data: FormData, name: string): string[] {
	return data
		.getAll(name)
		.filter((v): v is string => typeof v === 'string')
		.slice(0, 100);
}

/** A refused action: the problem's translation key, the field, and what was typed (no secrets). */
export function refused(
	outcome: Outcome<unknown> & { ok: false },
	typed: Record<string, unknown> = {}
) {
	return fail(400, {
		problem: outcome.problem,
		field: outcome.field ?? null,
		values: outcome.values ?? null,
		typed
	});
}
