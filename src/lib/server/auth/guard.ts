/**
 * Server-side checks of role and place for every office page, action and staff endpoint.
 * Pages send a signed-out person to sign in; endpoints answer 401/403 with no data.
 */
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { can, inScope, type Permission } from '../../domain/auth/roles';
import { office } from '../office';
import { audit } from './audit';
import type { SignedInStaff } from './sessions';

/** A refused request is written down for the admins, without holding up the answer. */
function noteDenied(staff: SignedInStaff, path: string, reason: string): void {
	// Started from a resolved promise: even an office that throws at once cannot break the answer.
	void Promise.resolve()
		.then(office)
		.then((o) =>
			audit(o.db, {
				action: 'access',
				outcome: 'denied',
				staffId: staff.id,
				target: path,
				details: { reason }
			})
		)
		.catch(() => undefined);
}

/** The signed-in person, or a redirect to the sign-in page (then back to where they were). */
export function requireStaff(
	event: Pick<RequestEvent, 'locals' | 'url'>,
	permission?: Permission
): SignedInStaff {
	const staff = event.locals.staff;
	if (!staff) {
		const back = event.url.pathname + event.url.search;
		redirect(303, `/office/sign-in?next=${encodeURIComponent(back)}`);
	}
	if (staff.mustChangePassword && !event.url.pathname.startsWith('/office/account')) {
		redirect(303, '/office/account?required=1');
	}
	if (permission && !can(staff.role, permission)) {
		noteDenied(staff, event.url.pathname, permission);
		error(403, 'office:errors.forbidden');
	}
	return staff;
}

/** Refuses a place outside the person's scope with the same answer as a missing one. */
export function requireLocation(staff: SignedInStaff, locationId: string | null): void {
	if (!inScope(staff, locationId)) {
		noteDenied(staff, `location:${locationId}`, 'out-of-scope');
		error(404, 'office:errors.notFound');
	}
}

/** Null for admins and coordinators (every place), else the places of a volunteer. */
export function locationFilter(staff: SignedInStaff): string[] | null {
	return staff.role === 'volunteer' ? staff.locationIds : null;
}
