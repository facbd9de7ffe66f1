/**
 * Turns an HTTP request into a sync call and its reply into JSON; never a 5xx for bad input.
 * Only an enrolled device, with its credential, may sync, and only as itself. Every answer is
 * counted for the metrics, with the fate of each pushed mutation and the device's outbox.
 */
import { json } from '@sveltejs/kit';
import type { OfficeDatabase } from '../db/connection';
import { authenticateDevice, bearer } from '../auth/devices';
import { errorFields, log } from '../log';
import { office } from '../office';
import { countSync, observeOutbox, type DeviceOutbox, type SyncKind } from '../ops/metrics';
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
	const kind: SyncKind = new URL(request.url).pathname.endsWith('/push') ? 'push' : 'pull';
	const response = await answer(request, handler, kind);
	// An applied request was counted with what it carried; a refusal only by its status.
	if (response.status !== 200) countSync(kind, response.status);
	return response;
}

/** Counts what an applied push tells: each mutation's fate and the device's queue. */
function countApplied<T>(kind: SyncKind, input: unknown, reply: Reply<T>): void {
	const body = reply.body as { results?: { status: 'accepted' | 'duplicate' | 'rejected' }[] };
	countSync(kind, reply.status, kind === 'push' ? (body.results ?? []) : []);
	// The request passed validation, so an outbox it carries has the protocol's shape.
	const outbox = (input as { outbox?: DeviceOutbox }).outbox;
	if (kind === 'push' && outbox) observeOutbox(outbox);
}

async function answer<T>(
	request: Request,
	handler: (office: OfficeDatabase, input: unknown) => Promise<Reply<T>>,
	kind: SyncKind
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
		if (reply.status === 200) countApplied(kind, input, reply);
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
