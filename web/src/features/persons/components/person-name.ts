'use client';

import { useCallback } from 'react';
import { useI18n } from '@/i18n/i18n-provider';

/** A person's name in the UI language's order: "Kovács Anna" in Hungarian, "Anna Kovács" in English. */
export function personName(p: { familyName: string; givenName: string; title?: string | null }, locale: string): string {
  const name = locale === 'hu' ? `${p.familyName} ${p.givenName}` : `${p.givenName} ${p.familyName}`;
  return p.title ? `${p.title} ${name}` : name;
}

export function usePersonName() {
  const { locale } = useI18n();
  return useCallback((p: { familyName: string; givenName: string; title?: string | null }) => personName(p, locale), [locale]);
}
