/** What every step component receives from the lesson player. */
export interface StepProps<S, D> {
	step: S;
	/** The unfinished answer saved for this step, if any. */
	draft: D | undefined;
	/** True once the step was completed, now or in an earlier visit. */
	done: boolean;
	onDraft: (value: D) => void;
	onComplete: (attempts: number) => void;
	onCheckpoint?: (name: string) => void;
}
