/** JSON over HTTP to the office server, with a time limit: a shaky Wi-Fi must not hang a sync. */
export class NetworkError extends Error {}

export interface JsonReply {
	status: number;
	body: unknown;
}

export type Transport = (path: string, body: unknown) => Promise<JsonReply>;

/** `credential` is read before each request: enrolment can change while the app runs. */
export function httpTransport(
	base = '',
	timeoutMs = 20_000,
	credential: () => Promise<string | null> = async () => null
): Transport {
	return async (path, body) => {
		const controller = new AbortController();
		const timer = setTimeout(() => controller.abort(), timeoutMs);
		try {
			const secret = await credential();
			const response = await fetch(base + path, {
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					...(secret ? { authorization: `Bearer ${secret}` } : {})
				},
				body: JSON.stringify(body),
				signal: controller.signal,
				cache: 'no-store'
			});
			const text = await response.text();
			let parsed: unknown = null;
			try {
				parsed = text ? JSON.parse(text) : null;
			} catch {
				// a proxy's HTML error page: treat like the server being away
				throw new NetworkError(`HTTP ${response.status} without JSON`);
			}
			return { status: response.status, body: parsed };
		} catch (error) {
			throw error instanceof NetworkError ? error : new NetworkError(String(error));
		} finally {
			clearTimeout(timer);
		}
	};
}
