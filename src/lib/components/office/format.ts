/** Dates, times and staff names on office pages, in the language the page is shown in. */
import { locale, t } from '$lib/i18n/index.svelte';

export function dateTime(iso: string | null | undefined): string {
	if (!iso) return '–';
	return new Intl.DateTimeFormat(locale.current, {
		dateStyle: 'medium',
		timeStyle: 'short'
	}).format(new Date(iso));
}

export function timeOfDay(iso: string): string {
	return new Intl.DateTimeFormat(locale.current, { timeStyle: 'short' }).format(new Date(iso));
}

/**
 * A staff member's name as office pages show it. A deleted account keeps its id but has an
 * empty name: it says so rather than leaving a blank. No one at all (the system, an unknown
 * id) is a dash.
 */
export function staffName(name: string | null | undefined): string {
	if (name === null || name === undefined) return '–';
	return name === '' ? t('office:staff.deletedAccount') : name;
}
