/**
 * Removes every learner, all progress, the enrolment and the volunteer unlock from this
 * device: for a tablet that leaves service or was found after it went missing. The app and
 * its courses (no personal data) stay in the service worker's cache.
 */
import type { LernlotseDatabase } from './database';

export async function wipeDevice(db: LernlotseDatabase): Promise<void> {
	await db.delete({ disableAutoOpen: true });
	sessionStorage.clear();
}
