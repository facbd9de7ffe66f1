/** Dates and times on office pages, in the language the page is shown in. */
import { locale } from '$lib/i18n/index.svelte';

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
