/**
 * The languages a learner can choose, each named in its own language, as a learner looks for
 * it. `ui` is the language of the interface's words: plain German ("Einfache Sprache", tagged
 * `de-x-simple`, private use: BCP 47 has no tag for it) has its own courses and the German
 * interface.
 */
export const LANGUAGES = [
	{ code: 'de', name: 'Deutsch', dir: 'ltr', ui: 'de' },
	{ code: 'de-x-simple', name: 'Einfache Sprache', dir: 'ltr', ui: 'de' },
	{ code: 'en', name: 'English', dir: 'ltr', ui: 'en' },
	{ code: 'tr', name: 'Türkçe', dir: 'ltr', ui: 'tr' },
	{ code: 'ar', name: 'العربية', dir: 'rtl', ui: 'ar' },
	{ code: 'uk', name: 'Українська', dir: 'ltr', ui: 'uk' },
	{ code: 'fa', name: 'فارسی', dir: 'rtl', ui: 'fa' }
] as const;

export type LanguageCode = (typeof LANGUAGES)[number]['code'];
/** The languages with their own translation files. */
export type InterfaceLanguage = (typeof LANGUAGES)[number]['ui'];
export const INTERFACE_LANGUAGES: readonly InterfaceLanguage[] = [
	...new Set(LANGUAGES.map((l) => l.ui))
];
export const DEFAULT_LANGUAGE = 'de' satisfies LanguageCode & InterfaceLanguage;

/** The interface language of a chosen language (German for plain German). */
export function interfaceOf(code: string): InterfaceLanguage {
	return LANGUAGES.find((l) => l.code === code)?.ui ?? DEFAULT_LANGUAGE;
}
export const NAMESPACES = ['common', 'lesson', 'storage', 'device', 'sessions', 'office'] as const;
export type Namespace = (typeof NAMESPACES)[number];
/** Loaded with every language; the others only by the pages that need them (see `useNamespaces`). */
export const CORE_NAMESPACES: readonly Namespace[] = ['common', 'lesson', 'storage'];

export function isLanguage(code: unknown): code is LanguageCode {
	return LANGUAGES.some((l) => l.code === code);
}

/** The first of the device's preferred languages that Lernlotse speaks. */
export function pickLanguage(preferred: readonly string[]): LanguageCode {
	for (const tag of preferred) {
		const base = tag.toLowerCase().split('-')[0];
		if (isLanguage(base)) return base;
	}
	return DEFAULT_LANGUAGE;
}

export function directionOf(code: string): 'ltr' | 'rtl' {
	return LANGUAGES.find((l) => l.code === code)?.dir ?? 'ltr';
}
