/**
 * The forms of one office page. A refused action answers with a problem key, the field it
 * belongs to and what was typed; this shows that answer beside the form that was sent and no
 * other, never keeps a password, and moves the focus to the field to fix.
 */
import type { SubmitFunction } from '@sveltejs/kit';
import { tick } from 'svelte';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '$lib/domain/auth/password';
import { t } from '$lib/i18n/index.svelte';

export interface Refusal {
	problem: string;
	field: string | null;
	values: Record<string, unknown> | null;
	typed: Record<string, unknown>;
	/** Everything the action answered, for the few that say more (a lockout's end). */
	data: Record<string, unknown>;
}

type Answer = { key: string; refusal: Refusal | null; data: Record<string, unknown> };

function asRefusal(data: Record<string, unknown>): Refusal | null {
	if (typeof data.problem !== 'string') return null;
	const record = (v: unknown) =>
		v && typeof v === 'object' ? (v as Record<string, unknown>) : null;
	return {
		problem: data.problem,
		field: typeof data.field === 'string' ? data.field : null,
		values: record(data.values),
		typed: record(data.typed) ?? {},
		data
	};
}

/** A problem key in the person's words; password rules fill in their limits. */
export function problemText(refusal: Refusal): string {
	return t(refusal.problem, {
		min: MIN_PASSWORD_LENGTH,
		max: MAX_PASSWORD_LENGTH,
		...refusal.values
	});
}

/** An id for a field of a form, unique on the page (form keys may hold ids with any letters). */
export function fieldId(key: string, field: string): string {
	return `${key}-${field}`.replace(/[^\w-]/g, '-');
}

export interface EnhanceOptions {
	/** False keeps an edit form as it is after saving (its values come from the fresh data). */
	reset?: boolean;
	/** What the page's status line says once the action succeeded. */
	done?: string;
	/** Runs once the action succeeded and the page's data is fresh. */
	onSuccess?: () => void;
}

export class OfficeForms {
	#answer = $state.raw<Answer | null>(null);
	/** The page's status line: what the last action did. */
	message = $state<string | null>(null);

	/** `use:enhance` for the form `key`. */
	enhance(key: string, options: EnhanceOptions = {}): SubmitFunction {
		return ({ formElement }) => {
			this.#answer = null;
			this.message = null;
			return async ({ result, update }) => {
				if (result.type === 'failure') {
					const passwords =
						formElement.querySelectorAll<HTMLInputElement>('input[type="password"]');
					for (const input of passwords) input.value = '';
				}
				const data = result.type === 'success' || result.type === 'failure' ? result.data : null;
				if (data) this.#answer = { key, refusal: asRefusal(data), data };
				await update({ reset: options.reset ?? true });
				if (result.type === 'success') {
					this.message = options.done ?? null;
					options.onSuccess?.();
				}
				if (result.type === 'failure') {
					await tick();
					formElement.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
				}
			};
		};
	}

	/** The refusal of form `key`, if its last answer was one. */
	refusal(key: string): Refusal | null {
		return this.#answer?.key === key ? this.#answer.refusal : null;
	}

	/** What form `key` got back when it succeeded. */
	success(key: string): Record<string, unknown> | null {
		const answer = this.#answer;
		return answer?.key === key && !answer.refusal ? answer.data : null;
	}

	/** The translated problem of one field of form `key`. */
	error(key: string, field: string): string | null {
		const refusal = this.refusal(key);
		return refusal?.field === field ? problemText(refusal) : null;
	}

	/** A problem of form `key` that belongs to none of the fields it shows. */
	general(key: string, fields: readonly string[]): string | null {
		const refusal = this.refusal(key);
		if (!refusal || (refusal.field && fields.includes(refusal.field))) return null;
		return problemText(refusal);
	}

	/** What was typed into `field` before form `key` was refused. */
	typed(key: string, field: string): string | undefined {
		const value = this.refusal(key)?.typed[field];
		return typeof value === 'string' ? value : undefined;
	}

	/** What was ticked in a group of checkboxes before form `key` was refused. */
	typedList(key: string, field: string): string[] | undefined {
		const value = this.refusal(key)?.typed[field];
		return Array.isArray(value) ? value.filter((v) => typeof v === 'string') : undefined;
	}

	/** Whether a single checkbox was ticked before form `key` was refused. */
	typedFlag(key: string, field: string): boolean | undefined {
		const value = this.refusal(key)?.typed[field];
		return typeof value === 'boolean' ? value : undefined;
	}
}

/**
 * Which row of a table is open for editing: opening moves focus into its form, saving closes
 * it and puts focus back on the row's button, so a keyboard user never loses their place.
 */
export class RowEditor {
	editing = $state<string | null>(null);

	constructor(private readonly forms: OfficeForms) {}

	async toggle(id: string): Promise<void> {
		this.forms.message = null;
		this.editing = this.editing === id ? null : id;
		await tick();
		if (this.editing) document.getElementById(`update-${id}-name`)?.focus();
	}

	async saved(id: string): Promise<void> {
		this.editing = null;
		await tick();
		document.getElementById(`edit-${id}`)?.focus();
	}
}
