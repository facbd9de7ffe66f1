/**
 * The client sync engine against the real server handlers, on both office databases: simulated
 * tablets (Dexie on fake-indexeddb) sync through a link that can lose, cut, duplicate and
 * reorder requests. Every test checks that each progress event reaches the office exactly once
 * and that the tablets end up agreeing with it.
 */
import 'fake-indexeddb/auto';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { afterEach, describe, expect, it } from 'vitest';
import { LernlotseDatabase } from '../../src/lib/client/db/database';
import { openDevice } from '../../src/lib/client/db/device';
import { updateLearner } from '../../src/lib/client/db/learners';
import type { LearnerRecord } from '../../src/lib/client/db/records';
import { CURSOR } from '../../src/lib/client/sync/apply-pull';
import { syncOnce } from '../../src/lib/client/sync/engine';
import type { ProgressEvent } from '../../src/lib/domain/progress/events';
import type { PullResponse, PushRequest } from '../../src/lib/sync/protocol';
import { DIALECTS, freshOffice, type TestOffice } from './support/databases';
import {
	DAY_MS,
	PULL,
	PUSH,
	adoptLearner,
	closeTablets,
	countRows,
	duplicated,
	expectConverged,
	expectExactlyOnce,
	killedBeforeCommit,
	lessonEvents,
	officeLink,
	openTablet,
	pullCutAt,
	reorderedLinks,
	replyLostAfterCommit,
	serverEvents,
	serverLearner,
	syncThatBreaks,
	type Tablet,
	linkLearner
} from './support/devices';

const offices: TestOffice[] = [];
afterEach(async () => {
	await closeTablets();
	for (const office of offices.splice(0)) await office.dispose();
});

async function open(dialect: (typeof DIALECTS)[number]): Promise<TestOffice> {
	const office = await freshOffice(dialect);
	offices.push(office);
	return office;
}

const ids = (events: ProgressEvent[]) => events.map((e) => e.id);
const mine = async (t: Tablet, id: string) => (await t.db.learners.get(id))!;
const pushedIds = (t: Tablet) =>
	t.calls
		.filter((c) => c.path === PUSH)
		.flatMap((c) => (c.body as PushRequest).mutations.map((m) => (m as { id: string }).id));

// Generous time limits: a loaded two-core runner can be several times slower than a laptop.
describe.each(DIALECTS)('sync engine on %s', { timeout: 30_000 }, (dialect) => {
	it('brings the work of two tablets on one learner to both, each event once', async () => {
		const office = await open(dialect);
		const a = await openTablet(office, 'a');
		const b = await openTablet(office, 'b');
		const learner = await a.newLearner('Erna');
		const recorded = await a.record(learner.id, 5);

		const first = await a.sync();
		expect(first).toMatchObject({ outcome: 'ok', accepted: 6, duplicates: 0, rejected: 0 });
		expect(await a.db.outbox.count()).toBe(0);

		// Tablet B gets the learner from A's profile and works with her too.
		await adoptLearner(office, b, await mine(a, learner.id));
		recorded.push(...(await b.record(learner.id, 4)));
		const second = await b.sync();
		expect(second).toMatchObject({ outcome: 'ok', accepted: 5, rejected: 0 });
		recorded.push(...(await a.record(learner.id, 3)));

		await a.sync();
		await b.sync();
		await a.sync();

		await expectExactlyOnce(office, ids(recorded));
		expect(await a.db.progress.count()).toBe(12);
		expect(await b.db.progress.count()).toBe(12);
		await expectConverged(office, a);
		await expectConverged(office, b);
		// Both tablets show the profile as last changed, by B.
		expect((await mine(a, learner.id)).avatar).toBe('moon');
	});

	it('sends again what a server killed before its commit never stored, once', async () => {
		const office = await open(dialect);
		const a = await openTablet(office, 'a');
		const learner = await a.newLearner();
		const recorded = await a.record(learner.id, 250); // two push batches: 200 and 51

		// The first batch commits; the server dies before committing the second.
		await syncThatBreaks(a, killedBeforeCommit(a.link, { path: PUSH, nth: 2 }));
		expect(await a.db.outbox.count()).toBe(51);
		expect(await countRows(office, 'progress_events')).toBe(199);

		const retry = await a.sync();
		expect(retry).toMatchObject({ outcome: 'ok', accepted: 51, duplicates: 0 });
		await expectExactlyOnce(office, ids(recorded));
		await expectConverged(office, a);
	});

	it('resends a batch whose reply was lost after the commit, and hears back duplicates', async () => {
		const office = await open(dialect);
		const a = await openTablet(office, 'a');
		const learner = await a.newLearner();
		const recorded = await a.record(learner.id, 30);

		await syncThatBreaks(a, replyLostAfterCommit(a.link, { path: PUSH }));
		// Committed, but the tablet cannot know: everything is still queued.
		expect(await a.db.outbox.count()).toBe(31);
		expect(await countRows(office, 'progress_events')).toBe(30);

		const retry = await a.sync();
		expect(retry).toMatchObject({ outcome: 'ok', accepted: 0, duplicates: 31, rejected: 0 });
		expect(await a.db.outbox.count()).toBe(0);
		await expectExactlyOnce(office, ids(recorded));
		await expectConverged(office, a);

		// A proxy that sends the next push twice at once: one copy applies, the other is a replay.
		recorded.push(...(await a.record(learner.id, 12)));
		const pushesBefore = a.calls.filter((c) => c.path === PUSH).length;
		const twice = await a.sync(duplicated(a.link, { path: PUSH }));
		expect(a.calls.filter((c) => c.path === PUSH)).toHaveLength(pushesBefore + 2);
		expect(twice.accepted + twice.duplicates).toBe(12);
		expect(await a.db.outbox.count()).toBe(0);
		await expectExactlyOnce(office, ids(recorded));
		await expectConverged(office, a);
	});

	it('applies everything once when two tabs sync the same outbox at the same time', async () => {
		const office = await open(dialect);
		const a = await openTablet(office, 'a');
		const learner = await a.newLearner();
		const recorded = await a.record(learner.id, 40);

		const [one, two] = await Promise.all([a.sync(), a.sync()]);
		expect(one.accepted + two.accepted).toBe(41);
		expect(one.rejected + two.rejected).toBe(0);
		expect(await a.db.outbox.count()).toBe(0);
		await expectExactlyOnce(office, ids(recorded));

		// A second tab has its own connection and its own clock; its push overtakes the first's.
		recorded.push(...(await a.record(learner.id, 10)));
		const otherTab = new LernlotseDatabase(a.db.name);
		await otherTab.open();
		try {
			const otherDevice = await openDevice(otherTab);
			expect(otherDevice.id).toBe(a.device.id);
			const reorder = reorderedLinks(2);
			const [three, four] = await Promise.all([
				a.sync(reorder(a.link)),
				syncOnce(otherTab, otherDevice, reorder(officeLink(office)))
			]);
			expect(three.accepted + four.accepted).toBe(10);
			expect(three.duplicates + four.duplicates).toBe(10);
		} finally {
			otherTab.close();
		}
		expect(await a.db.outbox.count()).toBe(0);
		await a.sync();
		await expectExactlyOnce(office, ids(recorded));
		await expectConverged(office, a);
	});

	it('keeps the last stored cursor when the network drops on page two of a pull', async () => {
		const office = await open(dialect);
		const a = await openTablet(office, 'a');
		const b = await openTablet(office, 'b');
		const learner = await a.newLearner();
		await a.sync();
		// B works with the learner from the start, so her later events reach B through the feed.
		await adoptLearner(office, b, await mine(a, learner.id));
		await b.sync();
		const recorded = await a.record(learner.id, 260);
		await a.sync();

		const callsBefore = b.calls.length;
		await syncThatBreaks(b, pullCutAt(b.link, 2));
		const pulls = b.calls.slice(callsBefore).filter((c) => c.path === PULL);
		expect(pulls).toHaveLength(2);
		const page1 = pulls[0]!.reply!.body as PullResponse;
		expect(page1.more).toBe(true);
		expect((pulls[1]!.body as { cursor: string }).cursor).toBe(page1.cursor);
		// Page one is stored with its cursor; nothing of the lost page two is.
		expect((await b.db.meta.get(CURSOR))?.value).toBe(page1.cursor);
		const page1Events = page1.changes.filter((c) => c.entity === 'progress').map((c) => c.data.id);
		expect(page1Events.length).toBeGreaterThan(150);
		expect((await b.db.progress.toCollection().primaryKeys()).sort()).toEqual(page1Events.sort());

		const before = b.calls.length;
		const report = await b.sync();
		const nextPull = b.calls.slice(before).find((c) => c.path === PULL)!;
		expect((nextPull.body as { cursor: string }).cursor).toBe(page1.cursor);
		expect(report.pulled).toBe(260 - page1Events.length);
		expect(await b.db.progress.count()).toBe(260);
		await expectExactlyOnce(office, ids(recorded));
		await expectConverged(office, b);
		await a.sync();
		await expectConverged(office, a);
	});

	it('marks one refused mutation, sends the rest, and does not send the refused one again', async () => {
		const office = await open(dialect);
		const a = await openTablet(office, 'a');
		const learner = await a.newLearner();
		const recorded = await a.record(learner.id, 3);
		const badId = uuidv7();
		const [template] = lessonEvents(learner.id, 1);
		const hlc = a.device.clock.tick();
		await a.db.outbox.add({
			mutationId: badId,
			kind: 'progress',
			payload: { ...template, courseId: 'Not An Id!', id: badId, hlc, deviceId: a.device.id },
			hlc,
			createdAt: new Date().toISOString()
		});
		recorded.push(...(await a.record(learner.id, 3)));

		const report = await a.sync();
		expect(report).toMatchObject({ outcome: 'ok', accepted: 7, rejected: 1, duplicates: 0 });
		const left = await a.db.outbox.toArray();
		expect(left).toHaveLength(1);
		expect(left[0]).toMatchObject({
			mutationId: badId,
			rejected: expect.stringContaining('courseId')
		});
		expect(pushedIds(a).filter((id) => id === badId)).toHaveLength(1);

		const pushesBefore = a.calls.filter((c) => c.path === PUSH).length;
		const again = await a.sync();
		expect(again).toMatchObject({ accepted: 0, rejected: 0, duplicates: 0 });
		expect(a.calls.filter((c) => c.path === PUSH)).toHaveLength(pushesBefore);
		expect(pushedIds(a).filter((id) => id === badId)).toHaveLength(1);
		expect(await a.db.outbox.get(left[0]!.seq!)).toMatchObject({ mutationId: badId });

		await expectExactlyOnce(office, ids(recorded));
		await expectConverged(office, a, { rejectedLeft: 1 });
	});

	it('takes in events from clocks days apart once each, and merges the profile the same in any order', async () => {
		async function scenario(order: ('a' | 'ahead' | 'behind')[]) {
			const office = await open(dialect);
			const tablets = {
				a: await openTablet(office, 'a'),
				ahead: await openTablet(office, 'ahead', { skewMs: 3 * DAY_MS }),
				behind: await openTablet(office, 'behind', { skewMs: -4 * DAY_MS })
			};
			const { a, ahead, behind } = tablets;
			const learner = await a.newLearner('Erna');
			const recorded = await a.record(learner.id, 4);
			await a.sync();
			for (const t of [ahead, behind]) {
				await adoptLearner(office, t, await mine(a, learner.id), `${t.label}-pic`);
				recorded.push(...(await t.record(learner.id, 4)));
				await t.sync();
			}
			for (const t of Object.values(tablets)) await t.sync();

			// Offline, each tablet renames her and works on; then they come back in `order`.
			for (const t of Object.values(tablets)) {
				await updateLearner(t.db, t.device, await mine(t, learner.id), {
					name: `Erna ${t.label}`
				});
				recorded.push(...(await t.record(learner.id, 3)));
			}
			for (const name of order) await tablets[name].sync();
			for (const name of order) await tablets[name].sync();

			await expectExactlyOnce(office, ids(recorded));
			for (const t of Object.values(tablets)) await expectConverged(office, t);
			const profile = await serverLearner(office, learner.id);
			const aheadEvents = (await serverEvents(office)).filter(
				(e) => e.deviceId === ahead.device.id
			);
			expect(aheadEvents).toHaveLength(7);
			return { name: profile.name, avatar: profile.avatar };
		}

		const one = await scenario(['a', 'ahead', 'behind']);
		const other = await scenario(['behind', 'ahead', 'a']);
		expect(one).toEqual(other);
		// The clock that runs ahead stamps the latest change: by the rules, its values win.
		expect(one).toEqual({ name: 'Erna ahead', avatar: 'ahead-pic' });
	});

	it('settles a profile edited on two tablets offline to one value everywhere, with one conflict', async () => {
		const office = await open(dialect);
		const a = await openTablet(office, 'a');
		const b = await openTablet(office, 'b');
		const learner = await a.newLearner('Erna');
		await a.sync();
		await adoptLearner(office, b, await mine(a, learner.id));
		await b.sync();
		await a.sync();
		const profile = ({ name, avatar, lang, stamps }: LearnerRecord) => ({
			name,
			avatar,
			lang,
			stamps
		});
		expect(profile(await mine(a, learner.id))).toEqual(profile(await mine(b, learner.id)));

		const edits: LearnerRecord[] = [];
		edits.push(await updateLearner(a.db, a.device, await mine(a, learner.id), { name: 'Erna M.' }));
		edits.push(
			await updateLearner(b.db, b.device, await mine(b, learner.id), { name: 'Ernestine' })
		);
		const winner = edits.reduce((x, y) => (x.stamps!.name! > y.stamps!.name! ? x : y));

		for (let round = 0; round < 2; round++) {
			await a.sync();
			await b.sync();
		}
		const server = await serverLearner(office, learner.id);
		expect(server.name).toBe(winner.name);
		expect((await mine(a, learner.id)).name).toBe(winner.name);
		expect((await mine(b, learner.id)).name).toBe(winner.name);
		await expectConverged(office, a);
		await expectConverged(office, b);

		const conflicts = await office.db.selectFrom('conflicts').selectAll().execute();
		expect(conflicts).toHaveLength(1);
		expect(conflicts[0]).toMatchObject({ entity: 'learner', entity_id: learner.id, field: 'name' });
		expect(JSON.parse(conflicts[0]!.kept).value).toBe(winner.name);
		expect(JSON.parse(conflicts[0]!.other).value).toBe(edits.find((e) => e !== winner)!.name);
	});
});

/**
 * Runs `work` (two syncs) so that on PostgreSQL both pushes have read the learner's row before
 * either writes it: a third connection holds the row until both are waiting to update it.
 * On SQLite writes are serialised anyway; there the syncs simply run at once.
 */
async function bothReadBeforeEitherWrites(
	office: TestOffice,
	learnerId: string,
	work: () => Promise<unknown>
): Promise<void> {
	if (office.dialect !== 'postgres') {
		await work();
		return;
	}
	const holder = new pg.Client({ connectionString: office.url });
	const watcher = new pg.Client({ connectionString: office.url });
	await holder.connect();
	await watcher.connect();
	try {
		await holder.query('begin');
		await holder.query('select id from learners where id = $1 for update', [learnerId]);
		const running = work();
		for (let i = 0; i < 300; i++) {
			const { rows } = await watcher.query<{ n: number }>(
				`select count(*)::int as n from pg_stat_activity
				 where datname = current_database() and wait_event_type = 'Lock'`
			);
			if (rows[0]!.n >= 2) break;
			await new Promise((resolve) => setTimeout(resolve, 10));
		}
		await holder.query('commit');
		await running;
	} finally {
		await holder.end();
		await watcher.end();
	}
}

describe.each(DIALECTS)(
	'sync engine on %s, profiles and history',
	{ timeout: 30_000 },
	(dialect) => {
		it('gives a tablet that synced before the whole history of a learner it takes on', async () => {
			const office = await open(dialect);
			const a = await openTablet(office, 'a');
			const b = await openTablet(office, 'b');
			const erna = await a.newLearner('Erna');
			const recorded = await a.record(erna.id, 5);
			await a.sync();
			const max = await b.newLearner('Max');
			recorded.push(...(await b.record(max.id, 2)));
			await b.sync(); // B's cursor is now past Erna's five events

			await adoptLearner(office, b, await mine(a, erna.id));
			recorded.push(...(await b.record(erna.id, 2)));
			await b.sync();
			await b.sync();
			await a.sync();

			await expectExactlyOnce(office, ids(recorded));
			await expectConverged(office, a);
			const ernasEvents = (await serverEvents(office, [erna.id])).length;
			expect(ernasEvents).toBe(7);
			const held = await b.db.progress.where('learnerId').equals(erna.id).count();
			expect(held, "b has all of Erna's events").toBe(ernasEvents);
			await expectConverged(office, b);
		});

		it('keeps a profile edit made after seeing a value stamped by a clock days ahead', async () => {
			const office = await open(dialect);
			const ahead = await openTablet(office, 'ahead', { skewMs: 3 * DAY_MS });
			const a = await openTablet(office, 'a');
			const erna = await ahead.newLearner('Erna');
			await ahead.sync();
			// A takes Erna on with her card, works with her, and learns her profile from the office.
			await linkLearner(office, a.device.id, erna.id);
			const recorded = await a.record(erna.id, 1);
			await a.sync();
			expect((await mine(a, erna.id)).name).toBe('Erna');

			const renamed = await updateLearner(a.db, a.device, await mine(a, erna.id), {
				name: 'Erna Schmidt'
			});
			const report = await a.sync();
			expect(report).toMatchObject({ accepted: 1, rejected: 0 });
			await a.sync();
			await ahead.sync();
			await expectExactlyOnce(office, ids(recorded));
			await expectConverged(office, ahead);
			// The rename saw "Erna" and replaced it: it is the newer value, on every replica.
			expect((await serverLearner(office, erna.id)).name).toBe('Erna Schmidt');
			expect((await serverLearner(office, erna.id)).stamps.name).toBe(renamed.stamps!.name);
			await expectConverged(office, a);

			expect(await countRows(office, 'conflicts')).toBe(0);
		});

		it(`keeps both of two profile changes to different fields pushed at the same moment${dialect === 'postgres' ? '' : ''}`, async () => {
			const office = await open(dialect);
			const a = await openTablet(office, 'a');
			const b = await openTablet(office, 'b');
			const erna = await a.newLearner('Erna');
			await a.sync();
			await adoptLearner(office, b, await mine(a, erna.id));
			await b.sync();
			await a.sync();

			await updateLearner(a.db, a.device, await mine(a, erna.id), { name: 'Erna M.' });
			await updateLearner(b.db, b.device, await mine(b, erna.id), { lang: 'tr' });
			await bothReadBeforeEitherWrites(office, erna.id, () => Promise.all([a.sync(), b.sync()]));
			await a.sync();
			await b.sync();

			const correct = async () => {
				expect(await serverLearner(office, erna.id)).toMatchObject({ name: 'Erna M.', lang: 'tr' });
				await expectConverged(office, a);
				await expectConverged(office, b);
			};
			await correct();
		});

		it('ends a rename typed with spaces around it the same on tablet and office', async () => {
			const office = await open(dialect);
			const a = await openTablet(office, 'a');
			const erna = await a.newLearner('Erna');
			await a.sync();
			await updateLearner(a.db, a.device, await mine(a, erna.id), { name: ' Erna M. ' });
			await a.sync();
			await a.sync();
			expect((await serverLearner(office, erna.id)).name).toBe('Erna M.');
			expect((await mine(a, erna.id)).name).toBe('Erna M.');
		});
	}
);
