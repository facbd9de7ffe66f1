/** Volunteer mode's view of the app: who acts, at which place, with which colleagues. */
import type { Actor } from '../db/sessions';
import type { AppState } from './app.svelte';

export function actorOf(app: AppState): Actor | null {
	if (!app.volunteer) return null;
	return {
		device: app.device,
		staffId: app.volunteer.staff.id,
		locationId: app.volunteer.location.id
	};
}

/** The place's volunteers as the tablet learnt them at sign-in (the volunteer at least). */
export function colleaguesOf(app: AppState): { id: string; name: string }[] {
	const volunteer = app.volunteer;
	if (!volunteer) return [];
	const known = volunteer.colleagues ?? [];
	const self = { id: volunteer.staff.id, name: volunteer.staff.name };
	return known.some((c) => c.id === self.id) ? known : [self, ...known];
}

/** Today on this tablet's calendar, as "2026-12-01". */
export function localToday(now = new Date()): string {
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
