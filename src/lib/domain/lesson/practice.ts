/**
 * The rules of a guided practice: pressing a control of the simulated service either moves
 * to another screen or, like the real form, refuses and marks what is missing.
 */
import type { PracticeScreen, PracticeStep, SimElement } from '../course/schema';
import { checkField, type FieldError } from '../forms';

export type PracticeValues = Record<string, string | boolean>;

export interface PressResult {
	errors: Record<string, FieldError>;
	/** The screen to show next; null when the press leads nowhere in this exercise. */
	goto: string | null;
}

export function screenOf(step: PracticeStep, id: string): PracticeScreen {
	return step.screens.find((s) => s.id === id) ?? step.screens.find((s) => s.id === step.start)!;
}

function checkElement(el: SimElement, value: string | boolean | undefined): FieldError | null {
	switch (el.kind) {
		case 'field':
			return checkField(typeof value === 'string' ? value : '', {
				format: el.format,
				required: el.required
			});
		case 'checkbox':
			return el.required && value !== true ? 'required' : null;
		case 'upload': {
			const file = el.files.find((f) => f.id === value);
			if (file?.refuse) return `file.${file.refuse}`;
			return el.required && !file ? 'required' : null;
		}
		case 'options':
		case 'slots':
			return el.required && (typeof value !== 'string' || value === '') ? 'required' : null;
		default:
			return null;
	}
}

export function press(
	screen: PracticeScreen,
	values: PracticeValues,
	element: SimElement,
	linkGoto?: string
): PressResult {
	const errors: Record<string, FieldError> = {};
	if (element.kind === 'button') {
		for (const ref of element.validate ?? []) {
			const target = screen.elements.find((e) => e.id === ref);
			const error = target ? checkElement(target, values[ref]) : null;
			if (error) errors[ref] = error;
		}
	}
	if (Object.keys(errors).length > 0) return { errors, goto: null };
	const goto = linkGoto ?? ('goto' in element ? element.goto : undefined);
	return { errors, goto: goto ?? null };
}
