/**
 * Resolves once the browser has painted what is on screen and has nothing urgent left to do
 * (a frame, then an idle moment), or after two seconds at most: a tab in the background paints
 * no frames and must still get on with its work. Network work that can wait starts here, so
 * it never competes with the page a person is waiting for.
 */
export function afterPageSettles(ceilingMs = 2000): Promise<void> {
	return new Promise((resolve) => {
		const done = () => resolve();
		const idle = () =>
			'requestIdleCallback' in window
				? requestIdleCallback(done, { timeout: ceilingMs })
				: setTimeout(done, 0);
		requestAnimationFrame(() => setTimeout(idle, 0));
		setTimeout(done, ceilingMs);
	});
}
