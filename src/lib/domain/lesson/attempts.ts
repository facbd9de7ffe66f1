/**
 * How much help a learner gets after misses. Nobody gets stuck: after the third miss the
 * answer is shown.
 */
export const HINT_AFTER_MISSES = 2;
export const ANSWER_AFTER_MISSES = 3;

export type HelpLevel = 'none' | 'hint' | 'answer';

export function helpLevel(misses: number): HelpLevel {
	if (misses >= ANSWER_AFTER_MISSES) return 'answer';
	if (misses >= HINT_AFTER_MISSES) return 'hint';
	return 'none';
}

/** A stable shuffle, so a reload shows the same order and a test can know it. */
export function shuffledOrder<T extends { id: string }>(items: readonly T[], seed: string): T[] {
	if (items.length < 2) return [...items];
	const score = (id: string) => {
		let h = 2166136261;
		for (const ch of seed + '|' + id) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
		return h >>> 0;
	};
	const shuffled = [...items].sort((a, b) => score(a.id) - score(b.id));
	// A shuffle that happens to equal the answer teaches nothing: rotate it by one.
	const inOrder = shuffled.every((item, i) => item.id === items[i]!.id);
	return inOrder ? [...shuffled.slice(1), shuffled[0]!] : shuffled;
}

export function isInOrder(ids: readonly string[], correct: readonly { id: string }[]): boolean {
	return ids.length === correct.length && ids.every((id, i) => id === correct[i]!.id);
}

/** Which places of the learner's order are already right, for the hint after a miss. */
export function correctPlaces(
	ids: readonly string[],
	correct: readonly { id: string }[]
): boolean[] {
	return ids.map((id, i) => correct[i]?.id === id);
}
