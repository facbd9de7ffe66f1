import { json } from '@sveltejs/kit';
import { bearer } from '$lib/server/auth/devices';
import { redeemCard } from '$lib/server/auth/cards';
import { problemResponse, readJson } from '$lib/server/api';
import { office } from '$lib/server/office';
import { RedeemRequest, type RedeemResponse } from '$lib/sync/accounts';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ request, getClientAddress }) => {
	const body = await readJson(request, RedeemRequest);
	if (!body.ok) return body.response;
	const done = await redeemCard(await office(), {
		...body.value,
		credential: bearer(request),
		address: getClientAddress()
	});
	if (!done.ok) return problemResponse(done);
	return json(done.value satisfies RedeemResponse);
};
