import { describe, expect, it } from 'vitest';
import { DEFAULT_CITY, dressWithCity, placeholderValues } from './city';
import { cityProblems, normaliseCity, unknownPlaceholders } from './city-rules';
import { fillPlaceholders } from './text';

describe('city settings', () => {
	it('fill every placeholder a course may use', () => {
		const text =
			'{city}: www.{domain}, {officeAddress}, {officeHours}, {libraryName}, {libraryHours}';
		expect(fillPlaceholders(text, placeholderValues(DEFAULT_CITY))).toBe(
			`Musterstadt: www.musterstadt.de, ${DEFAULT_CITY.officeAddress}, ${DEFAULT_CITY.officeHours}, Stadtbibliothek Musterstadt, ${DEFAULT_CITY.libraryHours}`
		);
	});

	it('dress every text of a course, leaving everything else as it was', () => {
		const course = {
			title: 'Termin in {city}',
			version: 2,
			done: true,
			steps: [{ text: 'www.{domain}' }]
		};
		expect(dressWithCity(course, DEFAULT_CITY)).toEqual({
			title: 'Termin in Musterstadt',
			version: 2,
			done: true,
			steps: [{ text: 'www.musterstadt.de' }]
		});
	});

	it('name placeholders that nothing fills', () => {
		expect(unknownPlaceholders('{city} {citty} {Stadt} {domain}')).toEqual(['citty', 'Stadt']);
	});

	it('accept the defaults and a city with umlauts in its domain', () => {
		expect(cityProblems(DEFAULT_CITY)).toEqual([]);
		expect(cityProblems({ ...DEFAULT_CITY, name: 'Lörrach', domain: 'lörrach.de' })).toEqual([]);
	});

	it('refuse empty, too long and malformed settings, field by field', () => {
		expect(
			cityProblems({
				...DEFAULT_CITY,
				name: '  ',
				domain: 'musterstadt',
				officeHours: 'x'.repeat(201)
			})
		).toEqual([
			{ field: 'name', problem: 'required' },
			{ field: 'domain', problem: 'domain' },
			{ field: 'officeHours', problem: 'tooLong' }
		]);
		expect(cityProblems({ ...DEFAULT_CITY, domain: 'muster stadt.de' })).toEqual([
			{ field: 'domain', problem: 'domain' }
		]);
	});

	it('keep the domain people type as a bare host name', () => {
		expect(
			normaliseCity({ ...DEFAULT_CITY, domain: ' https://www.Beispielstadt.de/rathaus ' }).domain
		).toBe('beispielstadt.de');
	});
});
