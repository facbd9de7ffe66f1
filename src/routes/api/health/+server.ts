import { json } from '@sveltejs/kit';
import { sql } from 'kysely';
import { office } from '$lib/server/office';
import type { RequestHandler } from './$types';

/** Liveness and readiness in one: the process answers and its database answers. */
export const GET: RequestHandler = async () => {
	try {
		const { db, dialect } = await office();
		await sql`select 1`.execute(db);
		return json({ status: 'ok', database: dialect });
	} catch {
		return json({ status: 'unavailable' }, { status: 503 });
	}
};
