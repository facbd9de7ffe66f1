/** JSON endpoints for devices: read a bounded body, answer problems as 4xx with a reason. */
import { json } from '@sveltejs/kit';
import * as v from 'valibot';
import { describeIssues } from '../sync/protocol';
import type { Outcome } from './auth/outcome';

const MAX_BODY = 4096;

export async function readJson<T extends v.GenericSchema>(
	request: Request,
	schema: T
): Promise<{ ok: true; value: v.InferOutput<T> } | { ok: false; response: Response }> {
	const body = await request.text();
	if (body.length > MAX_BODY) {
		return {
			ok: false,
			response: json({ error: 'invalid-request', message: 'too large' }, { status: 413 })
		};
	}
	let raw: unknown;
	try {
		raw = JSON.parse(body);
	} catch {
		return {
			ok: false,
			response: json({ error: 'invalid-request', message: 'the body is not JSON' }, { status: 400 })
		};
	}
	const parsed = v.safeParse(schema, raw);
	if (!parsed.success) {
		return {
			ok: false,
			response: json(
				{ error: 'invalid-request', message: describeIssues(parsed.issues) },
				{ status: 400 }
			)
		};
	}
	return { ok: true, value: parsed.output };
}

/** A refused request: the translation key the device shows, and a status that fits it. */
export function problemResponse(outcome: Outcome<unknown> & { ok: false }): Response {
	const status = /\.locked$/.test(outcome.problem)
		? 429
		: /deviceRevoked$/.test(outcome.problem)
			? 403
			: 400;
	return json({ error: 'refused', problem: outcome.problem }, { status });
}
