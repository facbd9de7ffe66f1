/**
 * Learner cards on the device: print one (a new code; the office learns only its digest, on
 * the next sync) and bring a learner here with a card's code (online).
 */
import { v7 as uuidv7 } from 'uuid';
import { formatCode, generateCode, normalizeCode } from '../../domain/auth/codes';
import type { RedeemResponse } from '../../sync/accounts';
import type { LernlotseDatabase } from '../db/database';
import { LAST_STAMP, type Device } from '../db/device';
import { getEnrolment, saveEnrolment, usableCredential } from '../db/enrolment';
import type { LearnerRecord } from '../db/records';
import { callOffice } from './office-call';
import { sha256Hex } from './pin-check';

/** A new card for the learner; an older card stops working once the office has this one. */
export async function issueCard(
	db: LernlotseDatabase,
	device: Device,
	learnerId: string
): Promise<LearnerRecord> {
	const code = generateCode((bytes) => crypto.getRandomValues(bytes));
	const codeHash = await sha256Hex(code);
	const hlc = device.clock.tick();
	const card = { code: formatCode(code), issuedAt: new Date().toISOString() };
	await db.transaction('rw', [db.learners, db.outbox, db.meta], async () => {
		await db.learners.update(learnerId, { card });
		await db.outbox.add({
			mutationId: uuidv7(),
			kind: 'card',
			payload: { learnerId, codeHash },
			hlc,
			createdAt: card.issuedAt
		});
		await db.meta.put({ key: LAST_STAMP, value: hlc });
	});
	return (await db.learners.get(learnerId))!;
}

export type RedeemResult = { ok: true; learner: LearnerRecord } | { ok: false; problem: string };

/** Brings a learner to this device with their card. Needs the network. */
export async function redeemCard(
	db: LernlotseDatabase,
	device: Device,
	typed: string,
	fetcher: typeof fetch = fetch
): Promise<RedeemResult> {
	const code = normalizeCode(typed);
	if (!code) return { ok: false, problem: 'device:card.malformed' };
	const answer = await callOffice<RedeemResponse>(
		'/api/cards/redeem',
		{ code, deviceId: device.id },
		{ prefix: 'device:card', credential: await usableCredential(db), fetcher }
	);
	if (!answer.ok) return answer;
	const body = answer.body;
	const snapshot = body.learner;
	const now = new Date().toISOString();
	await db.transaction('rw', db.learners, db.meta, async () => {
		if (body.credential && !(await getEnrolment(db))) {
			await saveEnrolment(db, {
				credential: body.credential,
				kind: 'personal',
				location: null,
				enrolledAt: now
			});
		}
		const existing = await db.learners.get(snapshot.id);
		await db.learners.put({
			...existing,
			id: snapshot.id,
			name: snapshot.name,
			avatar: snapshot.avatar,
			lang: snapshot.lang,
			createdAt: snapshot.createdAt,
			updatedAt: now,
			stamps: snapshot.stamps,
			card: { code: formatCode(code), issuedAt: existing?.card?.issuedAt ?? now },
			// Brought here with the card: the learner now learns here, not only at the place.
			placeOnly: false
			// no historyOn: the next sync asks the office for this learner's earlier progress
		});
	});
	return { ok: true, learner: (await db.learners.get(snapshot.id))! };
}

export type CardHolder =
	| { kind: 'found'; learner: LearnerRecord }
	| { kind: 'replaced'; learner: LearnerRecord }
	| { kind: 'unknown' }
	| { kind: 'not-a-card' };

/** The code in what a camera read (the card's link) or a volunteer typed. */
export function codeFromScan(scanned: string): string | null {
	try {
		const url = new URL(scanned);
		const code = url.searchParams.get('code');
		return url.pathname === '/card' && code ? normalizeCode(code) : null;
	} catch {
		return normalizeCode(scanned);
	}
}

/**
 * Whose card this is, offline: the cards printed on this tablet, and the digests the office
 * sent of the place's learners' cards. A card replaced by a newer one is recognised as such,
 * so the volunteer can say why it no longer works.
 */
export async function identifyCard(db: LernlotseDatabase, scanned: string): Promise<CardHolder> {
	const code = codeFromScan(scanned);
	if (!code) return { kind: 'not-a-card' };
	const digest = await sha256Hex(code);
	const learners = await db.learners.toArray();
	const replaced = learners.find((l) => l.cardDigests?.replaced.includes(digest));
	if (replaced) return { kind: 'replaced', learner: replaced };
	const holder = learners.find(
		(l) => l.cardDigests?.current === digest || (l.card && normalizeCode(l.card.code) === code)
	);
	return holder ? { kind: 'found', learner: holder } : { kind: 'unknown' };
}
