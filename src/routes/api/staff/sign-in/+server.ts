/**
 * A volunteer signs in on an enrolled tablet, once, online. The tablet then keeps a PIN check
 * of its own for offline unlocking; no session cookie is left on the shared tablet.
 */
import { json } from '@sveltejs/kit';
import { problemResponse, readJson } from '$lib/server/api';
import { authenticateDevice, bearer } from '$lib/server/auth/devices';
import { audit } from '$lib/server/auth/audit';
import { problem } from '$lib/server/auth/outcome';
import { colleaguesAt, signIn } from '$lib/server/auth/staff';
import { office } from '$lib/server/office';
import { inScope, type Role } from '$lib/domain/auth/roles';
import { StaffSignInRequest, type StaffSignInResponse } from '$lib/sync/accounts';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ request, getClientAddress }) => {
	const body = await readJson(request, StaffSignInRequest);
	if (!body.ok) return body.response;
	const db = await office();
	const device = await authenticateDevice(db, body.value.deviceId, bearer(request));
	if (!device.ok && device.error === 'device-revoked') {
		return problemResponse(problem('device:volunteer.deviceRevoked'));
	}
	if (!device.ok || device.device.kind !== 'location' || !device.device.locationId) {
		return problemResponse(problem('device:volunteer.deviceNotEnrolled'));
	}
	const result = await signIn(db, {
		email: body.value.email,
		password: body.value.password,
		address: getClientAddress(),
		deviceId: device.device.id,
		session: false
	});
	if (!result.ok)
		return problemResponse(problem(result.problem.replace('office:', 'device:volunteer.')));
	const row = await db.db
		.selectFrom('staff')
		.select(['id', 'display_name', 'email', 'role'])
		.where('id', '=', result.staffId)
		.executeTakeFirstOrThrow();
	const locationIds = (
		await db.db
			.selectFrom('staff_locations')
			.select('location_id')
			.where('staff_id', '=', row.id)
			.execute()
	).map((l) => l.location_id);
	const locationId = device.device.locationId;
	if (!inScope({ role: row.role as Role, locationIds }, locationId)) {
		await audit(db.db, {
			action: 'volunteer.unlock-setup',
			outcome: 'denied',
			staffId: row.id,
			deviceId: device.device.id,
			locationId
		});
		return problemResponse(problem('device:volunteer.notHere'));
	}
	const location = await db.db
		.selectFrom('locations')
		.select(['id', 'name'])
		.where('id', '=', locationId)
		.executeTakeFirstOrThrow();
	await audit(db.db, {
		action: 'volunteer.unlock-setup',
		staffId: row.id,
		deviceId: device.device.id,
		locationId
	});
	// The place's volunteers, by name, so a session can say who runs it even offline.
	const colleagues = await colleaguesAt(db, locationId);
	return json({
		staff: { id: row.id, name: row.display_name, email: row.email, role: row.role as Role },
		location,
		colleagues
	} satisfies StaffSignInResponse);
};
