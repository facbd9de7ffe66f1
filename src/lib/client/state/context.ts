/** Typed context for the learner face's state: one instance per tab, never a module global. */
import { getContext, setContext } from 'svelte';
import type { AppState } from './app.svelte';

const KEY = Symbol('lernlotse.app');

export function provideApp(app: AppState): AppState {
	return setContext(KEY, app);
}

export function useApp(): AppState {
	const app = getContext<AppState | undefined>(KEY);
	if (!app) throw new Error('useApp() outside the app layout');
	return app;
}
