/**
 * Erasing a learner's personal data, on request or when the retention period has passed. What
 * names or describes the person goes: name, picture, consented attributes, cards, staff notes,
 * the profile's history and its conflicts. What stays is anonymous activity under a random id
 * (attendance marks, progress events), so the city's aggregate figures do not change. Every
 * device that holds the learner is told at its next sync and deletes them too.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema';
import { audit } from '../auth/audit';
import { monthsBefore } from '../../domain/privacy/retention';

type Db = Kysely<Database> | Transaction<Database>;

export const ERASED_NAME = '';
export const ERASED_AVATAR = 'erased';

export async function eraseLearner(
	db: Kysely<Database>,
	learnerId: string,
	actor: { staffId: string | null; reason: 'request' | 'retention' },
	now = new Date()
): Promise<boolean> {
	const at = now.toISOString();
	const erased = await db.transaction().execute(async (tx) => {
		const row = await tx
			.selectFrom('learners')
			.select(['id', 'erased_at'])
			.where('id', '=', learnerId)
			.executeTakeFirst();
		if (!row || row.erased_at) return false;
		await eraseRows(tx, learnerId, at);
		return true;
	});
	if (erased) {
		await audit(
			db,
			{
				action: actor.reason === 'request' ? 'learner.erase' : 'learner.retention-erase',
				staffId: actor.staffId,
				target: learnerId
			},
			now
		);
	}
	return erased;
}

async function eraseRows(tx: Db, learnerId: string, at: string): Promise<void> {
	await tx
		.updateTable('learners')
		.set({
			name: ERASED_NAME,
			avatar: ERASED_AVATAR,
			consent: '',
			age_group: '',
			target_group: '',
			erased_at: at,
			updated_at: at
		})
		.where('id', '=', learnerId)
		.execute();
	await tx.deleteFrom('learner_cards').where('learner_id', '=', learnerId).execute();
	await tx.deleteFrom('learner_versions').where('learner_id', '=', learnerId).execute();
	await tx
		.deleteFrom('conflicts')
		.where((eb) =>
			eb.or([
				eb.and([eb('entity', '=', 'learner'), eb('entity_id', '=', learnerId)]),
				// Attendance disagreements can carry a note's text.
				eb.and([eb('entity', '=', 'attendance'), eb('entity_id', 'like', `%/${learnerId}`)])
			])
		)
		.execute();
	await tx
		.updateTable('attendance')
		.set({ note: '' })
		.where('learner_id', '=', learnerId)
		.execute();
	// The edits of their attendance may hold notes: the marks themselves stay in `attendance`.
	await tx
		.deleteFrom('session_history')
		.where('entity', '=', 'attendance')
		.where('entity_id', 'like', `%/${learnerId}`)
		.execute();
	// Devices that hold the learner pull this and delete everything of theirs.
	await tx
		.insertInto('change_log')
		.values({
			entity: 'learner-erased',
			entity_id: learnerId,
			learner_id: learnerId,
			created_at: at
		})
		.execute();
}

/**
 * Learners with no activity (profile change, attendance, progress) for `months` months. The
 * newest of their stamps decides; the check runs on every instance, and erasing twice is a
 * no-op, so several instances may run it at once.
 */
export async function learnersPastRetention(
	db: Kysely<Database>,
	months: number,
	now = new Date()
): Promise<string[]> {
	const cutoff = monthsBefore(now, months);
	const iso = cutoff.toISOString();
	const date = iso.slice(0, 10);
	const stamp = String(cutoff.getTime()).padStart(15, '0');
	const rows = await db
		.selectFrom('learners as l')
		.select('l.id')
		.where('l.erased_at', 'is', null)
		.where('l.updated_at', '<', iso)
		.where('l.created_at', '<', iso)
		.where(({ not, exists, selectFrom }) =>
			not(
				exists(
					selectFrom('progress_events as pe')
						.select('pe.id')
						.whereRef('pe.learner_id', '=', 'l.id')
						.where('pe.hlc', '>=', stamp)
				)
			)
		)
		.where(({ not, exists, selectFrom }) =>
			not(
				exists(
					selectFrom('attendance as a')
						.innerJoin('training_sessions as s', 's.id', 'a.session_id')
						.select('a.learner_id')
						.whereRef('a.learner_id', '=', 'l.id')
						.where('s.date', '>=', date)
				)
			)
		)
		.execute();
	return rows.map((r) => r.id);
}

export const RETENTION_KEY = 'retentionMonths';
export const DEFAULT_RETENTION_MONTHS = 24;

export async function retentionMonths(db: Kysely<Database>): Promise<number> {
	const row = await db
		.selectFrom('server_meta')
		.select('value')
		.where('key', '=', RETENTION_KEY)
		.executeTakeFirst();
	const months = Number(row?.value);
	return Number.isInteger(months) && months >= 0 ? months : DEFAULT_RETENTION_MONTHS;
}

export async function setRetentionMonths(
	db: Kysely<Database>,
	months: number,
	staffId: string
): Promise<void> {
	await db
		.insertInto('server_meta')
		.values({ key: RETENTION_KEY, value: String(months) })
		.onConflict((oc) => oc.column('key').doUpdateSet({ value: String(months) }))
		.execute();
	await audit(db, { action: 'retention.set', staffId, details: { months } });
}

/** Erases everyone past the retention period (0 months: keep until erased by hand). */
export async function applyRetention(db: Kysely<Database>, now = new Date()): Promise<number> {
	const months = await retentionMonths(db);
	if (months === 0) return 0;
	let erased = 0;
	for (const id of await learnersPastRetention(db, months, now)) {
		if (await eraseLearner(db, id, { staffId: null, reason: 'retention' }, now)) erased++;
	}
	return erased;
}
