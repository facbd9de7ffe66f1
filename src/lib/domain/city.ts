/**
 * The city a Lernlotse installation teaches for. The practice copies of services are dressed
 * with its name, web address, citizens' office and library, so the practice looks like home.
 * Course text refers to these values by placeholder, e.g. `{city}` or `{officeHours}`.
 */
import { fillPlaceholders } from './text';

export interface CitySettings {
	name: string;
	/** The web domain of the city portal, shown in the practice browser bar: `musterstadt.de`. */
	domain: string;
	officeAddress: string;
	officeHours: string;
	libraryName: string;
	libraryHours: string;
}

/** What a device needs to dress the practice pages: the settings and the coat of arms. */
export interface CityDressing extends CitySettings {
	/** URL of the coat-of-arms image (content-hashed, cached for offline use), or null. */
	arms: string | null;
}

export const DEFAULT_CITY: CitySettings = {
	name: 'Musterstadt',
	domain: 'musterstadt.de',
	officeAddress: 'Rathaus, Marktplatz 1, 12345 Musterstadt',
	officeHours: 'Montag bis Freitag 8 bis 12 Uhr, Donnerstag auch 14 bis 18 Uhr',
	libraryName: 'Stadtbibliothek Musterstadt',
	libraryHours: 'Dienstag bis Freitag 10 bis 18 Uhr, Samstag 10 bis 14 Uhr'
};

/** The placeholders a course may use, and the setting each one stands for. */
export const PLACEHOLDERS: Record<string, keyof CitySettings> = {
	city: 'name',
	domain: 'domain',
	officeAddress: 'officeAddress',
	officeHours: 'officeHours',
	libraryName: 'libraryName',
	libraryHours: 'libraryHours'
};

export function placeholderValues(city: CitySettings): Record<string, string> {
	return Object.fromEntries(Object.entries(PLACEHOLDERS).map(([key, field]) => [key, city[field]]));
}

/** A copy of a course (or any value) with every placeholder in every text filled in. */
export function dressWithCity<T>(value: T, city: CitySettings): T {
	const values = placeholderValues(city);
	const dress = (item: unknown): unknown => {
		if (typeof item === 'string') return fillPlaceholders(item, values);
		if (Array.isArray(item)) return item.map(dress);
		if (item && typeof item === 'object') {
			return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, dress(v)]));
		}
		return item;
	};
	return dress(value) as T;
}
