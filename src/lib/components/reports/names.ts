/** Names in a report page, in the page's language: places, courses, months and days. */
import { locale } from '$lib/i18n/index.svelte';

export function reportNames(data: {
	places: { id: string; name: string }[];
	courses: { id: string; titles: Record<string, string> }[];
}) {
	return {
		place: (id: string) => data.places.find((p) => p.id === id)?.name ?? id,
		course: (id: string) => {
			const titles = data.courses.find((c) => c.id === id)?.titles;
			return titles?.[locale.current] ?? titles?.de ?? id;
		},
		month: (month: string, style: 'short' | 'long' = 'short') => {
			const [y, m] = month.split('-').map(Number) as [number, number];
			return new Intl.DateTimeFormat(locale.current, { month: style, year: 'numeric' }).format(
				new Date(y, m - 1, 1)
			);
		},
		day: (date: string) => {
			const [y, m, d] = date.split('-').map(Number) as [number, number, number];
			return new Intl.DateTimeFormat(locale.current, { dateStyle: 'long' }).format(
				new Date(y, m - 1, d)
			);
		}
	};
}
