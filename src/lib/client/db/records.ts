/** What the device keeps in IndexedDB, row by row. */
import type { DisplayPrefs } from '../../domain/display';
import type { CoursePack } from '../../domain/course/schema';
import type { LessonState } from '../../domain/progress/derive';
import type { ProgressEvent } from '../../domain/progress/events';
import type { AttendanceField, SessionField } from '../../domain/sessions/records';
import type { LearnerField, LearnerSnapshot } from '../../sync/protocol';
import type { AttendanceConflict } from '../../sync/sessions';

export interface LearnerRecord {
	id: string;
	name: string;
	/** One of the pictures in `static/avatars/`. */
	avatar: string;
	/** Interface and course language. */
	lang: string;
	createdAt: string;
	updatedAt: string;
	/** 'yes' when the learner agreed to be counted by age and target group, else '' or unset. */
	consent?: string;
	ageGroup?: string;
	targetGroup?: string;
	/** The clock stamp that set each field, for the field-by-field merge with the office. */
	stamps?: Partial<Record<LearnerField, string>>;
	/** The device that holds this learner's whole history; any other asks the office for it. */
	historyOn?: string;
	/** The learner card last printed or entered here (the code itself stays on the device). */
	card?: { code: string; issuedAt: string };
	/** An optional PIN, checked on this device only (see lib/client/auth/pin-check.ts). */
	pin?: PinVerifier;
	/**
	 * Known here because they belong to this tablet's place (on a roster, or made on another of
	 * its tablets), not because they learn here: volunteer mode shows them, the picker does not.
	 */
	placeOnly?: boolean;
	/** Digests of the learner's cards as the office knows them, to check people in offline. */
	cardDigests?: NonNullable<LearnerSnapshot['cards']>;
	/** Contrast and text size, kept on this tablet only (see domain/display.ts). */
	display?: DisplayPrefs;
}

export interface PinVerifier {
	salt: string;
	hash: string;
	iterations: number;
}

export interface CourseRecord {
	id: string;
	lang: string;
	version: number;
	hash: string;
	title: string;
	/** Null when the pack could not be used; `problem` then says why. */
	pack: CoursePack | null;
	problem: string | null;
	installedAt: string;
}

export type ProgressRecord = ProgressEvent;
export type LessonStateRecord = LessonState;

/** An unfinished answer, so a reload or a closed tab picks up exactly where the learner was. */
export interface DraftRecord {
	learnerId: string;
	courseId: string;
	lessonId: string;
	stepId: string;
	value: unknown;
	updatedAt: string;
}

/** A change not yet acknowledged by the office server. Written in the change's transaction. */
export interface OutboxRecord {
	seq?: number;
	mutationId: string;
	kind: 'progress' | 'learner' | 'card' | 'session' | 'attendance';
	payload: unknown;
	hlc: string;
	createdAt: string;
	/** Set when the office refused it: kept and shown, never sent again unchanged. */
	rejected?: string;
}

/** A training session at this tablet's place: values and stamps per field, as they merge. */
export interface SessionRecord {
	id: string;
	locationId: string;
	seriesId: string | null;
	seriesIndex: number | null;
	/** Copied out of `fields` so the lists for today and this week can use an index. */
	date: string;
	fields: Partial<Record<SessionField, string>>;
	stamps: Partial<Record<SessionField, string>>;
	createdBy: string;
	createdAt: string;
}

/** One learner at one session: on the roster, marked, a note; merged like a session. */
export interface AttendanceRecord {
	sessionId: string;
	learnerId: string;
	fields: Partial<Record<AttendanceField, string>>;
	stamps: Partial<Record<AttendanceField, string>>;
	/** Disagreements between tablets as the office found them. */
	conflicts: AttendanceConflict[];
}

export interface MetaRecord {
	key: string;
	value: unknown;
}
