'use client';

import { useMemo } from 'react';
import { useI18n } from './i18n-provider';

const PLAIN_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Date and number formatters in the chosen locale (Intl); times shown in the browser's zone. */
export function useFormat() {
  const { intlLocale } = useI18n();
  return useMemo(() => {
    const dateTime = new Intl.DateTimeFormat(intlLocale, { dateStyle: 'medium', timeStyle: 'short' });
    const date = new Intl.DateTimeFormat(intlLocale, { dateStyle: 'medium' });
    // A calendar date (YYYY-MM-DD) is no instant: shown as the same day in every time zone.
    const plainDate = new Intl.DateTimeFormat(intlLocale, { dateStyle: 'medium', timeZone: 'UTC' });
    const integer = new Intl.NumberFormat(intlLocale, { maximumFractionDigits: 0 });
    const percent = new Intl.NumberFormat(intlLocale, { style: 'percent', maximumFractionDigits: 0 });
    return {
      dateTime: (iso: string | undefined | null) => (iso ? dateTime.format(new Date(iso)) : ''),
      date: (iso: string | undefined | null) =>
        iso ? (PLAIN_DATE.test(iso) ? plainDate.format(new Date(`${iso}T00:00:00Z`)) : date.format(new Date(iso))) : '',
      integer: (n: number) => integer.format(n),
      percent: (n: number) => percent.format(n),
      money: (amount: number, currency = 'HUF') =>
        new Intl.NumberFormat(intlLocale, { style: 'currency', currency }).format(amount),
    };
  }, [intlLocale]);
}
