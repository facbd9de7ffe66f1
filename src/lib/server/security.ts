/**
 * Request hardening shared by every route: a cross-site request that would act with a staff
 * cookie is refused (CSRF), and every dynamic response carries security headers. The
 * Content-Security-Policy itself comes from svelte.config.js, with hashes for inline scripts.
 */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A state-changing request must come from our own pages. Browsers send `Origin` on every
 * POST; a request without one (a script on a server) carries no ambient cookie worth
 * forging, and device sync authenticates with a header that other sites cannot set.
 */
export function isCrossSiteWrite(request: Request, ownOrigin: string): boolean {
	if (SAFE_METHODS.has(request.method)) return false;
	const origin = request.headers.get('origin');
	if (origin !== null) return origin !== ownOrigin;
	return request.headers.get('sec-fetch-site') === 'cross-site';
}

export function securityHeaders(secure: boolean): Record<string, string> {
	return {
		'x-content-type-options': 'nosniff',
		'x-frame-options': 'DENY',
		'referrer-policy': 'same-origin',
		'cross-origin-opener-policy': 'same-origin',
		'cross-origin-resource-policy': 'same-origin',
		// The camera reads QR codes on cards; nothing else is needed.
		'permissions-policy': 'camera=(self), microphone=(), geolocation=(), payment=(), usb=()',
		...(secure ? { 'strict-transport-security': 'max-age=31536000' } : {})
	};
}
