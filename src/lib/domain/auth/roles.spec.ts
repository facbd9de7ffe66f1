import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ROLES, can, inScope, seesAllLocations, type Permission, type Role } from './roles';

/** Who may do what, as the office's rules state it; a change to the grants must change this. */
const EXPECTED: Record<Role, Permission[]> = {
	admin: [
		'audit.read',
		'devices.manage',
		'devices.read',
		'locations.manage',
		'reports.read',
		'staff.manage',
		'volunteer.work'
	],
	coordinator: ['devices.manage', 'devices.read', 'reports.read', 'volunteer.work'],
	volunteer: ['devices.read', 'volunteer.work']
};
const PERMISSIONS = EXPECTED.admin;

const placeId = fc.constantFrom('place-a', 'place-b', 'place-c', 'place-d');

describe('can', () => {
	it.each(ROLES)('grants a %s exactly their permissions', (role) => {
		const granted = PERMISSIONS.filter((p) => can(role, p));
		expect(granted).toEqual(EXPECTED[role]);
	});

	it('gives a coordinator everything a volunteer may, and an admin everything a coordinator may', () => {
		for (const permission of PERMISSIONS) {
			if (can('volunteer', permission)) expect(can('coordinator', permission)).toBe(true);
			if (can('coordinator', permission)) expect(can('admin', permission)).toBe(true);
		}
	});
});

describe('inScope', () => {
	it('lets admins and coordinators work at every place, whatever places they are linked to', () => {
		fc.assert(
			fc.property(
				fc.constantFrom<Role>('admin', 'coordinator'),
				fc.array(placeId),
				fc.option(placeId),
				(role, locationIds, place) => {
					expect(seesAllLocations(role)).toBe(true);
					expect(inScope({ role, locationIds }, place)).toBe(true);
				}
			)
		);
	});

	it('lets a volunteer work only at the places they are assigned to', () => {
		expect(seesAllLocations('volunteer')).toBe(false);
		fc.assert(
			fc.property(fc.array(placeId), placeId, (locationIds, place) => {
				expect(inScope({ role: 'volunteer', locationIds }, place)).toBe(
					locationIds.includes(place)
				);
			})
		);
	});

	it('keeps a volunteer out of a thing that belongs to no place', () => {
		expect(inScope({ role: 'volunteer', locationIds: ['place-a'] }, null)).toBe(false);
		expect(inScope({ role: 'volunteer', locationIds: [] }, null)).toBe(false);
	});
});
