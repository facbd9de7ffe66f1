/**
 * Progress is an append-only log of what a learner did. Events never change and never
 * conflict; where a learner stands is derived from them (see `derive.ts`).
 */
import type { HlcStamp } from '../hlc';

export const PROGRESS_EVENT_TYPES = [
	'step-viewed',
	'step-completed',
	'help-requested',
	'checkpoint-reached',
	'lesson-completed'
] as const;
export type ProgressEventType = (typeof PROGRESS_EVENT_TYPES)[number];

export interface ProgressEvent {
	/** UUIDv7, unique across devices: a replay of the same event is recognised by it. */
	id: string;
	learnerId: string;
	courseId: string;
	courseVersion: number;
	lessonId: string;
	stepId: string | null;
	type: ProgressEventType;
	/** Tries needed for a step (step-completed), or the checkpoint's name. */
	attempts?: number;
	checkpoint?: string;
	hlc: HlcStamp;
	deviceId: string;
}

export type NewProgressEvent = Omit<ProgressEvent, 'id' | 'hlc' | 'deviceId'>;

export function lessonKey(e: { learnerId: string; courseId: string; lessonId: string }): string {
	return `${e.learnerId}|${e.courseId}|${e.lessonId}`;
}
