/**
 * The wire contract between a device and the office server. Both ends validate every
 * message with these schemas; `docs/sync-protocol.md` explains the rules around them.
 */
import * as v from 'valibot';
import { PROGRESS_EVENT_TYPES } from '../domain/progress/events';
import { AGE_GROUPS, CONSENT_GIVEN, TARGET_GROUPS } from '../domain/reports/attributes';

export { describeIssues } from '../domain/issues';

import type { AttendanceSnapshot, SessionSnapshot } from './sessions';
import {
	LEARNER_FIELDS,
	MAX_HISTORY_LEARNERS,
	MAX_PULL_PAGE,
	MAX_PUSH_BATCH,
	PROFILE_FIELDS
} from './limits';

export * from './limits';

const Uuid = v.pipe(
	v.string(),
	v.regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'not a UUID')
);
const Hlc = v.pipe(v.string(), v.regex(/^\d{15}-\d{5}-[0-9a-f-]{36}$/, 'not a clock stamp'));
const Id = v.pipe(v.string(), v.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'not an id'), v.maxLength(80));
const ShortText = (max: number) => v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(max));

export const ProgressPayload = v.strictObject({
	id: Uuid,
	learnerId: Uuid,
	courseId: Id,
	courseVersion: v.pipe(v.number(), v.integer(), v.minValue(1)),
	lessonId: Id,
	stepId: v.nullable(Id),
	type: v.picklist(PROGRESS_EVENT_TYPES),
	attempts: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10_000))),
	checkpoint: v.optional(ShortText(200)),
	hlc: Hlc,
	deviceId: Uuid
});

export type LearnerField = (typeof LEARNER_FIELDS)[number];

/** A learner's profile fields as one device changed them, with what it had seen before. */
export const LearnerPayload = v.strictObject({
	id: Uuid,
	fields: v.strictObject({
		name: v.optional(ShortText(40)),
		avatar: v.optional(Id),
		// "de", or with subtags such as plain German, "de-x-simple".
		lang: v.optional(v.pipe(v.string(), v.regex(/^[a-z]{2,3}(?:-[a-z0-9]{1,8}){0,3}$/))),
		consent: v.optional(v.picklist(['', CONSENT_GIVEN])),
		ageGroup: v.optional(v.picklist(['', ...AGE_GROUPS])),
		targetGroup: v.optional(v.picklist(['', ...TARGET_GROUPS]))
	}),
	/** The clock stamp of each field as this device knew it when it made the change. */
	base: v.optional(v.record(v.picklist(LEARNER_FIELDS), Hlc), {}),
	createdAt: v.pipe(v.string(), v.isoTimestamp())
});

/** A learner card printed on a device: only the digest of its code ever leaves the device. */
export const CardPayload = v.strictObject({
	learnerId: Uuid,
	codeHash: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'not a SHA-256 digest'))
});

const mutationBase = {
	id: Uuid,
	deviceId: Uuid,
	/** Per-device sequence number: 1, 2, 3 … in the order the device made its changes. */
	seq: v.pipe(v.number(), v.integer(), v.minValue(1)),
	hlc: Hlc,
	schemaVersion: v.pipe(v.number(), v.integer())
};

export const Mutation = v.variant('kind', [
	v.strictObject({ ...mutationBase, kind: v.literal('progress'), payload: v.unknown() }),
	v.strictObject({ ...mutationBase, kind: v.literal('learner'), payload: v.unknown() }),
	v.strictObject({ ...mutationBase, kind: v.literal('card'), payload: v.unknown() }),
	v.strictObject({ ...mutationBase, kind: v.literal('session'), payload: v.unknown() }),
	v.strictObject({ ...mutationBase, kind: v.literal('attendance'), payload: v.unknown() })
]);

export const PushRequest = v.strictObject({
	protocol: v.number(),
	deviceId: Uuid,
	mutations: v.pipe(v.array(v.unknown()), v.maxLength(MAX_PUSH_BATCH)),
	/** Health of the device's queue, for the office to see. */
	outbox: v.optional(
		v.strictObject({
			size: v.pipe(v.number(), v.integer(), v.minValue(0)),
			oldestAgeSeconds: v.pipe(v.number(), v.minValue(0))
		})
	)
});

export type MutationFate =
	| { id: string; status: 'accepted' }
	| { id: string; status: 'duplicate' }
	| { id: string; status: 'rejected'; reason: string };

export interface PushResponse {
	protocol: number;
	results: MutationFate[];
	/** The highest per-device sequence the server holds for this device. */
	lastSeq: number;
}

export const PullRequest = v.strictObject({
	protocol: v.number(),
	deviceId: Uuid,
	/** Opaque; null for "from the beginning". */
	cursor: v.nullable(v.pipe(v.string(), v.maxLength(100))),
	limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_PULL_PAGE))),
	/** Learners this device works with but whose earlier history it does not hold yet. */
	history: v.optional(v.pipe(v.array(Uuid), v.maxLength(MAX_HISTORY_LEARNERS)), [])
});

export interface LearnerSnapshot {
	id: string;
	name: string;
	avatar: string;
	lang: string;
	createdAt: string;
	/** '' unless the learner agreed; then the attributes are theirs to give or leave empty. */
	consent?: string;
	ageGroup?: string;
	targetGroup?: string;
	/** The clock stamp that set each field ('' or missing for a field never set). */
	stamps: Record<(typeof PROFILE_FIELDS)[number], string> & Partial<Record<LearnerField, string>>;
	/**
	 * Digests of the learner's cards, so a place's tablets recognise a card offline: the one
	 * that works and those it replaced (to say "this card was replaced" rather than "unknown").
	 */
	cards?: { current: string | null; replaced: string[] };
}

export type Change =
	| { entity: 'progress'; data: v.InferOutput<typeof ProgressPayload> }
	| { entity: 'learner'; data: LearnerSnapshot }
	| { entity: 'session'; data: SessionSnapshot }
	/** The learner's data was erased at the office: delete everything of theirs here too. */
	| { entity: 'learner-erased'; data: { id: string } }
	| { entity: 'attendance'; data: AttendanceSnapshot };

export interface PullResponse {
	protocol: number;
	changes: Change[];
	cursor: string;
	more: boolean;
	/** Changes when the office database is restored from a backup: then send everything again. */
	epoch: string;
	/** The whole history of the learners asked for in `history` that this device may see. */
	history: { learnerIds: string[]; changes: Change[] };
	/**
	 * Digest of the course index (`GET /api/courses`): when it differs from the one the device
	 * installed from, new course versions or city settings wait. Sent on the last page of a
	 * pull only; absent from older offices.
	 */
	courses?: string;
}

/** Every refusal has a code a device can act on and words a person can read. */
export interface ProtocolError {
	error:
		| 'update-required'
		| 'invalid-request'
		| 'unknown-device'
		| 'device-not-enrolled'
		| 'device-revoked'
		| 'server-error';
	message: string;
}

export type ProgressPayload = v.InferOutput<typeof ProgressPayload>;
export type LearnerPayload = v.InferOutput<typeof LearnerPayload>;
export type CardPayload = v.InferOutput<typeof CardPayload>;
export type Mutation = v.InferOutput<typeof Mutation>;
export type PushRequest = v.InferOutput<typeof PushRequest>;
export type PullRequest = v.InferOutput<typeof PullRequest>;
