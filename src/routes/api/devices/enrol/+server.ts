import { json } from '@sveltejs/kit';
import { enrolDevice } from '$lib/server/auth/devices';
import { problemResponse, readJson } from '$lib/server/api';
import { office } from '$lib/server/office';
import { EnrolRequest, type EnrolResponse } from '$lib/sync/accounts';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ request, getClientAddress }) => {
	const body = await readJson(request, EnrolRequest);
	if (!body.ok) return body.response;
	const done = await enrolDevice(await office(), { ...body.value, address: getClientAddress() });
	if (!done.ok) return problemResponse(done);
	return json(done.value satisfies EnrolResponse);
};
