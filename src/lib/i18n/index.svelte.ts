/**
 * i18next for the browser faces. Locale files load on demand (each is its own small chunk,
 * precached by the service worker); `t` reads a reactive language so components re-render
 * when the learner changes it.
 */
import i18next, { type TOptions } from 'i18next';
import { DEFAULT_LANGUAGE, NAMESPACES, directionOf, type LanguageCode } from './languages';

const files = import.meta.glob<{ default: Record<string, unknown> }>('./locales/*/*.json');

class Locale {
	current = $state<LanguageCode>(DEFAULT_LANGUAGE);
}
export const locale = new Locale();

async function loadLanguage(lang: LanguageCode): Promise<void> {
	await Promise.all(
		NAMESPACES.filter((ns) => !i18next.hasResourceBundle(lang, ns)).map(async (ns) => {
			const load = files[`./locales/${lang}/${ns}.json`];
			if (!load) throw new Error(`missing locale file ${lang}/${ns}.json`);
			i18next.addResourceBundle(lang, ns, (await load()).default, true, true);
		})
	);
}

export async function setLanguage(lang: LanguageCode): Promise<void> {
	if (!i18next.isInitialized) {
		await i18next.init({
			lng: lang,
			fallbackLng: DEFAULT_LANGUAGE,
			ns: [...NAMESPACES],
			defaultNS: 'common',
			resources: {},
			interpolation: { escapeValue: false },
			returnNull: false
		});
	}
	await Promise.all([loadLanguage(lang), loadLanguage(DEFAULT_LANGUAGE)]);
	await i18next.changeLanguage(lang);
	locale.current = lang;
	if (typeof document !== 'undefined') {
		document.documentElement.lang = lang;
		document.documentElement.dir = directionOf(lang);
	}
}

export function t(key: string, options?: TOptions): string {
	void locale.current; // subscribe: a language change re-renders every translated string
	return i18next.t(key, options) as string;
}
