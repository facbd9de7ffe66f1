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

export const CITY_FIELDS = [
	'name',
	'domain',
	'officeAddress',
	'officeHours',
	'libraryName',
	'libraryHours'
] as const satisfies readonly (keyof CitySettings)[];

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

/** Placeholders in a text that no setting fills, e.g. a misspelt `{citty}`. */
export function unknownPlaceholders(text: string): string[] {
	return [...text.matchAll(/\{(\w+)\}/g)]
		.map((m) => m[1]!)
		.filter((key) => !Object.hasOwn(PLACEHOLDERS, key));
}

const MAX_LENGTH: Record<keyof CitySettings, number> = {
	name: 60,
	domain: 80,
	officeAddress: 160,
	officeHours: 200,
	libraryName: 100,
	libraryHours: 200
};

/** A host name people type: letters (also umlauts), digits, dashes, at least one dot. */
const DOMAIN = /^(?=.{4,80}$)([\p{Ll}\d](?:[\p{Ll}\d-]*[\p{Ll}\d])?\.)+\p{Ll}{2,}$/u;

export type CityProblem = { field: keyof CitySettings; problem: 'required' | 'tooLong' | 'domain' };

/** Problems of settings typed in the office, field by field; none means they can be saved. */
export function cityProblems(input: CitySettings): CityProblem[] {
	const problems: CityProblem[] = [];
	for (const field of CITY_FIELDS) {
		const value = input[field].trim();
		if (value.length === 0) problems.push({ field, problem: 'required' });
		else if (value.length > MAX_LENGTH[field]) problems.push({ field, problem: 'tooLong' });
		else if (field === 'domain' && !DOMAIN.test(value.toLowerCase()))
			problems.push({ field, problem: 'domain' });
	}
	return problems;
}

/** Trimmed settings, the domain in lower case and without a typed `https://` or `www.`. */
export function normaliseCity(input: CitySettings): CitySettings {
	const out = { ...input };
	for (const field of CITY_FIELDS) out[field] = out[field].trim();
	out.domain = out.domain
		.toLowerCase()
		.replace(/^https?:\/\//, '')
		.replace(/^www\./, '')
		.replace(/\/.*$/, '');
	return out;
}
