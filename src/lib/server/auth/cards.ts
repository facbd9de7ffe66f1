/**
 * Learner cards. A device prints a card and sends only the digest of its code; the newest card
 * of a learner (by clock stamp, so two cards printed offline settle the same way everywhere)
 * is the one that works. Entering the code on another device links the learner to it; on a
 * device no office enrolled (a learner's own tablet at home) it also makes that device a
 * personal one, allowed to sync that learner only.
 */
import type { Kysely } from 'kysely';
import type { OfficeDatabase } from '../db/connection';
import type { Database } from '../db/schema';
import { normalizeCode } from '../../domain/auth/codes';
import type { LearnerSnapshot } from '../../sync/protocol';
import { learnerSnapshot } from '../sync/snapshots';
import { audit } from './audit';
import { authenticateDevice, storeCredential } from './devices';
import { ok, problem, type Outcome } from './outcome';
import { LIMITS, countFailure, lockedUntil } from './rate-limit';
import { digest, newToken } from './tokens';

export async function applyCard(
	tx: Kysely<Database>,
	card: { learnerId: string; codeHash: string; hlc: string; deviceId: string },
	now: string
): Promise<void> {
	await tx
		.insertInto('learner_cards')
		.values({
			code_hash: card.codeHash,
			learner_id: card.learnerId,
			hlc: card.hlc,
			issued_by_device: card.deviceId,
			issued_at: now,
			revoked_at: null
		})
		.onConflict((oc) => oc.column('code_hash').doNothing())
		.execute();
	const newest = await tx
		.selectFrom('learner_cards')
		.select('code_hash')
		.where('learner_id', '=', card.learnerId)
		.orderBy('hlc', 'desc')
		.orderBy('code_hash', 'desc')
		.executeTakeFirstOrThrow();
	await tx
		.updateTable('learner_cards')
		.set({ revoked_at: now })
		.where('learner_id', '=', card.learnerId)
		.where('code_hash', '!=', newest.code_hash)
		.where('revoked_at', 'is', null)
		.execute();
}

export interface Redeemed {
	learner: LearnerSnapshot;
	/** Set when this device was unknown: from now on it syncs this learner with it. */
	credential: string | null;
}

export async function redeemCard(
	office: OfficeDatabase,
	input: { code: string; deviceId: string; credential: string | null; address: string },
	now = new Date()
): Promise<Outcome<Redeemed>> {
	const keys = [`code:address:${input.address}`, `code:device:${input.deviceId}`];
	for (const key of keys) {
		if (await lockedUntil(office, key, now)) return problem('device:card.locked', 'code');
	}
	const failed = async (reason: string) => {
		for (const key of keys) await countFailure(office, key, LIMITS.code, now);
		await audit(office.db, {
			action: 'card.redeem',
			outcome: 'denied',
			deviceId: input.deviceId,
			details: { reason }
		});
		return problem(`device:card.${reason}`, 'code');
	};
	const code = normalizeCode(input.code);
	if (!code) return failed('malformed');
	const card = await office.db
		.selectFrom('learner_cards')
		.select(['learner_id', 'revoked_at'])
		.where('code_hash', '=', digest(code))
		.executeTakeFirst();
	if (!card) return failed('unknown');
	if (card.revoked_at) return failed('replaced');

	const known = await office.db
		.selectFrom('devices')
		.select(['credential_hash'])
		.where('id', '=', input.deviceId)
		.executeTakeFirst();
	let credential: string | null = null;
	if (known?.credential_hash) {
		const check = await authenticateDevice(office, input.deviceId, input.credential);
		if (!check.ok) return failed(check.error === 'device-revoked' ? 'deviceRevoked' : 'device');
	} else {
		credential = newToken();
	}
	const learner = await office.db.transaction().execute(async (tx) => {
		if (credential) {
			await storeCredential(tx, input.deviceId, credential, now, {
				kind: 'personal',
				location_id: null,
				enrolled_by: null
			});
		}
		await tx
			.insertInto('device_learners')
			.values({ device_id: input.deviceId, learner_id: card.learner_id })
			.onConflict((oc) => oc.columns(['device_id', 'learner_id']).doNothing())
			.execute();
		await audit(tx, {
			action: 'card.redeem',
			deviceId: input.deviceId,
			target: card.learner_id,
			details: { newDevice: credential !== null }
		});
		return tx
			.selectFrom('learners')
			.selectAll()
			.where('id', '=', card.learner_id)
			.executeTakeFirstOrThrow();
	});
	return ok({ learner: learnerSnapshot(learner), credential });
}
