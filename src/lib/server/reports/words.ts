/**
 * The office's words on the server, for files it makes (CSV headers, the PDF report): the same
 * translation files the pages use, in the language the page asked for.
 */
import de from '../../i18n/locales/de/office.json';
import en from '../../i18n/locales/en/office.json';
import tr from '../../i18n/locales/tr/office.json';
import ar from '../../i18n/locales/ar/office.json';
import uk from '../../i18n/locales/uk/office.json';
import fa from '../../i18n/locales/fa/office.json';
import {
	DEFAULT_LANGUAGE,
	interfaceOf,
	isLanguage,
	type InterfaceLanguage,
	type LanguageCode
} from '../../i18n/languages';

const FILES: Record<InterfaceLanguage, unknown> = { de, en, tr, ar, uk, fa };

export function languageOf(param: string | null): LanguageCode {
	return isLanguage(param) ? param : DEFAULT_LANGUAGE;
}

/** `key` like "reports.figures.sessions" (the office namespace); {{name}} placeholders filled. */
export function word(lang: LanguageCode, key: string, values: Record<string, string> = {}): string {
	const find = (file: unknown) =>
		key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)?.[part], file);
	const found = find(FILES[interfaceOf(lang)]) ?? find(FILES[DEFAULT_LANGUAGE]);
	const text = typeof found === 'string' ? found : key;
	return text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => values[name] ?? '');
}
