/**
 * Derives where a learner stands in a lesson from the event log. The result depends only on
 * the set of events: any order or duplication gives the same state, so devices that see the
 * same events agree, whatever order sync delivers them in.
 */
import type { HlcStamp } from '../hlc';
import type { ProgressEvent } from './events';

export interface LessonState {
	learnerId: string;
	courseId: string;
	lessonId: string;
	/** The step the learner last looked at: where "continue" takes them. */
	currentStepId: string | null;
	completedStepIds: string[];
	/** Steps on which the learner asked for help, for the volunteer's overview. */
	helpStepIds: string[];
	helpCount: number;
	checkpoints: string[];
	completed: boolean;
	startedAt: HlcStamp;
	updatedAt: HlcStamp;
	completedAt: HlcStamp | null;
}

function byClock(a: ProgressEvent, b: ProgressEvent): number {
	return a.hlc < b.hlc ? -1 : a.hlc > b.hlc ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** All events must belong to one learner's lesson. Returns null for no events. */
export function deriveLessonState(events: readonly ProgressEvent[]): LessonState | null {
	const unique = [...new Map(events.map((e) => [e.id, e])).values()].sort(byClock);
	const first = unique[0];
	if (!first) return null;
	const completed = new Set<string>();
	const help = new Set<string>();
	const helpEvents = new Set<string>();
	const checkpoints = new Set<string>();
	const state: LessonState = {
		learnerId: first.learnerId,
		courseId: first.courseId,
		lessonId: first.lessonId,
		currentStepId: null,
		completedStepIds: [],
		helpStepIds: [],
		helpCount: 0,
		checkpoints: [],
		completed: false,
		startedAt: first.hlc,
		updatedAt: first.hlc,
		completedAt: null
	};
	for (const e of unique) {
		state.updatedAt = e.hlc;
		switch (e.type) {
			case 'step-viewed':
				state.currentStepId = e.stepId;
				break;
			case 'step-completed':
				if (e.stepId) completed.add(e.stepId);
				break;
			case 'help-requested':
				helpEvents.add(e.id);
				if (e.stepId) help.add(e.stepId);
				break;
			case 'checkpoint-reached':
				if (e.checkpoint) checkpoints.add(e.checkpoint);
				break;
			case 'lesson-completed':
				state.completed = true;
				state.completedAt ??= e.hlc;
				break;
		}
	}
	state.completedStepIds = [...completed].sort();
	state.helpStepIds = [...help].sort();
	state.helpCount = helpEvents.size;
	state.checkpoints = [...checkpoints].sort();
	return state;
}

/** Groups a mixed log by lesson and derives each lesson's state. */
export function deriveAll(events: readonly ProgressEvent[]): LessonState[] {
	const groups = new Map<string, ProgressEvent[]>();
	for (const e of events) {
		const key = `${e.learnerId}|${e.courseId}|${e.lessonId}`;
		const group = groups.get(key);
		if (group) group.push(e);
		else groups.set(key, [e]);
	}
	return [...groups.values()].map((g) => deriveLessonState(g)!);
}
