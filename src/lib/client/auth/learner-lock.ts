/**
 * A learner's optional PIN on a shared tablet: set, remove, and check with a growing wait
 * after wrong tries. The attempts are kept in the database, so a reload does not reset them.
 */
import { nextTryAt, type PinAttempts } from '../../domain/auth/pin';
import type { LernlotseDatabase } from '../db/database';
import type { LearnerRecord } from '../db/records';
import { checkPin, makeVerifier } from './pin-check';

const attemptsKey = (learnerId: string) => `pinAttempts:${learnerId}`;

async function attempts(db: LernlotseDatabase, learnerId: string): Promise<PinAttempts> {
	const value = (await db.meta.get(attemptsKey(learnerId)))?.value as PinAttempts | undefined;
	return value ?? { failures: 0, lastFailureAt: null };
}

export async function setLearnerPin(
	db: LernlotseDatabase,
	learnerId: string,
	pin: string | null
): Promise<LearnerRecord | undefined> {
	const verifier = pin ? await makeVerifier(pin) : undefined;
	await db.transaction('rw', db.learners, db.meta, async () => {
		await db.learners.update(learnerId, { pin: verifier });
		await db.meta.delete(attemptsKey(learnerId));
	});
	return db.learners.get(learnerId);
}

export type PinResult = { ok: true } | { ok: false; waitUntil: number };

/** When the next try is allowed (0: now). */
export async function pinWaitUntil(db: LernlotseDatabase, learnerId: string): Promise<number> {
	return nextTryAt(await attempts(db, learnerId));
}

export async function tryLearnerPin(
	db: LernlotseDatabase,
	learner: LearnerRecord,
	pin: string,
	now = Date.now()
): Promise<PinResult> {
	if (!learner.pin) return { ok: true };
	const before = await attempts(db, learner.id);
	if (nextTryAt(before) > now) return { ok: false, waitUntil: nextTryAt(before) };
	if (await checkPin(pin, learner.pin)) {
		await db.meta.delete(attemptsKey(learner.id));
		return { ok: true };
	}
	const after = { failures: before.failures + 1, lastFailureAt: now };
	await db.meta.put({ key: attemptsKey(learner.id), value: after });
	return { ok: false, waitUntil: nextTryAt(after) };
}
