import { error } from '@sveltejs/kit';
import QRCode from 'qrcode';
import { locationFilter, requireLocation, requireStaff } from '$lib/server/auth/guard';
import { createEnrolmentCode, listDevices, revokeDevice } from '$lib/server/auth/devices';
import { listLocations } from '$lib/server/auth/locations';
import { field, refused } from '$lib/server/forms';
import { office } from '$lib/server/office';
import type { Actions, PageServerLoad } from './$types';

export const load = (async (event) => {
	const staff = requireStaff(event, 'devices.read');
	const db = await office();
	const scope = locationFilter(staff);
	const [devices, locations] = await Promise.all([listDevices(db, scope), listLocations(db)]);
	return {
		devices,
		locations: locations.filter((l) => !l.archived && (scope === null || scope.includes(l.id))),
		canManage: staff.role !== 'volunteer'
	};
}) satisfies PageServerLoad;

export const actions = {
	code: async (event) => {
		const staff = requireStaff(event, 'devices.manage');
		const data = await event.request.formData();
		const locationId = field(data, 'locationId', 60);
		requireLocation(staff, locationId);
		const made = await createEnrolmentCode(await office(), locationId, { staffId: staff.id });
		if (!made.ok) return refused(made, { locationId });
		const link = `${event.url.origin}/device?code=${made.value.code}`;
		const qr = await QRCode.toString(link, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
		return { code: made.value.code, expiresAt: made.value.expiresAt, locationId, link, qr };
	},
	revoke: async (event) => {
		const staff = requireStaff(event, 'devices.manage');
		const data = await event.request.formData();
		const id = field(data, 'id', 60);
		const db = await office();
		const device = (await listDevices(db, null)).find((d) => d.id === id);
		if (!device) error(404, 'office:errors.notFound');
		// A device of another place answers like a missing one (and is written down).
		requireLocation(staff, device.locationId);
		const done = await revokeDevice(db, id, { staffId: staff.id });
		return done.ok ? { revoked: id } : refused(done);
	}
} satisfies Actions;
