'use client';

import { createContext, useContext, useEffect, useMemo, useSyncExternalStore, type ReactNode } from 'react';
import { createTranslator, DEFAULT_LOCALE, intlTags, LOCALES, type Locale, type Translate } from './messages';

export { DEFAULT_LOCALE, LOCALES, type Locale, type Translate, type TranslateParams } from './messages';

const STORAGE_KEY = 'kapocs.locale';

interface I18nValue {
  locale: Locale;
  intlLocale: string;
  setLocale: (locale: Locale) => void;
  t: Translate;
}

const I18nContext = createContext<I18nValue | null>(null);

function isLocale(v: unknown): v is Locale {
  return typeof v === 'string' && (LOCALES as readonly string[]).includes(v);
}

// The chosen locale lives in localStorage; this store lets every tab and component follow it.
const listeners = new Set<() => void>();
function readStoredLocale(): Locale {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    return isLocale(stored) ? stored : DEFAULT_LOCALE;
  } catch {
    return DEFAULT_LOCALE;
  }
}
function subscribe(listener: () => void) {
  listeners.add(listener);
  const onStorage = (e: StorageEvent) => {
    if (e.key === STORAGE_KEY) listener();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}
function storeLocale(locale: Locale) {
  try {
    window.localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // private mode or full storage: the choice then lasts for this page only
  }
  listeners.forEach((l) => l());
}

export function I18nProvider({ children }: { children: ReactNode }) {
  // The server always renders the default locale; the stored one takes over after hydration.
  const locale = useSyncExternalStore(subscribe, readStoredLocale, () => DEFAULT_LOCALE);

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  const t = useMemo<Translate>(() => createTranslator(locale), [locale]);

  const value = useMemo<I18nValue>(
    () => ({ locale, intlLocale: intlTags[locale], setLocale: storeLocale, t }),
    [locale, t],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18nValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
