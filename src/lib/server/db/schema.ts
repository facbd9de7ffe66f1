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
	/** 'location' (enrolled with a code) or 'personal' (a learner's own, via their card). */
	kind: 'location' | 'personal' | null;
	location_id: string | null;
	name: string | null;
	/** SHA-256 of the device's secret; null until enrolled. */
	credential_hash: string | null;
	enrolled_at: string | null;
	enrolled_by: string | null;
	revoked_at: string | null;
	revoked_by: string | null;
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
	/** The push that stored it, as logged in change_log (null for events logged one by one). */
	batch_id: string | null;
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
	home_location_id: ColumnType<string | null, string | null | undefined, string | null>;
	/** 'yes' when the learner agreed to be counted by the attributes below; else ''. */
	consent: ColumnType<string, string | undefined, string>;
	consent_hlc: ColumnType<string, string | undefined, string>;
	/** Only with consent, only ever reported in aggregate (see docs/data-protection.md). */
	age_group: ColumnType<string, string | undefined, string>;
	age_group_hlc: ColumnType<string, string | undefined, string>;
	target_group: ColumnType<string, string | undefined, string>;
	target_group_hlc: ColumnType<string, string | undefined, string>;
	/** Set when the learner's personal data was erased (on request or after retention). */
	erased_at: ColumnType<string | null, string | null | undefined, string | null>;
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
	/** 'learner', 'progress' (one event) or 'progress-batch' (the events of one push, by batch_id). */
	entity: string;
	entity_id: string;
	learner_id: string;
	created_at: string;
	/** How many changes the row stands for: the events in a batch, else 1. */
	size: ColumnType<number, number | undefined, number>;
	/** Set on rows about a place's sessions and rosters: only that place's tablets get them. */
	location_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface ServerMetaTable {
	key: string;
	value: string;
}

export interface LocationsTable {
	id: string;
	name: string;
	kind: string;
	address: string | null;
	created_at: string;
	archived_at: string | null;
}

export interface StaffTable {
	id: string;
	/** Lower-cased; the sign-in name. */
	email: string;
	display_name: string;
	role: string;
	password_hash: string;
	/** 1 after an admin reset: the next sign-in must choose a new password. */
	must_change_password: number;
	created_at: string;
	password_changed_at: string;
	disabled_at: string | null;
	/**
	 * When the account was deleted: the name is empty, the e-mail a placeholder, the password
	 * unusable, and `disabled_at` is set for good. The id stays for what refers to it.
	 */
	deleted_at: string | null;
}

export interface StaffLocationsTable {
	staff_id: string;
	location_id: string;
}

export interface StaffSessionsTable {
	/** SHA-256 of the cookie's token: a stolen database holds no usable session. */
	token_hash: string;
	staff_id: string;
	created_at: string;
	last_seen_at: string;
	expires_at: string;
	device_id: string | null;
}

/** Counters shared by every app instance, so limits hold behind a load balancer. */
export interface RateLimitsTable {
	key: string;
	count: number;
	window_started_at: string;
	locked_until: string | null;
}

export interface EnrolmentCodesTable {
	code_hash: string;
	location_id: string;
	created_by: string;
	created_at: string;
	expires_at: string;
	used_at: string | null;
	used_by_device: string | null;
}

export interface LearnerCardsTable {
	code_hash: string;
	learner_id: string;
	/** Stamp of the issuing change: of two cards issued offline, the later one counts. */
	hlc: string;
	issued_by_device: string;
	issued_at: string;
	revoked_at: string | null;
}

export interface AuditLogTable {
	id: Generated<number>;
	at: string;
	staff_id: string | null;
	device_id: string | null;
	action: string;
	outcome: 'ok' | 'denied' | 'failed';
	target: string | null;
	location_id: string | null;
	details: string;
}

export interface TrainingSessionsTable {
	id: string;
	location_id: string;
	series_id: string | null;
	series_index: number | null;
	title: string;
	/** Comma-separated course ids, as the wire sends them. */
	course_ids: string;
	date: string;
	start_time: string;
	end_time: string;
	room: string;
	/** Comma-separated staff ids. */
	volunteer_ids: string;
	capacity: number;
	status: string;
	/** JSON: the clock stamp that set each field. */
	stamps: string;
	created_by: string;
	created_at: string;
	updated_at: string;
}

export interface AttendanceTable {
	session_id: string;
	learner_id: string;
	/** 'signed-up', 'walk-in', 'removed' or '' (marked without being on the roster first). */
	roster: string;
	/** 'present', 'late', 'excused', 'absent' or '' (not marked). */
	status: string;
	/** Staff only: never sent to a learner's own device. */
	note: string;
	help_seen: string;
	/** JSON: the clock stamp that set each field. */
	stamps: string;
	updated_by: string;
	updated_at: string;
}

/** Every edit of a session or an attendance record as it arrived from a tablet. */
export interface SessionHistoryTable {
	mutation_id: string;
	entity: 'session' | 'attendance';
	entity_id: string;
	device_id: string;
	staff_id: string;
	hlc: string;
	fields: string;
	received_at: string;
}

/** The learners a place's tablets may see: made there, or on one of its rosters. */
export interface LocationLearnersTable {
	location_id: string;
	learner_id: string;
}

/*
 * Report facts (migration 006): tables derived from attendance, sessions and progress events,
 * kept up to date in the same transaction as every write to those (`server/reports/facts.ts`),
 * so a report reads a few small, indexed tables instead of joining the raw records. Learners
 * and places are numbered for them (`no`); months are numbers like 202611.
 */

export interface FactLearnersTable {
	no: Generated<number>;
	learner_id: string;
}

export interface FactPlacesTable {
	no: Generated<number>;
	location_id: string;
}

/** A learner who came (present or late) to a session that was not cancelled. */
export interface AttendanceFactsTable {
	session_id: string;
	learner_id: string;
	learner_no: number;
	location_no: number;
	date: string;
	month: number;
}

/** Each learner's first attendance ever (of the facts above). */
export interface FirstAttendanceTable {
	learner_no: number;
	date: string;
	month: number;
}

/** Sessions held at a place in a month: all (course '') and per course. */
export interface SessionMonthsTable {
	month: number;
	location_no: number;
	course_id: string;
	sessions: number;
	minutes: number;
	volunteer_minutes: number;
}

/** Who ran sessions at a place in a month (course '' for all). */
export interface VolunteerMonthsTable {
	month: number;
	location_no: number;
	course_id: string;
	staff_id: string;
}

export interface FactLessonsTable {
	no: Generated<number>;
	course_id: string;
	lesson_id: string;
}

/** The courses a session is about, one row each (the session keeps them as one text). */
export interface SessionCoursesTable {
	session_id: string;
	course_id: string;
}

/** Who came how often to a place in a month, packed (server/reports/cells.ts). */
export interface VisitCellsTable {
	month: number;
	location_no: number;
	/** '' for all sessions, else a course. */
	course_id: string;
	learners: Uint8Array;
}

/** The lessons learners completed at a place in a month, per course, packed. */
export interface LessonCellsTable {
	month: number;
	location_no: number;
	course_id: string;
	learners: Uint8Array;
}

/** The learners whose first attendance falls in a month, packed with its day. */
export interface FirstCellsTable {
	month: number;
	learners: Uint8Array;
}

/** Every lesson-completed event, with the local day and the place it counts for. */
export interface LessonCompletionsTable {
	event_id: string;
	learner_no: number;
	lesson_no: number;
	course_id: string;
	day: string;
	location_no: number | null;
}

/** A learner's first completion of each lesson: a course is completed when all its lessons are. */
export interface LessonFirstsTable {
	learner_no: number;
	course_id: string;
	lesson_id: string;
	first_hlc: string;
	location_no: number | null;
}

export interface CourseReleasesTable {
	id: string;
	course_id: string;
	state: 'draft' | 'published';
	version: number | null;
	sources: string;
	entry: string | null;
	/** 'upload' (an archive), 'edit' (text changed in the browser). */
	origin: string;
	created_at: string;
	created_by: string;
	published_at: string | null;
	published_by: string | null;
}

export interface CourseFilesTable {
	url: string;
	content_type: string;
	data: string;
	release_id: string;
}

export interface CourseStatesTable {
	course_id: string;
	live_release_id: string | null;
	withdrawn_at: string | null;
	updated_at: string;
	updated_by: string;
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
	locations: LocationsTable;
	staff: StaffTable;
	staff_locations: StaffLocationsTable;
	staff_sessions: StaffSessionsTable;
	rate_limits: RateLimitsTable;
	enrolment_codes: EnrolmentCodesTable;
	learner_cards: LearnerCardsTable;
	audit_log: AuditLogTable;
	training_sessions: TrainingSessionsTable;
	attendance: AttendanceTable;
	session_history: SessionHistoryTable;
	location_learners: LocationLearnersTable;
	fact_learners: FactLearnersTable;
	fact_places: FactPlacesTable;
	fact_lessons: FactLessonsTable;
	session_months: SessionMonthsTable;
	volunteer_months: VolunteerMonthsTable;
	attendance_facts: AttendanceFactsTable;
	first_attendance: FirstAttendanceTable;
	session_courses: SessionCoursesTable;
	visit_cells: VisitCellsTable;
	first_cells: FirstCellsTable;
	lesson_cells: LessonCellsTable;
	lesson_completions: LessonCompletionsTable;
	lesson_firsts: LessonFirstsTable;
	course_releases: CourseReleasesTable;
	course_files: CourseFilesTable;
	course_states: CourseStatesTable;
}
