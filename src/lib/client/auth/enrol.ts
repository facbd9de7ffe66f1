/** Enrols this device with a code from the office (typed, or read from the QR). Online. */
import { normalizeCode } from '../../domain/auth/codes';
import type { EnrolResponse, RefusedResponse } from '../../sync/accounts';
import type { LernlotseDatabase } from '../db/database';
import type { Device } from '../db/device';
import { saveEnrolment, type Enrolment } from '../db/enrolment';

export type EnrolResult = { ok: true; enrolment: Enrolment } | { ok: false; problem: string };

export async function enrolDevice(
	db: LernlotseDatabase,
	device: Device,
	input: { code: string; name: string },
	fetcher: typeof fetch = fetch
): Promise<EnrolResult> {
	const code = normalizeCode(input.code);
	if (!code) return { ok: false, problem: 'device:enrol.malformed' };
	let response: Response;
	try {
		response = await fetcher('/api/devices/enrol', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ code, deviceId: device.id, name: input.name.trim().slice(0, 80) }),
			cache: 'no-store'
		});
	} catch {
		return { ok: false, problem: 'device:enrol.offline' };
	}
	const body = (await response.json().catch(() => null)) as EnrolResponse | RefusedResponse | null;
	if (!response.ok || !body || !('credential' in body)) {
		return {
			ok: false,
			problem: (body as RefusedResponse | null)?.problem ?? 'device:enrol.failed'
		};
	}
	const enrolment: Enrolment = {
		credential: body.credential,
		kind: 'location',
		location: body.location,
		enrolledAt: new Date().toISOString()
	};
	await saveEnrolment(db, enrolment);
	return { ok: true, enrolment };
}
