/**
 * i18next for the browser faces. Locale files load on demand (each is its own small chunk,
 * precached by the service worker): the core namespaces with every language, the others when
 * a page asks for them, so the learner's pages do not carry the office's words. `t` reads a
 * reactive language so components re-render when the learner changes it.
 */
import i18next, { type TOptions } from 'i18next';
import {
	CORE_NAMESPACES,
	DEFAULT_LANGUAGE,
	NAMESPACES,
	directionOf,
	interfaceOf,
	type LanguageCode,
	type Namespace
} from './languages';

const files = import.meta.glob<{ default: Record<string, unknown> }>('./locales/*/*.json');

class Locale {
	current = $state<LanguageCode>(DEFAULT_LANGUAGE);
	/** Goes up when a namespace arrives, so strings from it re-render. */
	loaded = $state(0);
}
export const locale = new Locale();

// Not reactive on purpose: `locale.loaded` tells components when a namespace has arrived.
// eslint-disable-next-line svelte/prefer-svelte-reactivity
const wanted = new Set<Namespace>(CORE_NAMESPACES);

async function loadLanguage(code: LanguageCode): Promise<void> {
	const lang = interfaceOf(code);
	await Promise.all(
		[...wanted]
			.filter((ns) => !i18next.hasResourceBundle(lang, ns))
			.map(async (ns) => {
				const load = files[`./locales/${lang}/${ns}.json`];
				if (!load) throw new Error(`missing locale file ${lang}/${ns}.json`);
				i18next.addResourceBundle(lang, ns, (await load()).default, true, true);
			})
	);
}

export async function setLanguage(lang: LanguageCode): Promise<void> {
	if (!i18next.isInitialized) {
		await i18next.init({
			lng: interfaceOf(lang),
			fallbackLng: DEFAULT_LANGUAGE,
			ns: [...NAMESPACES],
			defaultNS: 'common',
			resources: {},
			interpolation: { escapeValue: false },
			returnNull: false
		});
	}
	await Promise.all([loadLanguage(lang), loadLanguage(DEFAULT_LANGUAGE)]);
	await i18next.changeLanguage(interfaceOf(lang));
	locale.current = lang;
	if (typeof document !== 'undefined') {
		document.documentElement.lang = lang;
		document.documentElement.dir = directionOf(lang);
	}
}

/** Loads more namespaces in the current language (and the fallback) and keeps them loaded. */
export async function useNamespaces(...namespaces: Namespace[]): Promise<void> {
	for (const ns of namespaces) wanted.add(ns);
	await Promise.all([loadLanguage(locale.current), loadLanguage(DEFAULT_LANGUAGE)]);
	locale.loaded++;
}

/**
 * Words in a language other than the page's, e.g. a certificate in the learner's language
 * printed from a volunteer's German screen.
 */
export async function translatorFor(
	lang: LanguageCode,
	...namespaces: Namespace[]
): Promise<(key: string, options?: TOptions) => string> {
	for (const ns of namespaces) wanted.add(ns);
	await Promise.all([loadLanguage(lang), loadLanguage(DEFAULT_LANGUAGE)]);
	const fixed = i18next.getFixedT(interfaceOf(lang));
	return (key, options) => fixed(key, options) as string;
}

export function t(key: string, options?: TOptions): string {
	void locale.current; // subscribe: a language change re-renders every translated string
	void locale.loaded;
	return i18next.t(key, options) as string;
}
