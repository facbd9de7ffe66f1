import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatHlc, HybridClock, isHlc, parseHlc, type HlcParts } from './hlc';

/** A wall clock the test sets by hand. */
function manualClock(start: number) {
	const wall = { now: start };
	return { wall, read: () => wall.now };
}

function expectStrictlyIncreasing(stamps: string[]) {
	for (let i = 1; i < stamps.length; i++) {
		expect(stamps[i]! > stamps[i - 1]!, `${stamps[i]} after ${stamps[i - 1]}`).toBe(true);
	}
}

describe('HybridClock.tick', () => {
	it('uses the wall clock when it moves forward', () => {
		const { wall, read } = manualClock(1_700_000_000_000);
		const clock = new HybridClock('dev-a', read);
		const first = parseHlc(clock.tick());
		wall.now += 5;
		const second = parseHlc(clock.tick());
		expect(first).toEqual({ ms: 1_700_000_000_000, counter: 0, node: 'dev-a' });
		expect(second).toEqual({ ms: 1_700_000_000_005, counter: 0, node: 'dev-a' });
	});

	it('still increases strictly when the wall clock stands still', () => {
		const clock = new HybridClock('dev-a', () => 1_000);
		const stamps = Array.from({ length: 50 }, () => clock.tick());
		expectStrictlyIncreasing(stamps);
		expect(parseHlc(stamps[49]!)).toEqual({ ms: 1_000, counter: 49, node: 'dev-a' });
	});

	it('still increases strictly when the wall clock goes backwards', () => {
		const { wall, read } = manualClock(1_000_000);
		const clock = new HybridClock('dev-a', read);
		const stamps = [clock.tick()];
		wall.now = 10; // someone set the tablet's clock back
		stamps.push(clock.tick(), clock.tick());
		wall.now = 999_999;
		stamps.push(clock.tick());
		expectStrictlyIncreasing(stamps);
		expect(parseHlc(stamps.at(-1)!).ms).toBe(1_000_000);
	});

	it('moves on to the next millisecond when the counter is used up', () => {
		const clock = new HybridClock('dev-a', () => 1_000);
		let last = clock.tick();
		for (let i = 0; i < 99_999; i++) last = clock.tick();
		expect(parseHlc(last)).toEqual({ ms: 1_000, counter: 99_999, node: 'dev-a' });
		const next = clock.tick();
		expect(parseHlc(next)).toEqual({ ms: 1_001, counter: 0, node: 'dev-a' });
		expect(next > last).toBe(true);
	});

	it('puts the node into every stamp', () => {
		const clock = new HybridClock('tablet-7', () => 42);
		expect(parseHlc(clock.tick()).node).toBe('tablet-7');
	});
});

describe('HybridClock.receive', () => {
	it('makes the next local stamp sort after a remote stamp far in the future', () => {
		const clock = new HybridClock('dev-a', () => 1_000);
		const before = clock.tick();
		const remote = formatHlc({ ms: 9_000_000_000_000, counter: 7, node: 'dev-b' });
		clock.receive(remote);
		const after = clock.tick();
		expect(after > remote).toBe(true);
		expect(after > before).toBe(true);
		expect(parseHlc(after)).toMatchObject({ ms: 9_000_000_000_000, counter: 9 });
	});

	it('keeps local stamps increasing after an older remote stamp', () => {
		const clock = new HybridClock('dev-a', () => 5_000);
		const before = clock.tick();
		clock.receive(formatHlc({ ms: 10, counter: 3, node: 'dev-b' }));
		const after = clock.tick();
		expect(after > before).toBe(true);
	});

	it('takes the larger counter when remote and local share a millisecond', () => {
		const clock = new HybridClock('dev-a', () => 100);
		clock.tick();
		const remote = formatHlc({ ms: 100, counter: 40, node: 'dev-b' });
		clock.receive(remote);
		const after = clock.tick();
		expect(after > remote).toBe(true);
		expect(parseHlc(after)).toMatchObject({ ms: 100, counter: 42 });
	});

	it('restarts the counter when the wall clock is ahead of both', () => {
		const { wall, read } = manualClock(100);
		const clock = new HybridClock('dev-a', read);
		clock.tick();
		wall.now = 500;
		clock.receive(formatHlc({ ms: 200, counter: 9, node: 'dev-b' }));
		expect(parseHlc(clock.tick())).toMatchObject({ ms: 500, counter: 1 });
	});

	it('refuses something that is not a stamp', () => {
		const clock = new HybridClock('dev-a', () => 1);
		expect(() => clock.receive('yesterday')).toThrow(/not a clock stamp/);
	});
});

describe('formatHlc and parseHlc', () => {
	it('writes a fixed-width stamp', () => {
		expect(formatHlc({ ms: 1_700_000_000_123, counter: 4, node: 'dev-a' })).toBe(
			'001700000000123-00004-dev-a'
		);
	});

	it('rejects text that is not a stamp', () => {
		expect(() => parseHlc('1700000000123-4-dev-a')).toThrow(/not a clock stamp/);
		expect(() => parseHlc('001700000000123-00004-')).toThrow(/not a clock stamp/);
	});

	it('recognises stamps with isHlc', () => {
		expect(isHlc('001700000000123-00004-dev-a')).toBe(true);
		expect(isHlc('2024-01-01T00:00:00Z')).toBe(false);
		expect(isHlc(1_700_000_000_123)).toBe(false);
		expect(isHlc(undefined)).toBe(false);
	});

	const parts: fc.Arbitrary<HlcParts> = fc.record({
		ms: fc.integer({ min: 0, max: 999_999_999_999_999 }),
		counter: fc.integer({ min: 0, max: 99_999 }),
		node: fc.string({ minLength: 1, maxLength: 20 }).filter((s) => !/[\n\r\u2028\u2029]/.test(s))
	});

	it('round-trips any parts (property)', () => {
		fc.assert(
			fc.property(parts, (p) => {
				const stamp = formatHlc(p);
				expect(isHlc(stamp)).toBe(true);
				expect(parseHlc(stamp)).toEqual(p);
			})
		);
	});

	it('sorts as text exactly as (ms, counter) sort as numbers (property)', () => {
		fc.assert(
			fc.property(parts, parts, (a, b) => {
				const [textA, textB] = [formatHlc({ ...a, node: 'n' }), formatHlc({ ...b, node: 'n' })];
				const textOrder = textA < textB ? -1 : textA > textB ? 1 : 0;
				const numberOrder = Math.sign(a.ms - b.ms || a.counter - b.counter);
				expect(textOrder).toBe(numberOrder);
			})
		);
	});
});

describe('HybridClock ordering (property)', () => {
	const step = fc.oneof(
		fc.record({ kind: fc.constant('tick' as const), wall: fc.integer({ min: 0, max: 2_000 }) }),
		fc.record({
			kind: fc.constant('receive' as const),
			wall: fc.integer({ min: 0, max: 2_000 }),
			remoteMs: fc.integer({ min: 0, max: 4_000 }),
			// Up to the limit itself: an overflowing counter must borrow the next millisecond.
			remoteCounter: fc.integer({ min: 0, max: 99_999 })
		})
	);

	it('string order of stamps equals tick order, whatever the wall clock does', () => {
		fc.assert(
			fc.property(
				fc.array(fc.integer({ min: 0, max: 2_000 }), { minLength: 2, maxLength: 60 }),
				(walls) => {
					const { wall, read } = manualClock(0);
					const clock = new HybridClock('dev-a', read);
					const stamps = walls.map((w) => {
						wall.now = w;
						return clock.tick();
					});
					expect([...stamps].sort()).toEqual(stamps);
					expect(new Set(stamps).size).toBe(stamps.length);
				}
			)
		);
	});

	it('every local stamp sorts after all stamps ticked or received before it', () => {
		fc.assert(
			fc.property(fc.array(step, { minLength: 1, maxLength: 60 }), (steps) => {
				const { wall, read } = manualClock(0);
				const clock = new HybridClock('dev-a', read);
				let latestSeen = '';
				for (const s of steps) {
					wall.now = s.wall;
					if (s.kind === 'receive') {
						const remote = formatHlc({ ms: s.remoteMs, counter: s.remoteCounter, node: 'dev-b' });
						clock.receive(remote);
						if (remote > latestSeen) latestSeen = remote;
					} else {
						const stamp = clock.tick();
						expect(stamp > latestSeen).toBe(true);
						latestSeen = stamp;
					}
				}
			})
		);
	});
});

describe('HybridClock counter overflow on receive', () => {
	it('a remote stamp at the counter limit still makes the next local stamp sort after it', () => {
		const clock = new HybridClock('dev-a', () => 1000);
		const remote = '000000000001000-99999-dev-b';
		clock.receive(remote);
		expect(clock.tick() > remote).toBe(true);
	});
});
