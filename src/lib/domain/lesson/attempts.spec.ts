import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	ANSWER_AFTER_MISSES,
	correctPlaces,
	helpLevel,
	HINT_AFTER_MISSES,
	isInOrder,
	shuffledOrder
} from './attempts';

const items = (...ids: string[]) => ids.map((id) => ({ id, text: `Schritt ${id}` }));
const idsOf = (list: readonly { id: string }[]) => list.map((i) => i.id);

describe('helpLevel', () => {
	it('gives no help after 0 or 1 miss', () => {
		expect(helpLevel(0)).toBe('none');
		expect(helpLevel(1)).toBe('none');
	});

	it('gives a hint after 2 misses', () => {
		expect(HINT_AFTER_MISSES).toBe(2);
		expect(helpLevel(2)).toBe('hint');
	});

	it('shows the answer after 3 misses and keeps showing it', () => {
		expect(ANSWER_AFTER_MISSES).toBe(3);
		expect(helpLevel(3)).toBe('answer');
		expect(helpLevel(4)).toBe('answer');
		expect(helpLevel(50)).toBe('answer');
	});

	it('never gives less help after more misses (property)', () => {
		const rank = { none: 0, hint: 1, answer: 2 } as const;
		fc.assert(
			fc.property(fc.nat(100), fc.nat(100), (a, b) => {
				const [fewer, more] = a <= b ? [a, b] : [b, a];
				expect(rank[helpLevel(more)]).toBeGreaterThanOrEqual(rank[helpLevel(fewer)]);
			})
		);
	});
});

describe('shuffledOrder', () => {
	const steps = items('open', 'search', 'choose', 'fill', 'send');

	it('gives the same order for the same seed, so a reload shows the same puzzle', () => {
		expect(idsOf(shuffledOrder(steps, 'order-step'))).toEqual(
			idsOf(shuffledOrder(steps, 'order-step'))
		);
	});

	it('depends on the seed, not on the order the items arrive in', () => {
		const reversed = [...steps].reverse();
		expect(idsOf(shuffledOrder(reversed, 'seed'))).toEqual(idsOf(shuffledOrder(steps, 'seed')));
	});

	it('gives different orders for different seeds', () => {
		const orders = new Set(
			['one', 'two', 'three', 'four', 'five'].map((seed) =>
				idsOf(shuffledOrder(steps, seed)).join()
			)
		);
		expect(orders.size).toBeGreaterThan(1);
	});

	it('does not change the items it was given', () => {
		const before = idsOf(steps);
		shuffledOrder(steps, 'x');
		expect(idsOf(steps)).toEqual(before);
	});

	it('rotates two items into the wrong order', () => {
		const two = items('first', 'second');
		for (const seed of ['a', 'b', 'c', 'd', 'e', 'f']) {
			expect(idsOf(shuffledOrder(two, seed))).toEqual(['second', 'first']);
		}
	});

	const distinctItems = fc
		.uniqueArray(fc.stringMatching(/^[a-z0-9]{1,6}$/), { minLength: 2, maxLength: 8 })
		.map((ids) => items(...ids));

	it('is stable for the same seed (property)', () => {
		fc.assert(
			fc.property(distinctItems, fc.string(), (list, seed) => {
				expect(idsOf(shuffledOrder(list, seed))).toEqual(idsOf(shuffledOrder(list, seed)));
			})
		);
	});

	it('is a permutation of the items (property)', () => {
		fc.assert(
			fc.property(distinctItems, fc.string(), (list, seed) => {
				const shuffled = shuffledOrder(list, seed);
				expect(shuffled).toHaveLength(list.length);
				expect([...idsOf(shuffled)].sort()).toEqual([...idsOf(list)].sort());
				for (const item of shuffled) expect(list).toContain(item);
			})
		);
	});

	it('never equals the correct order (property)', () => {
		fc.assert(
			fc.property(distinctItems, fc.string(), (list, seed) => {
				expect(isInOrder(idsOf(shuffledOrder(list, seed)), list)).toBe(false);
			})
		);
	});
});

describe('isInOrder', () => {
	const correct = items('a', 'b', 'c');

	it('is true only for the exact order', () => {
		expect(isInOrder(['a', 'b', 'c'], correct)).toBe(true);
		expect(isInOrder(['a', 'c', 'b'], correct)).toBe(false);
	});

	it('is false when items are missing or extra', () => {
		expect(isInOrder(['a', 'b'], correct)).toBe(false);
		expect(isInOrder(['a', 'b', 'c', 'd'], correct)).toBe(false);
		expect(isInOrder([], correct)).toBe(false);
	});
});

describe('correctPlaces', () => {
	const correct = items('a', 'b', 'c', 'd');

	it('marks the places that are already right', () => {
		expect(correctPlaces(['a', 'c', 'b', 'd'], correct)).toEqual([true, false, false, true]);
	});

	it('marks every place of the right order', () => {
		expect(correctPlaces(['a', 'b', 'c', 'd'], correct)).toEqual([true, true, true, true]);
	});

	it('marks places beyond the answer as wrong', () => {
		expect(correctPlaces(['a', 'b', 'c', 'd', 'e'], correct)).toEqual([
			true,
			true,
			true,
			true,
			false
		]);
	});

	it('agrees with isInOrder when every place is right (property)', () => {
		const ids = fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd'), { minLength: 4, maxLength: 4 });
		fc.assert(
			fc.property(ids, (order) => {
				expect(correctPlaces(order, correct).every(Boolean)).toBe(isInOrder(order, correct));
			})
		);
	});
});
