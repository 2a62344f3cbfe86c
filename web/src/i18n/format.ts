'use client';

import { useMemo } from 'react';
import { useI18n } from './i18n-provider';

/** Date and number formatters in the chosen locale (Intl); times shown in the browser's zone. */
export function useFormat() {
  const { intlLocale } = useI18n();
  return useMemo(() => {
    const dateTime = new Intl.DateTimeFormat(intlLocale, { dateStyle: 'medium', timeStyle: 'short' });
    const date = new Intl.DateTimeFormat(intlLocale, { dateStyle: 'medium' });
    const integer = new Intl.NumberFormat(intlLocale, { maximumFractionDigits: 0 });
    return {
      dateTime: (iso: string | undefined | null) => (iso ? dateTime.format(new Date(iso)) : ''),
      date: (iso: string | undefined | null) => (iso ? date.format(new Date(iso)) : ''),
      integer: (n: number) => integer.format(n),
      money: (amount: number, currency = 'HUF') =>
        new Intl.NumberFormat(intlLocale, { style: 'currency', currency }).format(amount),
    };
  }, [intlLocale]);
}
