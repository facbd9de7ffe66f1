/**
 * Small cells: a count of people below 5 (but above 0) is shown as "< 5" in every report and
 * export, so that nobody can be picked out ("the one newcomer over 85 at the senior centre").
 * Zero stays zero: it singles nobody out.
 */
export const SMALL_CELL = 5;

export type PeopleCount = { kind: 'count'; value: number } | { kind: 'small' };

export function people(value: number): PeopleCount {
	return value > 0 && value < SMALL_CELL ? { kind: 'small' } : { kind: 'count', value };
}

/** The text of a people count in a table or file ("< 5" is the same in every language). */
export function peopleText(count: PeopleCount, format: (n: number) => string = String): string {
	return count.kind === 'small' ? `< ${SMALL_CELL}` : format(count.value);
}
