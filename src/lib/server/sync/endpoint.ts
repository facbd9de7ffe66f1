/** Turns an HTTP request into a sync call and its reply into JSON; never a 5xx for bad input. */
import { json } from '@sveltejs/kit';
import type { OfficeDatabase } from '../db/connection';
import { errorFields, log } from '../log';
import { office } from '../office';
import type { Reply } from './reply';

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
		const reply = await handler(await office(), input);
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
