import fc from 'fast-check';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { handlePull } from '../../src/lib/server/sync/pull';
import { handlePush, progressEventRow } from '../../src/lib/server/sync/push';
import type {
	Change,
	ProgressPayload,
	PullResponse,
	PushResponse
} from '../../src/lib/sync/protocol';
import { DIALECTS, freshOffice, type TestOffice } from './support/databases';
import { linkLearner } from './support/devices';
import { FakeDevice, newLearnerId } from './support/factories';

const offices: TestOffice[] = [];
afterEach(async () => {
	for (const office of offices.splice(0)) await office.dispose();
});

async function open(dialect: (typeof DIALECTS)[number]): Promise<TestOffice> {
	const office = await freshOffice(dialect);
	offices.push(office);
	return office;
}

async function push(office: TestOffice, body: unknown): Promise<PushResponse> {
	const reply = await handlePush(office, body);
	expect(reply.status).toBe(200);
	return reply.body as PushResponse;
}

/** Pulls every page from `cursor` on; returns the changes and the final cursor. */
async function pullAll(
	office: TestOffice,
	device: FakeDevice,
	cursor: string | null = null,
	limit?: number
) {
	const changes: Change[] = [];
	for (let page = 0; page < 1000; page++) {
		const reply = await handlePull(office, device.pull(cursor, limit));
		expect(reply.status).toBe(200);
		const body = reply.body as PullResponse;
		changes.push(...body.changes);
		cursor = body.cursor;
		if (!body.more) break;
	}
	return { changes, cursor };
}

async function count(
	office: TestOffice,
	table: 'progress_events' | 'mutations' | 'learners' | 'conflicts'
) {
	const row = await office.db
		.selectFrom(table)
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

describe.each(DIALECTS)('sync on %s', (dialect) => {
	it('accepts a batch once, reports a replay as duplicates, and serves it to the device', async () => {
		const office = await open(dialect);
		const tablet = new FakeDevice();
		const learner = newLearnerId();
		const batch = [
			tablet.learner({ id: learner }),
			tablet.progress(learner),
			tablet.progress(learner)
		];

		const first = await push(office, tablet.push(batch));
		expect(first.results.map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted']);
		expect(first.lastSeq).toBe(3);

		// The reply was lost after the commit; the tablet sends the same batch again.
		const again = await push(office, tablet.push(batch));
		expect(again.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate', 'duplicate']);
		expect(await count(office, 'progress_events')).toBe(2);
		// Profile changes are claimed in `mutations`; a progress event is its own key.
		expect(await count(office, 'mutations')).toBe(1);

		const { changes } = await pullAll(office, tablet);
		expect(changes.filter((c) => c.entity === 'progress')).toHaveLength(2);
		expect(changes.find((c) => c.entity === 'learner')?.data).toMatchObject({
			id: learner,
			name: 'Erna'
		});

		const stranger = new FakeDevice();
		expect((await pullAll(office, stranger)).changes).toEqual([]);
	});

	it('rejects one invalid mutation in the middle of a batch without blocking the rest', async () => {
		const office = await open(dialect);
		const tablet = new FakeDevice();
		const learner = newLearnerId();
		const bad = tablet.progress(learner, { courseId: 'Not An Id!' });
		const batch = [tablet.learner({ id: learner }), bad, tablet.progress(learner)];
		const reply = await push(office, tablet.push(batch));
		expect(reply.results.map((r) => r.status)).toEqual(['accepted', 'rejected', 'accepted']);
		expect(reply.results[1]).toMatchObject({
			id: bad.id,
			reason: expect.stringContaining('courseId')
		});
		expect(await count(office, 'progress_events')).toBe(1);
		// The rejected one was not recorded, so a corrected resend is not mistaken for a duplicate.
		expect(await count(office, 'mutations')).toBe(1);
		const corrected = {
			...bad,
			payload: { ...(bad.payload as object), courseId: 'tablet-basics' }
		};
		const resend = await push(office, tablet.push([corrected]));
		expect(resend.results).toEqual([{ id: bad.id, status: 'accepted' }]);
	});

	it('applies each mutation exactly once when two tabs push the same outbox at once', async () => {
		const office = await open(dialect);
		const tablet = new FakeDevice();
		const learner = newLearnerId();
		const batch = [
			tablet.learner({ id: learner }),
			...Array.from({ length: 20 }, () => tablet.progress(learner))
		];
		const [a, b] = await Promise.all([
			push(office, tablet.push(batch)),
			push(office, tablet.push(batch))
		]);
		for (let i = 0; i < batch.length; i++) {
			const statuses = [a.results[i]!.status, b.results[i]!.status].sort();
			expect(statuses).toEqual(['accepted', 'duplicate']);
		}
		expect(await count(office, 'progress_events')).toBe(20);
	});

	it('pages a long pull; a page lost in transit is simply asked for again', async () => {
		const office = await open(dialect);
		const tablet = new FakeDevice();
		const learner = newLearnerId();
		const events = Array.from({ length: 250 }, () => tablet.progress(learner));
		await push(office, tablet.push([tablet.learner({ id: learner })]));
		// Five pushes of 50: the log names each push's events once, and a page ends between pushes.
		for (let i = 0; i < 250; i += 50) await push(office, tablet.push(events.slice(i, i + 50)));

		const first = (await handlePull(office, tablet.pull(null, 100))).body as PullResponse;
		expect(first.changes).toHaveLength(1 + 50 + 50);
		expect(first.more).toBe(true);
		// The connection drops before the tablet stores page two: it asks again from page one's cursor.
		await handlePull(office, tablet.pull(first.cursor, 100));
		const rest = await pullAll(office, tablet, first.cursor, 100);
		const ids = [...first.changes, ...rest.changes]
			.filter((c) => c.entity === 'progress')
			.map((c) => c.data.id);
		expect(new Set(ids).size).toBe(250);
		expect(ids).toHaveLength(250);
		expect((await pullAll(office, tablet, rest.cursor)).changes).toEqual([]);
	});

	it('still serves progress logged one event per row, as before batches', async () => {
		const office = await open(dialect);
		const tablet = new FakeDevice();
		const learner = newLearnerId();
		await push(office, tablet.push([tablet.learner({ id: learner })]));
		// A row as an office of the earlier release wrote it.
		const old = tablet.progress(learner).payload as ProgressPayload;
		await office.db
			.insertInto('progress_events')
			.values(progressEventRow(old, new Date().toISOString()))
			.execute();
		await office.db
			.insertInto('change_log')
			.values({ entity: 'progress', entity_id: old.id, learner_id: learner, created_at: '' })
			.execute();
		await push(office, tablet.push([tablet.progress(learner), tablet.progress(learner)]));
		const { changes } = await pullAll(office, tablet);
		expect(changes.filter((c) => c.entity === 'progress')).toHaveLength(3);
		expect(changes.some((c) => c.entity === 'progress' && c.data.id === old.id)).toBe(true);
	});

	it('merges two offline edits of one profile field by clock, keeps both, and flags the conflict', async () => {
		const office = await open(dialect);
		let now = Date.UTC(2026, 10, 3, 10);
		const first = new FakeDevice(() => now);
		const second = new FakeDevice(() => now);
		const learner = newLearnerId();
		await push(office, first.push([first.learner({ id: learner })]));
		await linkLearner(office, second.id, learner); // the learner's card, entered on the second
		const seen =
			((await pullAll(office, second)).changes,
			await office.db.selectFrom('learners').selectAll().executeTakeFirstOrThrow());

		now += 60_000;
		const renameA = first.learner({
			id: learner,
			fields: { name: 'Erna M.' },
			base: { name: seen.name_hlc }
		});
		now += 60_000;
		const renameB = second.learner({
			id: learner,
			fields: { name: 'Ernestine' },
			base: { name: seen.name_hlc }
		});
		// The later edit arrives first; the result must not depend on the order.
		await push(office, second.push([renameB]));
		await push(office, first.push([renameA]));

		const row = await office.db.selectFrom('learners').selectAll().executeTakeFirstOrThrow();
		expect(row.name).toBe('Ernestine');
		expect(await count(office, 'conflicts')).toBe(1);
		const versions = await office.db.selectFrom('learner_versions').select('fields').execute();
		expect(versions.map((v) => JSON.parse(v.fields).name)).toEqual(
			expect.arrayContaining(['Erna M.', 'Ernestine'])
		);
	});

	it('notes a gap in a device sequence', async () => {
		const office = await open(dialect);
		const tablet = new FakeDevice();
		const learner = newLearnerId();
		const [one, lost, three] = [
			tablet.learner({ id: learner }),
			tablet.progress(learner),
			tablet.progress(learner)
		];
		void lost;
		await push(office, tablet.push([one, three]));
		const device = await office.db.selectFrom('devices').selectAll().executeTakeFirstOrThrow();
		expect(JSON.parse(device.gaps)).toEqual([2]);
		expect(device.last_seq).toBe(3);
	});

	it('tells a device whose app is too old or too new that an update is needed', async () => {
		const office = await open(dialect);
		const tablet = new FakeDevice();
		const old = await handlePush(office, { ...tablet.push([]), protocol: 0 });
		expect(old).toMatchObject({ status: 426, body: { error: 'update-required' } });
		const newer = await handlePush(
			office,
			tablet.push([{ ...tablet.progress(newLearnerId()), schemaVersion: 99 }])
		);
		expect(newer).toMatchObject({ status: 426, body: { error: 'update-required' } });
		expect(await count(office, 'mutations')).toBe(0);
	});

	it('answers malformed and hostile payloads with a 4xx and a reason, and writes nothing partial', async () => {
		const office = await open(dialect);
		const tablet = new FakeDevice();
		const learner = newLearnerId();
		await push(office, tablet.push([tablet.learner({ id: learner })]));
		const hostile = fc.oneof(
			fc.anything(),
			fc.record({
				protocol: fc.constant(1),
				deviceId: fc.string(),
				mutations: fc.array(fc.anything(), { maxLength: 3 })
			}),
			fc.record({
				protocol: fc.constant(1),
				deviceId: fc.constant(tablet.id),
				mutations: fc.array(
					fc.record({
						id: fc.uuid(),
						deviceId: fc.constant(tablet.id),
						seq: fc.oneof(fc.integer(), fc.constant(-1)),
						hlc: fc.string(),
						schemaVersion: fc.constant(1),
						kind: fc.constantFrom('progress', 'learner', 'drop table'),
						payload: fc.anything()
					}),
					{ maxLength: 3 }
				)
			})
		);
		await fc.assert(
			fc.asyncProperty(hostile, async (body) => {
				const before = await count(office, 'progress_events');
				const push = await handlePush(office, body);
				const pull = await handlePull(office, body);
				for (const reply of [push, pull]) {
					expect(reply.status).toBeLessThan(500);
					if (reply.status >= 400)
						expect(reply.body).toMatchObject({ message: expect.any(String) });
				}
				if (push.status === 200) {
					for (const fate of (push.body as PushResponse).results)
						expect(fate.status).toBe('rejected');
				}
				expect(await count(office, 'progress_events')).toBe(before);
			}),
			{ numRuns: dialect === 'postgres' ? 40 : 80 }
		);
	});
});

describe('sync on postgres with transactions committing out of order', () => {
	it('never lets a pull cursor pass a change that commits late', async () => {
		const office = await open('postgres');
		const tablet = new FakeDevice();
		const learner = newLearnerId();
		await push(office, tablet.push([tablet.learner({ id: learner })]));
		const start = await pullAll(office, tablet);

		// A slow transaction takes its sequence number first and commits last.
		const slow = new pg.Client({ connectionString: office.url });
		await slow.connect();
		await slow.query('begin');
		await slow.query(
			`insert into change_log (entity, entity_id, learner_id, created_at) values ('learner', $1, $1, now()::text)`,
			[learner]
		);
		const fast = tablet.progress(learner);
		await push(office, tablet.push([fast]));

		const during = await pullAll(office, tablet, start.cursor);
		expect(during.changes).toEqual([]); // the fast change waits behind the slow one
		await slow.query('commit');
		await slow.end();

		const after = await pullAll(office, tablet, during.cursor);
		expect(after.changes.map((c) => c.entity)).toEqual(['learner', 'progress']);
	});
});
