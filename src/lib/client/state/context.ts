/** Typed context for the learner face's state: one instance per tab, never a module global. */
import { getContext, setContext } from 'svelte';
import { DEFAULT_CITY, type CityDressing } from '../../domain/city';
import type { AppState } from './app.svelte';

const KEY = Symbol('lernlotse.app');
const CITY_KEY = Symbol('lernlotse.city');
const DEFAULT_DRESSING: CityDressing = { ...DEFAULT_CITY, arms: null };

export function provideApp(app: AppState): AppState {
	return setContext(KEY, app);
}

export function useApp(): AppState {
	const app = getContext<AppState | undefined>(KEY);
	if (!app) throw new Error('useApp() outside the app layout');
	return app;
}

/**
 * The city the practice pages are dressed as, for lesson components: the learner face gives
 * the device's, the office preview the office's. Read through a function, so it stays live.
 */
export function provideCity(city: () => CityDressing): void {
	setContext(CITY_KEY, city);
}

export function useCity(): () => CityDressing {
	return getContext<(() => CityDressing) | undefined>(CITY_KEY) ?? (() => DEFAULT_DRESSING);
}
