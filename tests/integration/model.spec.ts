/**
 * A model test of sync: 2 to 5 simulated tablets on one office run a generated schedule of
 * work, syncs, faulty syncs, duplicated requests and concurrent syncs; then everyone syncs
 * cleanly twice. Whatever the schedule, the office must hold every event exactly once, every
 * tablet must hold exactly the office's events (and lesson state, and profiles) of its
 * learners, and every outbox must be empty.
 *
 * Tablets share a learner: tablet 0 creates her, and some others take her on in their first
 * sync. Profiles are not edited during the schedule; see engine.spec.ts for why (two known
 * bugs make concurrent or after-the-fact profile edits diverge).
 */
import 'fake-indexeddb/auto';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../src/lib/domain/progress/events';
import { DIALECTS, freshOffice, type TestOffice } from './support/databases';
import {
	InjectedFault,
	PULL,
	PUSH,
	adoptLearner,
	closeTablets,
	duplicated,
	expectConverged,
	expectExactlyOnce,
	killedBeforeCommit,
	openTablet,
	pullCutAt,
	reorderedLinks,
	replyLostAfterCommit,
	type Tablet
} from './support/devices';

const FAULTS = [
	'kill-push',
	'kill-pull',
	'lost-push',
	'lost-pull',
	'cut-pull',
	'dup-push',
	'dup-pull'
] as const;
type Fault = (typeof FAULTS)[number];

type Action =
	| { kind: 'record'; tablet: number; learner: number; count: number }
	| { kind: 'sync'; tablet: number }
	| { kind: 'faulty-sync'; tablet: number; fault: Fault; nth: number }
	| { kind: 'concurrent'; tablets: [number, number]; reorder: boolean }
	| { kind: 'two-tabs'; tablet: number };

const action: fc.Arbitrary<Action> = fc.oneof(
	{
		weight: 4,
		arbitrary: fc.record({
			kind: fc.constant('record' as const),
			tablet: fc.nat(),
			learner: fc.nat(),
			// Now and then a long lesson session: more than a push batch or a pull page (200).
			count: fc.oneof(
				{ weight: 6, arbitrary: fc.integer({ min: 1, max: 25 }) },
				{ weight: 1, arbitrary: fc.integer({ min: 190, max: 230 }) }
			)
		})
	},
	{ weight: 2, arbitrary: fc.record({ kind: fc.constant('sync' as const), tablet: fc.nat() }) },
	{
		weight: 3,
		arbitrary: fc.record({
			kind: fc.constant('faulty-sync' as const),
			tablet: fc.nat(),
			fault: fc.constantFrom(...FAULTS),
			// The second request of a kind exists only when the outbox or the pull needs two pages.
			nth: fc.constantFrom(1, 1, 2)
		})
	},
	{
		weight: 2,
		arbitrary: fc.record({
			kind: fc.constant('concurrent' as const),
			tablets: fc.tuple(fc.nat(), fc.nat()),
			reorder: fc.boolean()
		})
	},
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant('two-tabs' as const), tablet: fc.nat() }) }
);

const scenario = fc.record({
	tablets: fc.integer({ min: 2, max: 5 }),
	/** Which of tablets 1… take on tablet 0's learner. */
	shared: fc.array(fc.constantFrom(true, true, false), { minLength: 4, maxLength: 4 }),
	actions: fc.array(action, { minLength: 3, maxLength: 16 })
});

function faulty(t: Tablet, fault: Fault, nth: number) {
	switch (fault) {
		case 'kill-push':
			return killedBeforeCommit(t.link, { path: PUSH, nth });
		case 'kill-pull':
			return killedBeforeCommit(t.link, { path: PULL, nth });
		case 'lost-push':
			return replyLostAfterCommit(t.link, { path: PUSH, nth });
		case 'lost-pull':
			return replyLostAfterCommit(t.link, { path: PULL, nth });
		case 'cut-pull':
			return pullCutAt(t.link, nth + 1);
		case 'dup-push':
			return duplicated(t.link, { path: PUSH, nth });
		case 'dup-pull':
			return duplicated(t.link, { path: PULL, nth });
	}
}

/** A sync that may hit its injected fault (or not, if the fault's request never comes). */
async function mayBreak(sync: Promise<unknown>): Promise<void> {
	try {
		await sync;
	} catch (error) {
		if (!(error instanceof InjectedFault)) throw error;
	}
}

const offices: TestOffice[] = [];
afterEach(async () => {
	await closeTablets();
	for (const office of offices.splice(0)) await office.dispose();
});

describe.each(DIALECTS)('sync model on %s', (dialect) => {
	it('ends with every event once on the office and every tablet agreeing with it', async () => {
		let runs = 0;
		await fc.assert(
			fc.asyncProperty(scenario, async ({ tablets: n, shared, actions }) => {
				runs++;
				const office = await freshOffice(dialect);
				try {
					const tablets: Tablet[] = [];
					for (let i = 0; i < n; i++) tablets.push(await openTablet(office, `t${i}`));
					const recorded: ProgressEvent[] = [];
					const learners: string[][] = [];

					// Setup, one tablet after the other: each has a learner of its own; some also
					// take on tablet 0's learner before their first sync.
					for (const [i, t] of tablets.entries()) {
						const own = await t.newLearner(`Learner ${i}`);
						learners.push([own.id]);
						recorded.push(...(await t.record(own.id, 2)));
						if (i > 0 && shared[i - 1]) {
							const first = (await tablets[0]!.db.learners.get(learners[0]![0]!))!;
							await adoptLearner(office, t, first, `pic-${i}`);
							learners[i]!.push(first.id);
						}
						await t.sync();
					}

					for (const step of actions) {
						if (step.kind === 'record') {
							const mine = learners[step.tablet % n]!;
							const t = tablets[step.tablet % n]!;
							recorded.push(...(await t.record(mine[step.learner % mine.length]!, step.count)));
						} else if (step.kind === 'sync') {
							await tablets[step.tablet % n]!.sync();
						} else if (step.kind === 'faulty-sync') {
							const t = tablets[step.tablet % n]!;
							await mayBreak(t.sync(faulty(t, step.fault, step.nth)));
						} else if (step.kind === 'concurrent') {
							const [x, y] = step.tablets.map((i) => tablets[i % n]!);
							const order = step.reorder ? reorderedLinks(2) : (link: Tablet['link']) => link;
							await Promise.all([x!.sync(order(x!.link)), y!.sync(order(y!.link))]);
						} else {
							const t = tablets[step.tablet % n]!;
							await Promise.all([t.sync(), t.sync()]);
						}
					}

					for (let round = 0; round < 2; round++) for (const t of tablets) await t.sync();

					await expectExactlyOnce(
						office,
						recorded.map((e) => e.id)
					);
					for (const t of tablets) await expectConverged(office, t);
				} finally {
					await closeTablets();
					await office.dispose();
				}
			}),
			{ numRuns: dialect === 'postgres' ? 8 : 15 }
		);
		expect(runs).toBeGreaterThanOrEqual(dialect === 'postgres' ? 8 : 15);
	}, 120_000);
});
