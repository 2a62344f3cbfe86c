'use client';

import { COMPANY_KINDS, COMPANY_STATUSES, type CompanyKind, type CompanyStatus } from '@kapocs/contracts';
import { useSearchParams } from 'next/navigation';
import { useMemo } from 'react';
import {
  decodeFilterState,
  encodeFilterState,
  type FilterState,
} from '@/features/list-filters/components/filter-rows';
import { readOwnedListParams, useUrlListState, writeOwnedListParams, type OwnedListParams } from '@/shared/records/list-url-state';

export interface CompanyListState extends OwnedListParams {
  kind: CompanyKind | null;
  status: CompanyStatus | null;
  /** The filter builder's conditions. */
  advanced: FilterState;
}

const oneOf = <T extends string>(values: readonly T[], v: string | null): T | null =>
  (values as readonly (string | null)[]).includes(v) ? (v as T) : null;

export const DEFAULT_COMPANY_SORT = 'name';

function writeCompanyListState(next: CompanyListState, search: URLSearchParams) {
  writeOwnedListParams(next, search, DEFAULT_COMPANY_SORT);
  if (next.kind) search.set('kind', next.kind);
  if (next.status) search.set('status', next.status);
  const f = encodeFilterState(next.advanced);
  if (f) search.set('f', f);
}

/** The list's search, filters and sort (one key: `name`, `-createdAt`, `custom.region`…), kept in the URL. */
export function useCompanyListState(): [CompanyListState, (patch: Partial<CompanyListState>) => void] {
  const params = useSearchParams();
  const rawAdvanced = params.get('f');
  const advanced = useMemo(() => decodeFilterState(rawAdvanced), [rawAdvanced]);
  const state = useMemo<CompanyListState>(
    () => ({
      ...readOwnedListParams(params, DEFAULT_COMPANY_SORT),
      kind: oneOf(COMPANY_KINDS, params.get('kind')),
      status: oneOf(COMPANY_STATUSES, params.get('status')),
      advanced,
    }),
    [params, advanced],
  );
  return [state, useUrlListState(state, writeCompanyListState)];
}
