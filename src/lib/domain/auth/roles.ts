/**
 * Who may do what. Admins run the office (staff, places, devices, audit); coordinators of the
 * education department see every place and its reports and enrol tablets; volunteers work at
 * the places they are assigned to.
 */
export const ROLES = ['admin', 'coordinator', 'volunteer'] as const;
export type Role = (typeof ROLES)[number];

export const LOCATION_KINDS = ['library', 'senior-centre', 'volunteer-office', 'other'] as const;
export type LocationKind = (typeof LOCATION_KINDS)[number];

export type Permission =
	| 'staff.manage'
	| 'locations.manage'
	| 'audit.read'
	| 'devices.manage'
	| 'devices.read'
	| 'reports.read'
	| 'learners.manage'
	| 'privacy.manage'
	| 'courses.manage'
	| 'volunteer.work';

const GRANTS: Record<Role, readonly Permission[]> = {
	admin: [
		'staff.manage',
		'locations.manage',
		'audit.read',
		'devices.manage',
		'devices.read',
		'reports.read',
		'learners.manage',
		'privacy.manage',
		'courses.manage',
		'volunteer.work'
	],
	// The education department keeps the courses and the practice pages current.
	coordinator: [
		'devices.manage',
		'devices.read',
		'reports.read',
		'learners.manage',
		'courses.manage',
		'volunteer.work'
	],
	volunteer: ['devices.read', 'volunteer.work']
};

export function can(role: Role, permission: Permission): boolean {
	return GRANTS[role].includes(permission);
}

export interface StaffScope {
	role: Role;
	/** The places a volunteer is assigned to; ignored for the other roles. */
	locationIds: readonly string[];
}

/** Admins and coordinators work across the whole city; a volunteer only at their places. */
export function seesAllLocations(role: Role): boolean {
	return role !== 'volunteer';
}

export function inScope(scope: StaffScope, locationId: string | null): boolean {
	if (seesAllLocations(scope.role)) return true;
	return locationId !== null && scope.locationIds.includes(locationId);
}
