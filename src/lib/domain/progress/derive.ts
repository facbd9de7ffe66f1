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

function uniqueByClock(events: readonly ProgressEvent[]): ProgressEvent[] {
	return [...new Map(events.map((e) => [e.id, e])).values()].sort(byClock);
}

/** Applies events, in clock order, to a copy of `state`. */
function fold(state: LessonState, sorted: readonly ProgressEvent[]): LessonState {
	const next = { ...state };
	const completed = new Set(state.completedStepIds);
	const help = new Set(state.helpStepIds);
	const checkpoints = new Set(state.checkpoints);
	for (const e of sorted) {
		next.updatedAt = e.hlc;
		switch (e.type) {
			case 'step-viewed':
				next.currentStepId = e.stepId;
				break;
			case 'step-completed':
				if (e.stepId) completed.add(e.stepId);
				break;
			case 'help-requested':
				next.helpCount += 1;
				if (e.stepId) help.add(e.stepId);
				break;
			case 'checkpoint-reached':
				if (e.checkpoint) checkpoints.add(e.checkpoint);
				break;
			case 'lesson-completed':
				next.completed = true;
				next.completedAt ??= e.hlc;
				break;
		}
	}
	next.completedStepIds = [...completed].sort();
	next.helpStepIds = [...help].sort();
	next.checkpoints = [...checkpoints].sort();
	return next;
}

/** All events must belong to one learner's lesson. Returns null for no events. */
export function deriveLessonState(events: readonly ProgressEvent[]): LessonState | null {
	const sorted = uniqueByClock(events);
	const first = sorted[0];
	if (!first) return null;
	const empty: LessonState = {
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
	return fold(empty, sorted);
}

/**
 * The same result as deriving from the whole log, without reading it, for events that all sort
 * after everything the state has seen (a device's own new events do). Null when one does not:
 * then derive from the whole log.
 */
export function extendLessonState(
	state: LessonState,
	events: readonly ProgressEvent[]
): LessonState | null {
	const sorted = uniqueByClock(events);
	if (sorted.some((e) => e.hlc <= state.updatedAt)) return null;
	return fold(state, sorted);
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
