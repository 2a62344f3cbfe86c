import { IntlMessageFormat } from 'intl-messageformat';
import { en } from './en';
import { hu, type MessageKey, type Messages } from './hu';

export const LOCALES = ['hu', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'hu';

export const catalogues: Record<Locale, Messages> = { hu, en };
// BCP 47 tags for Intl: Hungarian formats as 2025. 03. 14., English as 14/03/2025 (not US order).
export const intlTags: Record<Locale, string> = { hu: 'hu-HU', en: 'en-GB' };

/** Counts are passed as numbers: ICU plurals choose their form by them and format `#` in the locale. */
export type TranslateParams = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: TranslateParams) => string;

/**
 * Parses an ICU message of the catalogues. Tags are not ICU here: `custom.<key>` stays literal text.
 */
export function compileMessage(source: string, locale: Locale): IntlMessageFormat {
  return new IntlMessageFormat(source, intlTags[locale], undefined, { ignoreTag: true });
}

const compiled = new Map<string, IntlMessageFormat>();

function compiledMessage(locale: Locale, key: MessageKey): { source: string; message: IntlMessageFormat } | undefined {
  const source = catalogues[locale][key] ?? (hu as Messages)[key];
  if (source === undefined) return undefined;
  const cacheKey = `${locale}:${key}`;
  let message = compiled.get(cacheKey);
  if (!message) {
    message = compileMessage(source, locale);
    compiled.set(cacheKey, message);
  }
  return { source, message };
}

/** The message `key` in `locale` (Hungarian when missing), its ICU arguments filled from `params`. */
export function translate(locale: Locale, key: MessageKey, params?: TranslateParams): string {
  const found = compiledMessage(locale, key);
  if (!found) return key;
  try {
    return found.message.format(params) as string;
  } catch (error) {
    // a missing or mistyped argument shows the raw message rather than breaking the page
    console.error(`i18n: ${locale} ${key}:`, error);
    return found.source;
  }
}

export function createTranslator(locale: Locale): Translate {
  return (key, params) => translate(locale, key, params);
}
