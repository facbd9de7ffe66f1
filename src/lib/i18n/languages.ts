/** The interface languages, each named in its own language, as a learner looks for it. */
export const LANGUAGES = [
	{ code: 'de', name: 'Deutsch', dir: 'ltr' },
	{ code: 'en', name: 'English', dir: 'ltr' },
	{ code: 'tr', name: 'Türkçe', dir: 'ltr' },
	{ code: 'ar', name: 'العربية', dir: 'rtl' },
	{ code: 'uk', name: 'Українська', dir: 'ltr' },
	{ code: 'fa', name: 'فارسی', dir: 'rtl' }
] as const;

export type LanguageCode = (typeof LANGUAGES)[number]['code'];
export const DEFAULT_LANGUAGE: LanguageCode = 'de';
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
