/**
 * Turns an HTTP request into a sync call and its reply into JSON; never a 5xx for bad input.
 * Only an enrolled device, with its credential, may sync, and only as itself.
 */
import { json } from '@sveltejs/kit';
import type { OfficeDatabase } from '../db/connection';
import { authenticateDevice, bearer } from '../auth/devices';
import { errorFields, log } from '../log';
import { office } from '../office';
import type { Reply } from './reply';

const MESSAGES = {
	'device-not-enrolled':
		'This device is not enrolled with the office. Ask a staff member for a code.',
	'device-revoked': 'This device was removed from the office. What it holds stays on it.'
};

export async function syncEndpoint<T>(
	request: Request,
	handler: (office: OfficeDatabase, input: unknown) => Promise<Reply<T>>
): Promise<Response> {
	let input: unknown;
	try {
		input = await request.json();
	} catch {
		return json({ error: 'invalid-request', message: 'the body is not JSON' }, { status: 400 });
	}
	try {
		const db = await office();
		const deviceId = (input as { deviceId?: unknown } | null)?.deviceId;
		if (typeof deviceId !== 'string') {
			return json({ error: 'invalid-request', message: 'deviceId: missing' }, { status: 400 });
		}
		const check = await authenticateDevice(db, deviceId, bearer(request));
		if (!check.ok) {
			return json(
				{ error: check.error, message: MESSAGES[check.error] },
				{ status: check.error === 'device-revoked' ? 403 : 401 }
			);
		}
		const reply = await handler(db, input);
		return json(reply.body, { status: reply.status });
	} catch (error) {
		log.error('sync failed', errorFields(error));
		return json(
			{
				error: 'server-error',
				message:
					'The office server could not save this. Nothing was lost; the device will send it again.'
			},
			{ status: 503 }
		);
	}
}
