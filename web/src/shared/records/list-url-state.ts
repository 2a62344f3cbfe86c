'use client';

import { usePathname, useRouter } from 'next/navigation';
import { useCallback } from 'react';

/** What every list of owned records keeps in its URL: the search text, "mine only" and the sort. */
export interface OwnedListParams {
  q: string;
  mineOnly: boolean;
  sort: string;
}

/** Reads the search, "mine only" and the sort from the URL's parameters. */
export function readOwnedListParams(params: Pick<URLSearchParams, 'get'>, defaultSort: string): OwnedListParams {
  return { q: params.get('q') ?? '', mineOnly: params.get('mine') === '1', sort: params.get('sort') || defaultSort };
}

/** Writes them back; what is empty or the default is left out of the URL. */
export function writeOwnedListParams(next: OwnedListParams, search: URLSearchParams, defaultSort: string): void {
  if (next.q) search.set('q', next.q);
  if (next.mineOnly) search.set('mine', '1');
  if (next.sort !== defaultSort) search.set('sort', next.sort);
}

/**
 * A list's state kept in the URL, so "back" from a record restores it: `update(patch)` replaces the URL with
 * the state patched, written by `write` (a stable function) into fresh search parameters.
 */
export function useUrlListState<S>(state: S, write: (next: S, search: URLSearchParams) => void): (patch: Partial<S>) => void {
  const router = useRouter();
  const pathname = usePathname();
  return useCallback(
    (patch: Partial<S>) => {
      const search = new URLSearchParams();
      write({ ...state, ...patch }, search);
      const qs = search.toString();
      router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
    },
    [state, write, router, pathname],
  );
}
