/**
 * Rules for the city settings the office types in, and for placeholders in course files:
 * kept apart from `city.ts`, which every tablet loads, because only the office and the build
 * need them.
 */
import { PLACEHOLDERS, type CitySettings } from './city';

export const CITY_FIELDS = [
	'name',
	'domain',
	'officeAddress',
	'officeHours',
	'libraryName',
	'libraryHours'
] as const satisfies readonly (keyof CitySettings)[];

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

/** Placeholders in a text that no setting fills, e.g. a misspelt `{citty}`. */
export function unknownPlaceholders(text: string): string[] {
	return [...text.matchAll(/\{(\w+)\}/g)]
		.map((m) => m[1]!)
		.filter((key) => !Object.hasOwn(PLACEHOLDERS, key));
}
