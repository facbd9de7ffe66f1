import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packPairs, unpackPairs } from './cells';

describe('packPairs', () => {
	it('gives back the pairs, sorted, from a Buffer and from a copied Uint8Array at any offset', () => {
		const pair = fc.tuple(
			fc.integer({ min: 0, max: 2 ** 31 - 1 }),
			fc.integer({ min: 0, max: 1e6 })
		);
		fc.assert(
			fc.property(fc.array(pair, { maxLength: 50 }), fc.nat(7), (pairs, offset) => {
				const bytes = packPairs(pairs);
				const sorted = [...pairs].sort((a, b) => a[0] - b[0] || a[1] - b[1]).flat();
				expect([...unpackPairs(bytes)]).toEqual(sorted);
				// A reader thread hands back a plain Uint8Array, not always aligned to four bytes.
				const shifted = new Uint8Array(bytes.length + offset);
				shifted.set(bytes, offset);
				expect([...unpackPairs(shifted.subarray(offset))]).toEqual(sorted);
			})
		);
	});

	it('makes the same bytes for the same pairs in any order', () => {
		expect(
			packPairs([
				[2, 1],
				[1, 5],
				[1, 3]
			])
		).toEqual(
			packPairs([
				[1, 3],
				[2, 1],
				[1, 5]
			])
		);
		expect(packPairs([])).toHaveLength(0);
	});
});
