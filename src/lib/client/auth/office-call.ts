/**
 * One request of the tablet pages to the office (enrol, card, volunteer sign-in): JSON both
 * ways, the device credential when there is one, and every failure as a translation key of the
 * page's own (`<prefix>.offline`, `<prefix>.failed`, or the office's refusal).
 */
import type { RefusedResponse } from '../../sync/accounts';

export type OfficeAnswer<T> = { ok: true; body: T } | { ok: false; problem: string };

export async function callOffice<T>(
	path: string,
	body: unknown,
	options: { prefix: string; credential?: string | null; fetcher?: typeof fetch }
): Promise<OfficeAnswer<T>> {
	let response: Response;
	try {
		response = await (options.fetcher ?? fetch)(path, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				...(options.credential ? { authorization: `Bearer ${options.credential}` } : {})
			},
			body: JSON.stringify(body),
			cache: 'no-store'
		});
	} catch {
		return { ok: false, problem: `${options.prefix}.offline` };
	}
	const answer = (await response.json().catch(() => null)) as T | RefusedResponse | null;
	if (!response.ok || answer === null) {
		const refusal = (answer as RefusedResponse | null)?.problem;
		return { ok: false, problem: refusal ?? `${options.prefix}.failed` };
	}
	return { ok: true, body: answer as T };
}
