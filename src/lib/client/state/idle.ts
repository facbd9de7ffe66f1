/**
 * Notices when nobody has touched the tablet for a while: a learner who walked away is taken
 * back to the picture screen, so the next person does not land in their profile.
 */
export const LEARNER_IDLE_MS = 15 * 60_000;
export const VOLUNTEER_IDLE_MS = 10 * 60_000;

export function watchIdle(onCheck: (idleMs: number) => void, everyMs = 15_000): () => void {
	let last = Date.now();
	const active = () => (last = Date.now());
	const events = ['pointerdown', 'keydown', 'scroll', 'touchstart'] as const;
	for (const name of events) window.addEventListener(name, active, { passive: true });
	const timer = setInterval(() => onCheck(Date.now() - last), everyMs);
	return () => {
		clearInterval(timer);
		for (const name of events) window.removeEventListener(name, active);
	};
}
