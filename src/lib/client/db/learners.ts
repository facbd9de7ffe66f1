/** Learner profiles on this device: a name and a picture, no password. */
import { v7 as uuidv7 } from 'uuid';
import { LEARNER_FIELDS } from '../../sync/limits';
import type { LearnerField, LearnerPayload } from '../../sync/protocol';
import type { LernlotseDatabase } from './database';
import type { Device } from './device';
import { LAST_STAMP } from './device';
import type { LearnerRecord } from './records';

export const NAME_MAX_LENGTH = 40;

export type LearnerNameError = 'required' | 'too-long';

export function checkLearnerName(name: string): LearnerNameError | null {
	const trimmed = name.trim();
	if (trimmed === '') return 'required';
	if (trimmed.length > NAME_MAX_LENGTH) return 'too-long';
	return null;
}

/** The learners who learn on this device (not those it knows only as its place's). */
export async function listLearners(db: LernlotseDatabase): Promise<LearnerRecord[]> {
	const all = await db.learners.filter((l) => !l.placeOnly).toArray();
	return all.sort((a, b) => a.name.localeCompare(b.name));
}

export function getLearner(db: LernlotseDatabase, id: string): Promise<LearnerRecord | undefined> {
	return db.learners.get(id);
}

type Field = LearnerField;
const FIELDS = LEARNER_FIELDS;

/** Saves the profile and queues the changed fields, with the stamps they replace, for the office. */
async function saveLearner(
	db: LernlotseDatabase,
	device: Device,
	learner: LearnerRecord,
	previous?: LearnerRecord
) {
	const hlc = device.clock.tick();
	const changed = FIELDS.filter(
		(f) => learner[f] !== undefined && (!previous || previous[f] !== learner[f])
	);
	if (changed.length === 0) return learner;
	const stamps = { ...previous?.stamps };
	const base: Partial<Record<Field, string>> = {};
	for (const f of changed) {
		if (previous?.stamps?.[f]) base[f] = previous.stamps[f];
		stamps[f] = hlc;
	}
	const saved = { ...learner, stamps };
	const payload: LearnerPayload = {
		id: learner.id,
		fields: Object.fromEntries(changed.map((f) => [f, learner[f]])),
		base,
		createdAt: learner.createdAt
	};
	await db.transaction('rw', [db.learners, db.outbox, db.meta], async () => {
		await db.learners.put(saved);
		await db.outbox.add({
			mutationId: uuidv7(),
			kind: 'learner',
			payload,
			hlc,
			createdAt: new Date().toISOString()
		});
		await db.meta.put({ key: LAST_STAMP, value: hlc });
	});
	return saved;
}

export async function createLearner(
	db: LernlotseDatabase,
	device: Device,
	input: { name: string; avatar: string; lang: string }
): Promise<LearnerRecord> {
	const now = new Date().toISOString();
	const learner: LearnerRecord = {
		id: uuidv7(),
		name: input.name.trim(),
		avatar: input.avatar,
		lang: input.lang,
		createdAt: now,
		updatedAt: now,
		historyOn: device.id
	};
	return saveLearner(db, device, learner);
}

export async function updateLearner(
	db: LernlotseDatabase,
	device: Device,
	learner: LearnerRecord,
	changes: Partial<Pick<LearnerRecord, LearnerField>>
): Promise<LearnerRecord> {
	const name = changes.name === undefined ? {} : { name: changes.name.trim() };
	const updated = { ...learner, ...changes, ...name, updatedAt: new Date().toISOString() };
	return saveLearner(db, device, updated, learner);
}
