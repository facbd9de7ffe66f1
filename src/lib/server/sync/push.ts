/**
 * Applies a device's batch of changes in one transaction. A mutation already applied (the
 * reply to an earlier push was lost, or two tabs sent it) is acknowledged as a duplicate and
 * never applied twice; an invalid one is rejected with a reason and does not block the rest.
 */
import type { Insertable, Transaction } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import * as v from 'valibot';
import { mergeFields, type Stamped } from '../../domain/merge/fields';
import { stampedOf } from '../../domain/merge/stamped';
import {
	CardPayload,
	PROFILE_FIELDS,
	LearnerPayload,
	MUTATION_SCHEMA_VERSION,
	Mutation,
	OLDEST_MUTATION_SCHEMA_VERSION,
	PROTOCOL_VERSION,
	ProgressPayload,
	PushRequest,
	describeIssues,
	type LearnerField,
	type MutationFate,
	type PushResponse
} from '../../sync/protocol';
import type { OfficeDatabase } from '../db/connection';
import type { Database, ProgressEventsTable } from '../db/schema';
import { takeTurnWithCells } from '../reports/cells';
import { recordLessonCompletions } from '../reports/facts';
import { applyCard } from '../auth/cards';
import { noteSequence, touchDevice } from './devices';
import { AttendancePayload, SessionPayload } from '../../sync/sessions';
import { applyAttendance, applySession, type PushingDevice, type SessionFate } from './sessions';
import { refuse, type Reply } from './reply';
import { upgradeMutation } from './upgrade';

type Tx = Transaction<Database>;

/** Rows per multi-row insert: well under both engines' limits on bound parameters. */
const PROGRESS_CHUNK = 200;

export function versionProblem(protocol: number): Reply<never> | null {
	if (protocol < PROTOCOL_VERSION) {
		return refuse(
			426,
			'update-required',
			'This app is older than the office server. Please update the app.'
		);
	}
	if (protocol > PROTOCOL_VERSION) {
		return refuse(
			426,
			'update-required',
			'The office server is older than this app. The server needs an update.'
		);
	}
	return null;
}

export async function handlePush(
	office: OfficeDatabase,
	input: unknown,
	now = new Date()
): Promise<Reply<PushResponse>> {
	const parsed = v.safeParse(PushRequest, input);
	if (!parsed.success) return refuse(400, 'invalid-request', describeIssues(parsed.issues));
	const request = parsed.output;
	const tooOld = versionProblem(request.protocol);
	if (tooOld) return tooOld;
	for (const raw of request.mutations) {
		const version = (raw as { schemaVersion?: unknown })?.schemaVersion;
		if (typeof version === 'number' && version > MUTATION_SCHEMA_VERSION) {
			return refuse(
				426,
				'update-required',
				'The office server is older than this app. The server needs an update.'
			);
		}
	}

	const stamp = now.toISOString();
	return office.db.transaction().execute(async (tx) => {
		const device = await touchDevice(tx, request.deviceId, stamp);
		const checked = await keepToScope(
			tx,
			request.deviceId,
			device.kind === 'location' ? device.location_id : null,
			request.mutations.map((raw) => checkMutation(request.deviceId, raw))
		);
		if (office.dialect === 'postgres' && checked.some(touchesReportFacts)) {
			await takeTurnWithCells(tx);
		}
		const fates = new Map<number, Fate>();
		// Profiles and cards one by one, in order (each is a merge); progress events in one batch.
		for (const [i, item] of checked.entries()) {
			if ('result' in item) fates.set(i, item);
			else if (item.kind === 'learner') {
				const home = device.kind === 'location' ? device.location_id : null;
				fates.set(
					i,
					await applyLearnerMutation(tx, office.dialect, request.deviceId, home, item, stamp)
				);
			} else if (item.kind === 'card') {
				fates.set(i, await applyCardMutation(tx, request.deviceId, item, stamp));
			} else if (item.kind === 'session' || item.kind === 'attendance') {
				fates.set(
					i,
					await applyPlaceMutation(
						tx,
						office.dialect,
						{ ...device, id: request.deviceId },
						item,
						stamp
					)
				);
			}
		}
		const progress = [...checked.entries()].filter(
			(entry): entry is [number, CheckedProgress] =>
				!('result' in entry[1]) && entry[1].kind === 'progress'
		);
		const claimed = await applyProgressBatch(
			tx,
			office.dialect,
			request.deviceId,
			progress.map(([, item]) => item),
			stamp
		);
		for (const [i, item] of progress) {
			const status = claimed.has(item.mutation.id) ? 'accepted' : 'duplicate';
			claimed.delete(item.mutation.id); // the same id twice in one batch: the second is a duplicate
			fates.set(i, { result: { id: item.mutation.id, status }, seq: item.mutation.seq });
		}
		const results = checked.map((_, i) => fates.get(i)!.result);
		const applied = [...fates.values()]
			.filter((f) => f.seq !== null && f.result.status !== 'rejected')
			.map((f) => f.seq!);
		const sequence = noteSequence(device.last_seq, JSON.parse(device.gaps) as number[], applied);
		await tx
			.updateTable('devices')
			.set({
				last_seq: sequence.lastSeq,
				gaps: JSON.stringify(sequence.gaps),
				outbox_size: request.outbox?.size ?? null,
				outbox_oldest_age_s: request.outbox?.oldestAgeSeconds ?? null
			})
			.where('id', '=', request.deviceId)
			.execute();
		return {
			status: 200,
			body: { protocol: PROTOCOL_VERSION, results, lastSeq: sequence.lastSeq }
		};
	});
}

interface Fate {
	result: MutationFate;
	seq: number | null;
}

function rejected(id: string, reason: string): Fate {
	return { result: { id, status: 'rejected', reason }, seq: null };
}

/** Sessions, marks and completed lessons change the report facts and their cells. */
function touchesReportFacts(item: Checked): boolean {
	if ('result' in item) return false;
	if (item.kind === 'session' || item.kind === 'attendance') return true;
	return item.kind === 'progress' && item.payload.type === 'lesson-completed';
}

interface CheckedProgress {
	kind: 'progress';
	mutation: Mutation;
	payload: ProgressPayload;
}
interface CheckedLearner {
	kind: 'learner';
	mutation: Mutation;
	payload: LearnerPayload;
}
interface CheckedCard {
	kind: 'card';
	mutation: Mutation;
	payload: CardPayload;
}
interface CheckedSession {
	kind: 'session';
	mutation: Mutation;
	payload: SessionPayload;
}
interface CheckedAttendance {
	kind: 'attendance';
	mutation: Mutation;
	payload: AttendancePayload;
}
type LearnerScoped = CheckedProgress | CheckedLearner | CheckedCard;
type Checked = Fate | LearnerScoped | CheckedSession | CheckedAttendance;

function learnerOf(item: LearnerScoped): string {
	return item.kind === 'learner' ? item.payload.id : item.payload.learnerId;
}

function isLearnerScoped(item: Checked): item is LearnerScoped {
	return !('result' in item) && item.kind !== 'session' && item.kind !== 'attendance';
}

/** Sessions and attendance: their own checks of place and volunteer (see ./sessions.ts). */
async function applyPlaceMutation(
	tx: Tx,
	dialect: OfficeDatabase['dialect'],
	device: PushingDevice,
	item: CheckedSession | CheckedAttendance,
	now: string
): Promise<Fate> {
	const claimIt = (mutation: Mutation) => claim(tx, device.id, mutation, now);
	const fate: SessionFate =
		item.kind === 'session'
			? await applySession(tx, dialect, device, item.mutation, item.payload, claimIt, now)
			: await applyAttendance(tx, dialect, device, item.mutation, item.payload, claimIt, now);
	if (typeof fate === 'object') return rejected(item.mutation.id, fate.rejected);
	return { result: { id: item.mutation.id, status: fate }, seq: item.mutation.seq };
}

/**
 * A device may write for the learners it works with, and may bring new ones. A learner the
 * office knows from other devices only (never linked to this one, e.g. by a learner card) is
 * out of its reach: such a change is rejected and stays visible on the device.
 */
async function keepToScope(
	tx: Tx,
	deviceId: string,
	locationId: string | null,
	checked: Checked[]
): Promise<Checked[]> {
	const ids = [
		...new Set(checked.flatMap((item) => (isLearnerScoped(item) ? [learnerOf(item)] : [])))
	];
	if (ids.length === 0) return checked;
	const links = await tx
		.selectFrom('device_learners')
		.select(['learner_id', 'device_id'])
		.where('learner_id', 'in', ids)
		.execute();
	const known = new Set(links.map((l) => l.learner_id));
	const mine = new Set(links.filter((l) => l.device_id === deviceId).map((l) => l.learner_id));
	// A place's tablets share its learners: one may go on where another left off.
	const ofPlace = new Set(
		locationId
			? (
					await tx
						.selectFrom('location_learners')
						.select('learner_id')
						.where('location_id', '=', locationId)
						.where('learner_id', 'in', ids)
						.execute()
				).map((l) => l.learner_id)
			: []
	);
	// An erased learner stays erased: a tablet that had not heard yet cannot bring them back.
	const erased = new Set(
		(
			await tx
				.selectFrom('learners')
				.select('id')
				.where('id', 'in', ids)
				.where('erased_at', 'is not', null)
				.execute()
		).map((l) => l.id)
	);
	return checked.map((item) => {
		if (!isLearnerScoped(item)) return item;
		const learner = learnerOf(item);
		if (erased.has(learner)) {
			return rejected(item.mutation.id, 'learner: erased at the office');
		}
		if (!known.has(learner) || mine.has(learner) || ofPlace.has(learner)) return item;
		return rejected(
			item.mutation.id,
			'learner: not on this device; bring it with the learner card'
		);
	});
}

/** Everything about a mutation that needs no database: its shape, owner, version, payload. */
function checkMutation(deviceId: string, raw: unknown): Checked {
	const rawId =
		typeof (raw as { id?: unknown })?.id === 'string' ? (raw as { id: string }).id : '?';
	const parsed = v.safeParse(Mutation, raw);
	if (!parsed.success) return rejected(rawId, describeIssues(parsed.issues));
	const mutation = parsed.output;
	if (mutation.deviceId !== deviceId) {
		return rejected(mutation.id, 'deviceId: not the pushing device');
	}
	if (mutation.schemaVersion < OLDEST_MUTATION_SCHEMA_VERSION) {
		return rejected(mutation.id, `schemaVersion ${mutation.schemaVersion} is no longer accepted`);
	}
	const upgrade = upgradeMutation(mutation);
	if (!upgrade.ok) return rejected(mutation.id, upgrade.reason);
	const upgraded = upgrade.mutation;
	if (upgraded.kind === 'progress') {
		const payload = v.safeParse(ProgressPayload, upgraded.payload);
		if (!payload.success)
			return rejected(mutation.id, `payload: ${describeIssues(payload.issues)}`);
		// The event's id is the idempotency key of its mutation (see applyProgressBatch).
		if (payload.output.id !== mutation.id)
			return rejected(mutation.id, 'payload.id: must be the mutation id');
		return { kind: 'progress', mutation: upgraded, payload: payload.output };
	}
	if (upgraded.kind === 'card') {
		const payload = v.safeParse(CardPayload, upgraded.payload);
		if (!payload.success)
			return rejected(mutation.id, `payload: ${describeIssues(payload.issues)}`);
		return { kind: 'card', mutation: upgraded, payload: payload.output };
	}
	if (upgraded.kind === 'session') {
		const payload = v.safeParse(SessionPayload, upgraded.payload);
		if (!payload.success)
			return rejected(mutation.id, `payload: ${describeIssues(payload.issues)}`);
		return { kind: 'session', mutation: upgraded, payload: payload.output };
	}
	if (upgraded.kind === 'attendance') {
		const payload = v.safeParse(AttendancePayload, upgraded.payload);
		if (!payload.success)
			return rejected(mutation.id, `payload: ${describeIssues(payload.issues)}`);
		return { kind: 'attendance', mutation: upgraded, payload: payload.output };
	}
	const payload = v.safeParse(LearnerPayload, upgraded.payload);
	if (!payload.success) return rejected(mutation.id, `payload: ${describeIssues(payload.issues)}`);
	return { kind: 'learner', mutation: upgraded, payload: payload.output };
}

function claimRow(deviceId: string, mutation: Mutation, now: string) {
	return {
		id: mutation.id,
		device_id: deviceId,
		seq: mutation.seq,
		kind: mutation.kind,
		hlc: mutation.hlc,
		schema_version: mutation.schemaVersion,
		received_at: now
	};
}

/** Claims a mutation id; false when another push already applied it. */
async function claim(tx: Tx, deviceId: string, mutation: Mutation, now: string): Promise<boolean> {
	const result = await tx
		.insertInto('mutations')
		.values(claimRow(deviceId, mutation, now))
		.onConflict((oc) => oc.column('id').doNothing())
		.executeTakeFirst();
	return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

async function applyCardMutation(
	tx: Tx,
	deviceId: string,
	{ mutation, payload }: CheckedCard,
	now: string
): Promise<Fate> {
	const learner = await tx
		.selectFrom('learners')
		.select('id')
		.where('id', '=', payload.learnerId)
		.executeTakeFirst();
	if (!learner) return rejected(mutation.id, 'payload.learnerId: the profile has not arrived yet');
	if (!(await claim(tx, deviceId, mutation, now))) {
		return { result: { id: mutation.id, status: 'duplicate' }, seq: mutation.seq };
	}
	await applyCard(tx, { ...payload, hlc: mutation.hlc, deviceId }, now);
	// The place's tablets learn the new card's digest with the profile (to check people in).
	await logChange(tx, 'learner', payload.learnerId, payload.learnerId, now);
	return { result: { id: mutation.id, status: 'accepted' }, seq: mutation.seq };
}

async function applyLearnerMutation(
	tx: Tx,
	dialect: OfficeDatabase['dialect'],
	deviceId: string,
	homeLocationId: string | null,
	{ mutation, payload }: CheckedLearner,
	now: string
): Promise<Fate> {
	const complete = PROFILE_FIELDS.every((f) => payload.fields[f] !== undefined);
	if (
		!complete &&
		!(await tx.selectFrom('learners').select('id').where('id', '=', payload.id).executeTakeFirst())
	) {
		return rejected(mutation.id, 'payload.fields: a new learner needs name, avatar and lang');
	}
	// Claim the id first: of two pushes racing with the same mutation, exactly one inserts it.
	if (!(await claim(tx, deviceId, mutation, now))) {
		return { result: { id: mutation.id, status: 'duplicate' }, seq: mutation.seq };
	}
	await applyLearner(
		tx,
		dialect,
		deviceId,
		mutation.id,
		mutation.hlc,
		payload,
		now,
		homeLocationId
	);
	return { result: { id: mutation.id, status: 'accepted' }, seq: mutation.seq };
}

/** The stored form of a progress event. */
export function progressEventRow(
	e: ProgressPayload,
	receivedAt: string
): Insertable<ProgressEventsTable> {
	return {
		id: e.id,
		learner_id: e.learnerId,
		course_id: e.courseId,
		course_version: e.courseVersion,
		lesson_id: e.lessonId,
		step_id: e.stepId,
		type: e.type,
		attempts: e.attempts ?? null,
		checkpoint: e.checkpoint ?? null,
		hlc: e.hlc,
		device_id: e.deviceId,
		received_at: receivedAt
	};
}

/**
 * A batch of progress events in three statements: store the events (an event's id is its
 * mutation's id, so the primary key makes a replay a no-op: the ids another push already
 * stored come back as duplicates), link their learners to the device, and log what this push
 * stored for pulls, one log row per learner. Returns the ids this push stored.
 */
async function applyProgressBatch(
	tx: Tx,
	dialect: OfficeDatabase['dialect'],
	deviceId: string,
	items: CheckedProgress[],
	now: string
): Promise<Set<string>> {
	const claimed = new Set<string>();
	for (let start = 0; start < items.length; start += PROGRESS_CHUNK) {
		const chunk = items.slice(start, start + PROGRESS_CHUNK);
		// The same event twice in one batch is stored once; the second is a duplicate.
		const events = [...new Map(chunk.map((i) => [i.payload.id, i.payload])).values()];
		const batchOf = new Map<string, string>();
		for (const e of events) if (!batchOf.has(e.learnerId)) batchOf.set(e.learnerId, uuidv7());
		const row = (e: ProgressPayload) => ({
			...progressEventRow(e, now),
			batch_id: batchOf.get(e.learnerId)!
		});
		let stored: { id: string; learner_id: string }[];
		if (dialect === 'sqlite') {
			// SQLite writes one transaction at a time, so what is not stored now cannot be stored by
			// anyone before this insert: ask first and insert only the new ones, which is much
			// cheaper there than an insert that returns what it stored.
			const known = await tx
				.selectFrom('progress_events')
				.select('id')
				.where(
					'id',
					'in',
					events.map((e) => e.id)
				)
				.execute();
			const old = new Set(known.map((k) => k.id));
			const fresh = events.filter((e) => !old.has(e.id));
			if (fresh.length > 0) await tx.insertInto('progress_events').values(fresh.map(row)).execute();
			stored = fresh.map((e) => ({ id: e.id, learner_id: e.learnerId }));
		} else {
			// On PostgreSQL two pushes may race: the primary key decides, and says who won.
			stored = await tx
				.insertInto('progress_events')
				.values(events.map(row))
				.onConflict((oc) => oc.column('id').doNothing())
				.returning(['id', 'learner_id'])
				.execute();
		}
		for (const row of stored) claimed.add(row.id);
		const storedIds = new Set(stored.map((row) => row.id));
		await recordLessonCompletions(
			tx,
			deviceId,
			events.filter((e) => e.type === 'lesson-completed' && storedIds.has(e.id))
		);
		await tx
			.insertInto('device_learners')
			.values([...batchOf.keys()].map((learner_id) => ({ device_id: deviceId, learner_id })))
			.onConflict((oc) => oc.columns(['device_id', 'learner_id']).doNothing())
			.execute();
		const sizes = new Map<string, number>();
		for (const row of stored) sizes.set(row.learner_id, (sizes.get(row.learner_id) ?? 0) + 1);
		if (sizes.size > 0) {
			await tx
				.insertInto('change_log')
				.values(
					[...sizes].map(([learner_id, size]) => ({
						entity: 'progress-batch',
						entity_id: batchOf.get(learner_id)!,
						learner_id,
						created_at: now,
						size
					}))
				)
				.execute();
		}
	}
	return claimed;
}

/**
 * Consent withdrawn: the statistics answers go from the profile's history too, not only from
 * the profile (the merge clears the current ones).
 */
async function forgetAnswers(tx: Tx, learnerId: string): Promise<void> {
	const versions = await tx
		.selectFrom('learner_versions')
		.select(['mutation_id', 'fields'])
		.where('learner_id', '=', learnerId)
		.execute();
	for (const version of versions) {
		const fields = JSON.parse(version.fields) as Record<string, unknown>;
		if (!fields.ageGroup && !fields.targetGroup) continue;
		delete fields.ageGroup;
		delete fields.targetGroup;
		await tx
			.updateTable('learner_versions')
			.set({ fields: JSON.stringify(fields) })
			.where('mutation_id', '=', version.mutation_id)
			.execute();
	}
}

async function linkLearner(tx: Tx, deviceId: string, learnerId: string): Promise<void> {
	await tx
		.insertInto('device_learners')
		.values({ device_id: deviceId, learner_id: learnerId })
		.onConflict((oc) => oc.columns(['device_id', 'learner_id']).doNothing())
		.execute();
}

async function logChange(
	tx: Tx,
	entity: 'progress' | 'learner',
	entityId: string,
	learnerId: string,
	now: string
) {
	await tx
		.insertInto('change_log')
		.values({ entity, entity_id: entityId, learner_id: learnerId, created_at: now })
		.execute();
}

async function applyLearner(
	tx: Tx,
	dialect: OfficeDatabase['dialect'],
	deviceId: string,
	mutationId: string,
	hlc: string,
	change: LearnerPayload,
	now: string,
	homeLocationId: string | null
): Promise<void> {
	// Two tablets editing one profile at once: on PostgreSQL the second waits for the first, so
	// neither merges against a stale row. (SQLite writes one transaction at a time anyway.)
	const row = await tx
		.selectFrom('learners')
		.selectAll()
		.where('id', '=', change.id)
		.$if(dialect === 'postgres', (q) => q.forUpdate())
		.executeTakeFirst();
	// Erased while this push waited for the row: nothing of the change may bring a name back.
	if (row?.erased_at) return;
	const current = row
		? stampedOf<LearnerField>(
				{
					name: row.name,
					avatar: row.avatar,
					lang: row.lang,
					consent: row.consent,
					ageGroup: row.age_group,
					targetGroup: row.target_group
				},
				// A field never set has no stamp: then it is not there to merge against.
				Object.fromEntries(
					Object.entries({
						name: row.name_hlc,
						avatar: row.avatar_hlc,
						lang: row.lang_hlc,
						consent: row.consent_hlc,
						ageGroup: row.age_group_hlc,
						targetGroup: row.target_group_hlc
					}).filter(([, stamp]) => stamp !== '')
				)
			)
		: {};
	const merged = mergeFields<LearnerField>(current, {
		fields: change.fields,
		stamp: hlc,
		base: change.base
	});
	await tx
		.insertInto('learner_versions')
		.values({
			mutation_id: mutationId,
			learner_id: change.id,
			device_id: deviceId,
			hlc,
			fields: JSON.stringify(change.fields),
			received_at: now
		})
		.execute();
	for (const conflict of merged.conflicts) {
		await tx
			.insertInto('conflicts')
			.values({
				entity: 'learner',
				entity_id: change.id,
				field: conflict.field,
				kept: JSON.stringify(conflict.kept),
				other: JSON.stringify(conflict.other),
				flagged_at: now,
				resolved_at: null
			})
			.execute();
	}
	if (change.fields.consent === '') await forgetAnswers(tx, change.id);
	await linkLearner(tx, deviceId, change.id);
	// A new learner was checked to bring the profile fields before its id was claimed.
	const f = merged.fields as Record<(typeof PROFILE_FIELDS)[number], Stamped> &
		Partial<Record<LearnerField, Stamped>>;
	if (!merged.changed) return;
	const values = {
		name: f.name.value,
		name_hlc: f.name.stamp,
		avatar: f.avatar.value,
		avatar_hlc: f.avatar.stamp,
		lang: f.lang.value,
		lang_hlc: f.lang.stamp,
		consent: f.consent?.value ?? '',
		consent_hlc: f.consent?.stamp ?? '',
		age_group: f.ageGroup?.value ?? '',
		age_group_hlc: f.ageGroup?.stamp ?? '',
		target_group: f.targetGroup?.value ?? '',
		target_group_hlc: f.targetGroup?.stamp ?? '',
		updated_at: now
	};
	if (row) await tx.updateTable('learners').set(values).where('id', '=', change.id).execute();
	else {
		await tx
			.insertInto('learners')
			.values({
				id: change.id,
				created_at: change.createdAt,
				home_location_id: homeLocationId,
				...values
			})
			.execute();
		if (homeLocationId) {
			await tx
				.insertInto('location_learners')
				.values({ location_id: homeLocationId, learner_id: change.id })
				.onConflict((oc) => oc.columns(['location_id', 'learner_id']).doNothing())
				.execute();
		}
	}
	await logChange(tx, 'learner', change.id, change.id, now);
}
