/**
 * Tells whether a course's files are in the service worker's cache, so each course can say
 * honestly whether it works without a connection, and how far its first download has got.
 */
export interface OfflineReadiness {
	cached: number;
	total: number;
	/** False where the browser has no service worker or cache: nothing can be promised. */
	supported: boolean;
}

export async function offlineReadiness(urls: readonly string[]): Promise<OfflineReadiness> {
	if (typeof caches === 'undefined' || !('serviceWorker' in navigator)) {
		return { cached: 0, total: urls.length, supported: false };
	}
	const hits = await Promise.all(urls.map((url) => caches.match(url).then((r) => !!r)));
	return { cached: hits.filter(Boolean).length, total: urls.length, supported: true };
}
