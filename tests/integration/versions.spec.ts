/**
 * A device one mutation schema version behind (an app that has not updated yet) keeps
 * syncing: its changes are upgraded, applied once, and it converges with the office.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { handlePull } from '../../src/lib/server/sync/pull';
import { handlePush } from '../../src/lib/server/sync/push';
import {
	MUTATION_SCHEMA_VERSION,
	OLDEST_MUTATION_SCHEMA_VERSION,
	type PullResponse,
	type PushResponse
} from '../../src/lib/sync/protocol';
import { DIALECTS, freshOffice, type TestOffice } from './support/databases';
import { FakeDevice, newLearnerId } from './support/factories';

const offices: TestOffice[] = [];
afterEach(async () => {
	for (const office of offices.splice(0)) await office.dispose();
});

const behind = <T extends object>(mutation: T) => ({
	...mutation,
	schemaVersion: MUTATION_SCHEMA_VERSION - 1
});

describe.each(DIALECTS)('a device one schema version behind, on %s', (dialect) => {
	it('has its changes upgraded and applied once, and converges', async () => {
		expect(MUTATION_SCHEMA_VERSION - 1).toBeGreaterThanOrEqual(OLDEST_MUTATION_SCHEMA_VERSION);
		const office = await freshOffice(dialect);
		offices.push(office);
		const old = new FakeDevice();
		const learnerId = newLearnerId();
		const mutations = [
			old.learner({ id: learnerId }),
			old.progress(learnerId),
			old.progress(learnerId, { stepId: 'second' }),
			old.progress(learnerId, { type: 'lesson-completed', stepId: null })
		].map(behind);

		const first = await handlePush(office, old.push(mutations));
		expect(first.status).toBe(200);
		expect((first.body as PushResponse).results.map((r) => r.status)).toEqual([
			'accepted',
			'accepted',
			'accepted',
			'accepted'
		]);
		// The reply was lost; the old app sends the same batch again.
		const again = await handlePush(office, old.push(mutations));
		expect((again.body as PushResponse).results.every((r) => r.status === 'duplicate')).toBe(true);

		const pulled = (await handlePull(office, old.pull(null))).body as PullResponse;
		const events = pulled.changes.filter((c) => c.entity === 'progress').map((c) => c.data.id);
		expect(events.sort()).toEqual(
			mutations
				.slice(1)
				.map((m) => m.id)
				.sort()
		);
		const stored = await office.db.selectFrom('progress_events').select('id').execute();
		expect(stored).toHaveLength(3);
	});

	it('sends learner cards, and cannot send a session, which only the current version knows', async () => {
		const office = await freshOffice(dialect);
		offices.push(office);
		const device = new FakeDevice();
		const learnerId = newLearnerId();
		const codeHash = createHash('sha256').update('KMQ4XR9T').digest('hex');
		const card = device.mutation('card', newLearnerId(), device.clock.tick(), {
			learnerId,
			codeHash
		});
		const session = device.session({ locationId: newLearnerId(), by: newLearnerId() });
		const reply = await handlePush(
			office,
			device.push([device.learner({ id: learnerId }), behind(card), behind(session)])
		);
		const results = (reply.body as PushResponse).results;
		expect(results.map((r) => r.status)).toEqual(['accepted', 'accepted', 'rejected']);
		expect(results[2]).toMatchObject({
			reason: expect.stringContaining('session needs schemaVersion 3')
		});
		const cards = await office.db.selectFrom('learner_cards').select('code_hash').execute();
		expect(cards).toEqual([{ code_hash: codeHash }]);
		const sessions = await office.db.selectFrom('training_sessions').select('id').execute();
		expect(sessions).toEqual([]);
	});
});
