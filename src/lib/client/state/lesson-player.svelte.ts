/**
 * One learner working through one lesson: which step is open, what is done, the unfinished
 * answer. Every change is written to IndexedDB at once, so closing the tab loses nothing.
 */
import { SvelteSet } from 'svelte/reactivity';
import type { CoursePack, Lesson } from '../../domain/course/schema';
import type { NewProgressEvent } from '../../domain/progress/events';
import type { LessonState } from '../../domain/progress/derive';
import { resumeStepIndex } from '../../domain/progress/position';
import { clearDraft, saveDraft, type LessonRef } from '../db/drafts';
import { recordProgress } from '../db/progress';
import type { DraftRecord } from '../db/records';
import type { AppState } from './app.svelte';

const DRAFT_DELAY_MS = 300;

export class LessonPlayer {
	index = $state(0);
	draft = $state<unknown>(undefined);
	helpRequested = $state(false);
	readonly completed = new SvelteSet<string>();
	readonly ref: LessonRef;
	#draftTimer: ReturnType<typeof setTimeout> | undefined;
	#pendingDraft: (() => Promise<void>) | null = null;

	constructor(
		private readonly app: AppState,
		readonly course: CoursePack,
		readonly lesson: Lesson,
		state: LessonState | undefined,
		saved: DraftRecord | undefined
	) {
		this.ref = { learnerId: app.learner!.id, courseId: course.id, lessonId: lesson.id };
		for (const id of state?.completed ? [] : (state?.completedStepIds ?? []))
			this.completed.add(id);
		const draftIndex = saved ? lesson.steps.findIndex((s) => s.id === saved.stepId) : -1;
		this.index = draftIndex >= 0 ? draftIndex : resumeStepIndex(lesson, state);
		if (draftIndex >= 0) this.draft = saved!.value;
	}

	get step() {
		return this.lesson.steps[this.index]!;
	}
	get isFirst() {
		return this.index === 0;
	}
	get isLast() {
		return this.index === this.lesson.steps.length - 1;
	}
	/** Explanations need no answer; every other step is answered first (the answer always comes). */
	get canContinue() {
		return this.step.kind === 'explain' || this.completed.has(this.step.id);
	}

	#event(type: NewProgressEvent['type'], extra: Partial<NewProgressEvent> = {}): NewProgressEvent {
		return {
			learnerId: this.ref.learnerId,
			courseId: this.course.id,
			courseVersion: this.course.version,
			lessonId: this.lesson.id,
			stepId: this.step.id,
			type,
			...extra
		};
	}

	async #record(...events: NewProgressEvent[]): Promise<boolean> {
		const saved = await this.app.guard(() => recordProgress(this.app.db, this.app.device, events));
		if (saved) {
			// A finished lesson, and a call for help (a volunteer's tablet shows it), are worth
			// sending at once; other steps go with the next sync.
			this.app.noteLocalChanges(
				saved.length,
				events.some((e) => e.type === 'lesson-completed' || e.type === 'help-requested')
			);
		}
		return saved !== undefined;
	}

	/** Marks the opened step as the learner's place. */
	async open(): Promise<void> {
		await this.#record(this.#event('step-viewed'));
	}

	/**
	 * Shows the step at `index` at once, then writes: the learner never waits for storage.
	 * `leaving` are events about the step being left, recorded in the same transaction.
	 */
	async #goTo(index: number, leaving: NewProgressEvent[] = []): Promise<void> {
		const draftWritten = this.flushDraft();
		this.index = index;
		this.draft = undefined;
		this.helpRequested = false;
		await draftWritten;
		await this.app.guard(() => clearDraft(this.app.db, this.ref));
		await this.#record(...leaving, this.#event('step-viewed'));
	}

	async back(): Promise<void> {
		if (!this.isFirst) await this.#goTo(this.index - 1);
	}

	/** Moves on; returns true when this finished the lesson. */
	async next(): Promise<boolean> {
		if (!this.canContinue) return false;
		const leaving: NewProgressEvent[] = [];
		if (this.step.kind === 'explain' && !this.completed.has(this.step.id)) {
			// Reading an explanation is its completion.
			leaving.push(this.#event('step-completed', { attempts: 0 }));
			this.completed.add(this.step.id);
		}
		if (!this.isLast) {
			await this.#goTo(this.index + 1, leaving);
			return false;
		}
		await this.flushDraft();
		const done = await this.#record(...leaving, this.#event('lesson-completed', { stepId: null }));
		if (done) await this.app.guard(() => clearDraft(this.app.db, this.ref));
		return done;
	}

	async complete(attempts: number): Promise<void> {
		if (this.completed.has(this.step.id)) return;
		if (await this.#record(this.#event('step-completed', { attempts }))) {
			this.completed.add(this.step.id);
		}
	}

	async requestHelp(): Promise<void> {
		if (await this.#record(this.#event('help-requested'))) this.helpRequested = true;
	}

	async checkpoint(name: string): Promise<void> {
		await this.#record(this.#event('checkpoint-reached', { checkpoint: name }));
	}

	/** Keeps the unfinished answer; written shortly after the last change. */
	setDraft(value: unknown): void {
		this.draft = value;
		const stepId = this.step.id;
		const snapshot = $state.snapshot(value);
		this.#pendingDraft = async () => {
			await this.app.guard(() => saveDraft(this.app.db, this.ref, stepId, snapshot));
		};
		clearTimeout(this.#draftTimer);
		this.#draftTimer = setTimeout(() => void this.flushDraft(), DRAFT_DELAY_MS);
	}

	async flushDraft(): Promise<void> {
		clearTimeout(this.#draftTimer);
		const pending = this.#pendingDraft;
		this.#pendingDraft = null;
		if (pending) await pending();
	}
}
