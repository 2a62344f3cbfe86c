'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useMemo } from 'react';
import {
  decodeFilterState,
  encodeFilterState,
  type FilterState,
} from '@/features/list-filters/components/filter-rows';

export interface CompanyListState {
  q: string;
  kind: CompanyKind | null;
  status: CompanyStatus | null;
  mineOnly: boolean;
  /** One sort key: `name`, `-createdAt`, `custom.region`… */
  sort: string;
  /** The filter builder's conditions. */
  advanced: FilterState;
}

const oneOf = <T extends string>(values: readonly T[], v: string | null): T | null =>
  (values as readonly (string | null)[]).includes(v) ? (v as T) : null;

export const DEFAULT_COMPANY_SORT = 'name';

/** The list's search, filters and sort, kept in the URL so "back" from a company restores them. */
export function useCompanyListState(): [CompanyListState, (patch: Partial<CompanyListState>) => void] {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();

  const rawAdvanced = params.get('f');
  const advanced = useMemo(() => decodeFilterState(rawAdvanced), [rawAdvanced]);
  const state = useMemo<CompanyListState>(
    () => ({
      q: params.get('q') ?? '',
      kind: oneOf(COMPANY_KINDS, params.get('kind')),
      status: oneOf(COMPANY_STATUSES, params.get('status')),
      mineOnly: params.get('mine') === '1',
      sort: params.get('sort') || DEFAULT_COMPANY_SORT,
      advanced,
    }),
    [params, advanced],
  );

  const update = useCallback(
    (patch: Partial<CompanyListState>) => {
      const next = { ...state, ...patch };
      const search = new URLSearchParams();
      if (next.q) search.set('q', next.q);
      if (next.kind) search.set('kind', next.kind);
      if (next.status) search.set('status', next.status);
      if (next.mineOnly) search.set('mine', '1');
      if (next.sort !== DEFAULT_COMPANY_SORT) search.set('sort', next.sort);
      const f = encodeFilterState(next.advanced);
      if (f) search.set('f', f);
      const qs = search.toString();
      router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
    },
    [state, router, pathname],
  );

  return [state, update];
}

import { COMPANY_KINDS, COMPANY_STATUSES, type CompanyKind, type CompanyStatus } from '@kapocs/contracts';