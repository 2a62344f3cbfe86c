'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useMemo } from 'react';
import { COMPANY_KINDS, type CompanyKind, type CompanySort } from '../api/companies.api';

export interface CompanyListState {
  q: string;
  kind: CompanyKind | null;
  mineOnly: boolean;
  sort: CompanySort;
}

const isKind = (v: string | null): v is CompanyKind => (COMPANY_KINDS as readonly (string | null)[]).includes(v);

/** The list's search, filters and sort, kept in the URL so "back" from a company restores them. */
export function useCompanyListState(): [CompanyListState, (patch: Partial<CompanyListState>) => void] {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();

  const state = useMemo<CompanyListState>(() => {
    const kind = params.get('kind');
    return {
      q: params.get('q') ?? '',
      kind: isKind(kind) ? kind : null,
      mineOnly: params.get('mine') === '1',
      sort: params.get('sort') === '-name' ? '-name' : 'name',
    };
  }, [params]);

  const update = useCallback(
    (patch: Partial<CompanyListState>) => {
      const next = { ...state, ...patch };
      const search = new URLSearchParams();
      if (next.q) search.set('q', next.q);
      if (next.kind) search.set('kind', next.kind);
      if (next.mineOnly) search.set('mine', '1');
      if (next.sort !== 'name') search.set('sort', next.sort);
      const qs = search.toString();
      router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
    },
    [state, router, pathname],
  );

  return [state, update];
}
