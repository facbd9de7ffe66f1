/** Enrols this device with a code from the office (typed, or read from the QR). Online. */
import { normalizeCode } from '../../domain/auth/codes';
import type { EnrolResponse } from '../../sync/accounts';
import type { LernlotseDatabase } from '../db/database';
import type { Device } from '../db/device';
import { saveEnrolment, type Enrolment } from '../db/enrolment';
import { callOffice } from './office-call';

export type EnrolResult = { ok: true; enrolment: Enrolment } | { ok: false; problem: string };

export async function enrolDevice(
	db: LernlotseDatabase,
	device: Device,
	input: { code: string; name: string },
	fetcher: typeof fetch = fetch
): Promise<EnrolResult> {
	const code = normalizeCode(input.code);
	if (!code) return { ok: false, problem: 'device:enrol.malformed' };
	const answer = await callOffice<EnrolResponse>(
		'/api/devices/enrol',
		{ code, deviceId: device.id, name: input.name.trim().slice(0, 80) },
		{ prefix: 'device:enrol', fetcher }
	);
	if (!answer.ok) return answer;
	const body = answer.body;
	const enrolment: Enrolment = {
		credential: body.credential,
		kind: 'location',
		location: body.location,
		enrolledAt: new Date().toISOString()
	};
	await saveEnrolment(db, enrolment);
	return { ok: true, enrolment };
}
