/**
 * Rotating a device's credential, for when it may have leaked (a tablet's storage copied, a
 * device sent for repair). The office cannot hand a new secret to a tablet over any channel
 * the tablet trusts except enrolment, so rotation forgets the credential: the old one stops
 * working at once, the device is told it is not enrolled (401) and asks for enrolment, keeps
 * everything it holds, and sends it after it enrols again with a new code (a place's tablet)
 * or a learner card (a learner's own device). Its id, learners and sequence stay as they were.
 */
import { audit } from '../auth/audit';
import type { OfficeDatabase } from '../db/connection';

export type Rotation =
	| { ok: true; kind: 'location' | 'personal'; locationName: string | null }
	| { ok: false; reason: 'unknown' | 'not-enrolled' | 'revoked' };

export async function rotateDeviceCredential(
	office: OfficeDatabase,
	deviceId: string
): Promise<Rotation> {
	return office.db.transaction().execute(async (tx): Promise<Rotation> => {
		const device = await tx
			.selectFrom('devices')
			.leftJoin('locations', 'locations.id', 'devices.location_id')
			.select([
				'devices.kind',
				'devices.credential_hash',
				'devices.revoked_at',
				'devices.location_id',
				'locations.name'
			])
			.where('devices.id', '=', deviceId)
			.executeTakeFirst();
		if (!device) return { ok: false, reason: 'unknown' };
		if (!device.kind || !device.credential_hash) return { ok: false, reason: 'not-enrolled' };
		// A revoked device stays revoked (403) until staff decide; rotating would turn that
		// into "not enrolled" and hide the decision.
		if (device.revoked_at) return { ok: false, reason: 'revoked' };
		await tx
			.updateTable('devices')
			.set({ credential_hash: null })
			.where('id', '=', deviceId)
			.execute();
		await audit(tx, {
			action: 'device.rotate',
			deviceId,
			target: deviceId,
			locationId: device.location_id
		});
		return { ok: true, kind: device.kind, locationName: device.name ?? null };
	});
}
