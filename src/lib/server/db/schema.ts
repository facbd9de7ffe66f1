/** The office database, table by table, as the query layer sees it (SQLite and PostgreSQL). */
import type { ColumnType, Generated } from 'kysely';

export interface DevicesTable {
	id: string;
	first_seen_at: string;
	last_seen_at: string;
	/** Highest per-device sequence number applied. */
	last_seq: number;
	/** Sequence numbers the device skipped, as the server noticed them (JSON array). */
	gaps: string;
	outbox_size: number | null;
	outbox_oldest_age_s: number | null;
}

export interface MutationsTable {
	id: string;
	device_id: string;
	seq: number;
	kind: string;
	hlc: string;
	schema_version: number;
	received_at: string;
}

export interface ProgressEventsTable {
	id: string;
	learner_id: string;
	course_id: string;
	course_version: number;
	lesson_id: string;
	step_id: string | null;
	type: string;
	attempts: number | null;
	checkpoint: string | null;
	hlc: string;
	device_id: string;
	received_at: string;
}

export interface LearnersTable {
	id: string;
	name: string;
	name_hlc: string;
	avatar: string;
	avatar_hlc: string;
	lang: string;
	lang_hlc: string;
	created_at: string;
	updated_at: string;
}

/** Every version of a learner's profile that reached the office, for history and audits. */
export interface LearnerVersionsTable {
	mutation_id: string;
	learner_id: string;
	device_id: string;
	hlc: string;
	fields: string;
	received_at: string;
}

export interface ConflictsTable {
	id: Generated<number>;
	entity: string;
	entity_id: string;
	field: string;
	kept: string;
	other: string;
	flagged_at: string;
	resolved_at: string | null;
}

/** Which learners a device may see: those it created or worked with. */
export interface DeviceLearnersTable {
	device_id: string;
	learner_id: string;
}

/** Every change a device may need to pull, in commit order. */
export interface ChangeLogTable {
	/** bigserial on PostgreSQL, read back as a number (see connection.ts). */
	seq: Generated<number>;
	/** PostgreSQL only: the writing transaction, so a pull never skips a late commit. */
	xid?: ColumnType<string, never, never>;
	entity: string;
	entity_id: string;
	learner_id: string;
	created_at: string;
}

export interface ServerMetaTable {
	key: string;
	value: string;
}

export interface Database {
	devices: DevicesTable;
	mutations: MutationsTable;
	progress_events: ProgressEventsTable;
	learners: LearnersTable;
	learner_versions: LearnerVersionsTable;
	conflicts: ConflictsTable;
	device_learners: DeviceLearnersTable;
	change_log: ChangeLogTable;
	server_meta: ServerMetaTable;
}
