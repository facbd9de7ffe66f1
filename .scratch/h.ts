import fc from 'fast-check';
import { formatHlc, HybridClock } from '../src/lib/domain/hlc';
const step = fc.oneof(
	fc.record({ kind: fc.constant('tick' as const), wall: fc.integer({ min: 0, max: 2_000 }) }),
	fc.record({
		kind: fc.constant('receive' as const),
		wall: fc.integer({ min: 0, max: 2_000 }),
		remoteMs: fc.integer({ min: 0, max: 4_000 }),
		remoteCounter: fc.integer({ min: 0, max: 90_000 })
	})
);
const r = fc.check(
	fc.property(fc.array(step, { minLength: 1, maxLength: 60 }), (steps) => {
		let now = 0;
		const clock = new HybridClock('dev-a', () => now);
		let latest = '';
		for (const s of steps) {
			now = s.wall;
			if (s.kind === 'receive') {
				const remote = formatHlc({ ms: s.remoteMs, counter: s.remoteCounter, node: 'dev-b' });
				clock.receive(remote);
				if (remote > latest) latest = remote;
			} else {
				const st = clock.tick();
				if (!(st > latest)) return false;
				latest = st;
			}
		}
		return true;
	}),
	{ numRuns: 200000 }
);
console.log(JSON.stringify(r.counterexample));
