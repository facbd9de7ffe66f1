/**
 * The learner's display choices on the page: `data-contrast` switches the colours (app.css),
 * the root font size scales every rem. Without a learner, or with the default contrast, the
 * device's own wish for more contrast (`prefers-contrast: more`) is followed.
 */
import { DEFAULT_DISPLAY, displayOf, type DisplayPrefs } from '../domain/display';
import type { LernlotseDatabase } from './db/database';
import type { LearnerRecord } from './db/records';

const MORE_CONTRAST = '(prefers-contrast: more)';

/** Tells `onChange` whether the device asks for more contrast: now, and whenever it is switched. */
export function watchDeviceContrast(onChange: (wantsMore: boolean) => void): () => void {
	const query = window.matchMedia?.(MORE_CONTRAST);
	if (!query) return () => {};
	const tell = () => onChange(query.matches);
	tell();
	query.addEventListener('change', tell);
	return () => query.removeEventListener('change', tell);
}

export function applyDisplay(
	prefs: DisplayPrefs = DEFAULT_DISPLAY,
	deviceWantsMore = window.matchMedia?.(MORE_CONTRAST).matches ?? false
): void {
	if (typeof document === 'undefined') return;
	const root = document.documentElement;
	root.dataset.contrast = prefs.contrast === 'high' || deviceWantsMore ? 'high' : 'normal';
	root.style.fontSize = prefs.textSize === 100 ? '' : `${prefs.textSize}%`;
}

export async function saveDisplay(
	db: LernlotseDatabase,
	learnerId: string,
	prefs: DisplayPrefs
): Promise<LearnerRecord | undefined> {
	await db.learners.update(learnerId, { display: displayOf(prefs) });
	return db.learners.get(learnerId);
}
