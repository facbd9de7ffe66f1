/**
 * Applies a device's batch of changes in one transaction. A mutation already applied (the
 * reply to an earlier push was lost, or two tabs sent it) is acknowledged as a duplicate and
 * never applied twice; an invalid one is rejected with a reason and does not block the rest.
 */
import type { Transaction } from 'kysely';
import * as v from 'valibot';
import { mergeFields, type Stamped } from '../../domain/merge/fields';
import {
	LEARNER_FIELDS,
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
import type { Database } from '../db/schema';
import { noteSequence, touchDevice } from './devices';
import { refuse, type Reply } from './reply';
import { upgradeMutation } from './upgrade';

type Tx = Transaction<Database>;

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
		const results: MutationFate[] = [];
		const applied: number[] = [];
		for (const raw of request.mutations) {
			const fate = await applyOne(tx, office.dialect, request.deviceId, raw, stamp);
			results.push(fate.result);
			if (fate.seq !== null && fate.result.status !== 'rejected') applied.push(fate.seq);
		}
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

async function applyOne(
	tx: Tx,
	dialect: OfficeDatabase['dialect'],
	deviceId: string,
	raw: unknown,
	now: string
): Promise<Fate> {
	const rawId =
		typeof (raw as { id?: unknown })?.id === 'string' ? (raw as { id: string }).id : '?';
	const parsed = v.safeParse(Mutation, raw);
	if (!parsed.success) return rejected(rawId, describeIssues(parsed.issues));
	const mutation = parsed.output;
	if (mutation.deviceId !== deviceId)
		return rejected(mutation.id, 'deviceId: not the pushing device');
	if (mutation.schemaVersion < OLDEST_MUTATION_SCHEMA_VERSION) {
		return rejected(mutation.id, `schemaVersion ${mutation.schemaVersion} is no longer accepted`);
	}
	const upgraded = upgradeMutation(mutation);

	const payload =
		upgraded.kind === 'progress'
			? v.safeParse(ProgressPayload, upgraded.payload)
			: v.safeParse(LearnerPayload, upgraded.payload);
	if (!payload.success) return rejected(mutation.id, `payload: ${describeIssues(payload.issues)}`);
	if (upgraded.kind === 'learner') {
		const fields = (payload.output as LearnerPayload).fields;
		const complete = LEARNER_FIELDS.every((f) => fields[f] !== undefined);
		const id = (payload.output as LearnerPayload).id;
		if (
			!complete &&
			!(await tx.selectFrom('learners').select('id').where('id', '=', id).executeTakeFirst())
		) {
			return rejected(mutation.id, 'payload.fields: a new learner needs name, avatar and lang');
		}
	}

	// Claim the id first: of two pushes racing with the same mutation, exactly one inserts it.
	const claim = await tx
		.insertInto('mutations')
		.values({
			id: mutation.id,
			device_id: deviceId,
			seq: mutation.seq,
			kind: mutation.kind,
			hlc: mutation.hlc,
			schema_version: mutation.schemaVersion,
			received_at: now
		})
		.onConflict((oc) => oc.column('id').doNothing())
		.executeTakeFirst();
	if (Number(claim.numInsertedOrUpdatedRows ?? 0) === 0) {
		return { result: { id: mutation.id, status: 'duplicate' }, seq: mutation.seq };
	}

	if (upgraded.kind === 'progress') {
		await applyProgress(tx, deviceId, payload.output as ProgressPayload, now);
	} else {
		await applyLearner(
			tx,
			dialect,
			deviceId,
			mutation.id,
			mutation.hlc,
			payload.output as LearnerPayload,
			now
		);
	}
	return { result: { id: mutation.id, status: 'accepted' }, seq: mutation.seq };
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

async function applyProgress(
	tx: Tx,
	deviceId: string,
	e: ProgressPayload,
	now: string
): Promise<void> {
	const inserted = await tx
		.insertInto('progress_events')
		.values({
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
			received_at: now
		})
		.onConflict((oc) => oc.column('id').doNothing())
		.executeTakeFirst();
	await linkLearner(tx, deviceId, e.learnerId);
	if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) {
		await logChange(tx, 'progress', e.id, e.learnerId, now);
	}
}

async function applyLearner(
	tx: Tx,
	dialect: OfficeDatabase['dialect'],
	deviceId: string,
	mutationId: string,
	hlc: string,
	change: LearnerPayload,
	now: string
): Promise<void> {
	// Two tablets editing one profile at once: on PostgreSQL the second waits for the first, so
	// neither merges against a stale row. (SQLite writes one transaction at a time anyway.)
	const row = await tx
		.selectFrom('learners')
		.selectAll()
		.where('id', '=', change.id)
		.$if(dialect === 'postgres', (q) => q.forUpdate())
		.executeTakeFirst();
	const current: Partial<Record<LearnerField, Stamped>> = row
		? {
				name: { value: row.name, stamp: row.name_hlc },
				avatar: { value: row.avatar, stamp: row.avatar_hlc },
				lang: { value: row.lang, stamp: row.lang_hlc }
			}
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
	await linkLearner(tx, deviceId, change.id);
	// Complete: a new learner was checked to bring every field before its id was claimed.
	const f = merged.fields as Record<LearnerField, Stamped>;
	if (!merged.changed) return;
	const values = {
		name: f.name.value,
		name_hlc: f.name.stamp,
		avatar: f.avatar.value,
		avatar_hlc: f.avatar.stamp,
		lang: f.lang.value,
		lang_hlc: f.lang.stamp,
		updated_at: now
	};
	if (row) await tx.updateTable('learners').set(values).where('id', '=', change.id).execute();
	else
		await tx
			.insertInto('learners')
			.values({ id: change.id, created_at: change.createdAt, ...values })
			.execute();
	await logChange(tx, 'learner', change.id, change.id, now);
}
