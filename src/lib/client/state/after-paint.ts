/**
 * Resolves once the browser has painted what is on screen now (a frame, then a task), or after
 * a second at most: a tab in the background paints no frames and must still get on with its
 * work. Network work that can wait starts here, so it never competes with the first paint.
 */
export function afterFirstPaint(ceilingMs = 1000): Promise<void> {
	return new Promise((resolve) => {
		const done = () => resolve();
		requestAnimationFrame(() => setTimeout(done, 0));
		setTimeout(done, ceilingMs);
	});
}
