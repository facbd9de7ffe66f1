import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatHlc, type HlcStamp } from '../hlc';
import { baseOf, mergeSnapshot, splitStamped, stampedOf, type StampedFields } from './stamped';

type F = 'title' | 'room' | 'status';
const FIELDS: readonly F[] = ['title', 'room', 'status'];

const TABLET_A = '0192f6a0-0000-7000-8000-00000000000a';
const TABLET_B = '0192f6a0-0000-7000-8000-00000000000b';
const TABLET_C = '0192f6a0-0000-7000-8000-00000000000c';

const at = (ms: number, node: string, counter = 0) => formatHlc({ ms, counter, node });

describe('stamp format used here', () => {
	it('is the fixed-width clock stamp, so string order is time order', () => {
		expect(at(1_764_000_000_000, TABLET_A)).toBe(`001764000000000-00000-${TABLET_A}`);
		expect(at(1_764_000_000_000, TABLET_A, 1) > at(1_764_000_000_000, TABLET_A)).toBe(true);
		expect(at(1_764_000_000_001, TABLET_A) > at(1_764_000_000_000, TABLET_B, 99)).toBe(true);
	});
});

describe('stampedOf', () => {
	it('pairs each value with the stamp that set it', () => {
		expect(
			stampedOf<F>(
				{ title: 'Tablet-Kurs', room: 'Raum 2' },
				{ title: at(10, TABLET_A), room: at(11, TABLET_B) }
			)
		).toEqual({
			title: { value: 'Tablet-Kurs', stamp: at(10, TABLET_A) },
			room: { value: 'Raum 2', stamp: at(11, TABLET_B) }
		});
	});

	it('leaves out a field that has a value but no stamp, or a stamp but no value', () => {
		expect(
			stampedOf<F>(
				{ title: 'Tablet-Kurs', status: 'planned' },
				{ title: at(1, TABLET_A), room: at(2, TABLET_A) }
			)
		).toEqual({ title: { value: 'Tablet-Kurs', stamp: at(1, TABLET_A) } });
		expect(stampedOf<F>({}, {})).toEqual({});
	});

	it('keeps an empty value: a field cleared on purpose is still a stamped value', () => {
		expect(stampedOf<F>({ room: '' }, { room: at(3, TABLET_C) })).toEqual({
			room: { value: '', stamp: at(3, TABLET_C) }
		});
	});
});

describe('splitStamped', () => {
	it('splits stamped fields into values and stamps', () => {
		expect(
			splitStamped<F>({
				title: { value: 'Smartphone', stamp: at(5, TABLET_A) },
				status: { value: 'closed', stamp: at(7, TABLET_B) }
			})
		).toEqual({
			values: { title: 'Smartphone', status: 'closed' },
			stamps: { title: at(5, TABLET_A), status: at(7, TABLET_B) }
		});
		expect(splitStamped<F>({})).toEqual({ values: {}, stamps: {} });
	});
});

describe('baseOf', () => {
	it('takes the stamps of the changed fields only', () => {
		const stamps = { title: at(1, TABLET_A), room: at(2, TABLET_B), status: at(3, TABLET_C) };
		expect(baseOf<F>(stamps, ['room', 'status'])).toEqual({
			room: at(2, TABLET_B),
			status: at(3, TABLET_C)
		});
		expect(baseOf<F>(stamps, [])).toEqual({});
	});

	it('leaves out a changed field the device holds no stamp for (set for the first time)', () => {
		expect(baseOf<F>({ title: at(1, TABLET_A) }, ['title', 'room'])).toEqual({
			title: at(1, TABLET_A)
		});
		expect(baseOf<F>({ title: '' }, ['title'])).toEqual({});
	});
});

describe('mergeSnapshot', () => {
	it('keeps, per field, whichever side has the later stamp', () => {
		const local: StampedFields<F> = {
			title: { value: 'mine, newer', stamp: at(20, TABLET_A) },
			room: { value: 'mine, older', stamp: at(10, TABLET_A) },
			status: { value: 'only mine', stamp: at(5, TABLET_A) }
		};
		const remote: StampedFields<F> = {
			title: { value: 'office, older', stamp: at(19, TABLET_B, 9) },
			room: { value: 'office, newer', stamp: at(10, TABLET_B) }
		};
		expect(mergeSnapshot(local, remote)).toEqual({
			title: { value: 'mine, newer', stamp: at(20, TABLET_A) },
			room: { value: 'office, newer', stamp: at(10, TABLET_B) },
			status: { value: 'only mine', stamp: at(5, TABLET_A) }
		});
	});

	it('takes a field only the office has', () => {
		expect(mergeSnapshot<F>({}, { room: { value: 'Raum 1', stamp: at(1, TABLET_B) } })).toEqual({
			room: { value: 'Raum 1', stamp: at(1, TABLET_B) }
		});
	});

	it('keeps the local value when both sides hold the same stamp', () => {
		const stamp = at(4, TABLET_A);
		expect(
			mergeSnapshot<F>({ room: { value: 'local', stamp } }, { room: { value: 'remote', stamp } })
		).toEqual({ room: { value: 'local', stamp } });
	});

	it('changes neither input', () => {
		const local: StampedFields<F> = { title: { value: 'a', stamp: at(1, TABLET_A) } };
		const remote: StampedFields<F> = {
			title: { value: 'b', stamp: at(2, TABLET_B) },
			room: { value: 'c', stamp: at(2, TABLET_B) }
		};
		const localCopy = structuredClone(local);
		const remoteCopy = structuredClone(remote);
		mergeSnapshot(local, remote);
		expect(local).toEqual(localCopy);
		expect(remote).toEqual(remoteCopy);
	});
});

// ---- properties ---------------------------------------------------------------------------

/**
 * Edits as a clock makes them: each has its own stamp (the device id is inside it), and one
 * edit sets each field to one value. A snapshot holds, per field, the value of one edit or
 * nothing; two snapshots that hold the same stamp for a field hold the same value there.
 */
interface Edit {
	stamp: HlcStamp;
	values: Record<F, string>;
}

const stamp = fc
	.record({
		ms: fc.integer({ min: 1_764_000_000_000, max: 1_764_000_000_004 }),
		counter: fc.integer({ min: 0, max: 2 }),
		node: fc.constantFrom(TABLET_A, TABLET_B, TABLET_C)
	})
	.map(formatHlc);

const edits: fc.Arbitrary<Edit[]> = fc.uniqueArray(
	fc.record({
		stamp,
		values: fc.record({
			title: fc.string({ maxLength: 4 }),
			room: fc.constantFrom('', 'Raum 1', 'Raum 2'),
			status: fc.constantFrom('planned', 'cancelled', 'closed')
		})
	}),
	{ selector: (e) => e.stamp, minLength: 1, maxLength: 6 }
);

function snapshotOf(universe: Edit[]): fc.Arbitrary<StampedFields<F>> {
	const pick = fc.option(fc.integer({ min: 0, max: universe.length - 1 }), { nil: undefined });
	return fc.record({ title: pick, room: pick, status: pick }).map((picks) => {
		const out: StampedFields<F> = {};
		for (const field of FIELDS) {
			const index = picks[field];
			if (index === undefined) continue;
			const edit = universe[index]!;
			out[field] = { value: edit.values[field], stamp: edit.stamp };
		}
		return out;
	});
}

const snapshots = (n: number) =>
	edits.chain((universe) => fc.array(snapshotOf(universe), { minLength: n, maxLength: n }));

describe('mergeSnapshot properties', () => {
	it('is idempotent: merging a snapshot with itself gives it back', () => {
		fc.assert(
			fc.property(snapshots(1), ([x]) => {
				expect(mergeSnapshot(x!, x!)).toEqual(x);
			})
		);
	});

	it('is commutative: local and remote swapped give the same fields (stamps are unique)', () => {
		fc.assert(
			fc.property(snapshots(2), ([a, b]) => {
				expect(mergeSnapshot(a!, b!)).toEqual(mergeSnapshot(b!, a!));
			})
		);
	});

	it('is associative: (a ⊔ b) ⊔ c equals a ⊔ (b ⊔ c)', () => {
		fc.assert(
			fc.property(snapshots(3), ([a, b, c]) => {
				expect(mergeSnapshot(mergeSnapshot(a!, b!), c!)).toEqual(
					mergeSnapshot(a!, mergeSnapshot(b!, c!))
				);
			})
		);
	});

	it('holds per field the value with the highest stamp among both sides, and no other field', () => {
		fc.assert(
			fc.property(snapshots(2), ([a, b]) => {
				const merged = mergeSnapshot(a!, b!);
				for (const field of FIELDS) {
					const candidates = [a![field], b![field]].filter((s) => s !== undefined);
					if (candidates.length === 0) {
						expect(field in merged).toBe(false);
						continue;
					}
					const best = candidates.reduce((x, y) => (y.stamp > x.stamp ? y : x));
					expect(merged[field]).toEqual(best);
				}
				expect(Object.keys(merged).sort()).toEqual(
					[...new Set([...Object.keys(a!), ...Object.keys(b!)])].sort()
				);
			})
		);
	});
});

describe('stampedOf / splitStamped round trip', () => {
	it('splitting and pairing again gives the same stamped fields', () => {
		fc.assert(
			fc.property(snapshots(1), ([x]) => {
				const { values, stamps } = splitStamped(x!);
				expect(stampedOf(values, stamps)).toEqual(x);
			})
		);
	});

	it('pairing and splitting again keeps exactly the fields that had both a value and a stamp', () => {
		const partial = <T>(arb: fc.Arbitrary<T>) =>
			fc.record({ title: arb, room: arb, status: arb }, { requiredKeys: [] });
		fc.assert(
			fc.property(partial(fc.string({ maxLength: 3 })), partial(stamp), (values, stamps) => {
				const both = FIELDS.filter((f) => values[f] !== undefined && stamps[f] !== undefined);
				const split = splitStamped(stampedOf<F>(values, stamps));
				expect(split).toEqual({
					values: Object.fromEntries(both.map((f) => [f, values[f]])),
					stamps: Object.fromEntries(both.map((f) => [f, stamps[f]]))
				});
			})
		);
	});
});
