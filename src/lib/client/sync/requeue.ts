/**
 * After the office restored an older backup, it may lack changes this device already had
 * acknowledged. The device holds them all still, so it queues them again: the office
 * accepts what it lost and reports the rest as duplicates.
 */
import { v7 as uuidv7 } from 'uuid';
import type { LearnerPayload } from '../../sync/protocol';
import type { LernlotseDatabase } from '../db/database';
import type { Device } from '../db/device';

export async function requeueEverything(db: LernlotseDatabase, device: Device): Promise<number> {
	return db.transaction('rw', [db.outbox, db.progress, db.learners], async () => {
		const queued = new Set((await db.outbox.toArray()).map((r) => r.mutationId));
		const createdAt = new Date().toISOString();
		let added = 0;
		for (const learner of await db.learners.toArray()) {
			const stamps = Object.values(learner.stamps ?? {}).sort();
			const payload: LearnerPayload = {
				id: learner.id,
				fields: { name: learner.name, avatar: learner.avatar, lang: learner.lang },
				base: {},
				createdAt: learner.createdAt
			};
			const hlc = stamps.at(-1) ?? device.clock.tick();
			await db.outbox.add({ mutationId: uuidv7(), kind: 'learner', payload, hlc, createdAt });
			added++;
		}
		for (const event of await db.progress.toArray()) {
			if (queued.has(event.id)) continue;
			await db.outbox.add({
				mutationId: event.id,
				kind: 'progress',
				payload: event,
				hlc: event.hlc,
				createdAt
			});
			added++;
		}
		return added;
	});
}
