'use client';

import { useInfiniteQuery, useMutation, useQueryClient, type InfiniteData } from '@tanstack/react-query';
import type { DuplicateDismissal, DuplicateEntity, DuplicatePair } from '@kapocs/contracts';
import { useApi } from '@/api/api-provider';
import { dismissDuplicate, listDismissals, undoDismissal } from '../api/duplicates.api';

export const duplicateKeys = {
  pairs: (entity: DuplicateEntity) => ['duplicates', entity] as const,
  dismissals: (entity: DuplicateEntity) => ['duplicate-dismissals', entity] as const,
};

type Page<T> = { items: T[]; nextCursor: string | null };
const samePair = (x: { a: { id: string }; b: { id: string } }, ids: string[]) =>
  ids.includes(x.a.id) && ids.includes(x.b.id);

/** Takes a pair out of every loaded page of a list, so it is gone at once (before the refetch). */
function withoutPair<T extends { a: { id: string }; b: { id: string } }>(data: InfiniteData<Page<T>> | undefined, ids: string[]) {
  if (!data) return data;
  return { ...data, pages: data.pages.map((p) => ({ ...p, items: p.items.filter((x) => !samePair(x, ids)) })) };
}

export function useDismissalList(entity: DuplicateEntity) {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: duplicateKeys.dismissals(entity),
    queryFn: ({ pageParam, signal }) => listDismissals(api, entity, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    staleTime: 0,
  });
}

/** "Not a duplicate": the pair leaves the list for everyone. */
export function useDismissDuplicate(entity: DuplicateEntity) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (pair: DuplicatePair) => dismissDuplicate(api, entity, pair.a.id, pair.b.id),
    onSuccess: async (_, pair) => {
      queryClient.setQueryData<InfiniteData<Page<DuplicatePair>>>(duplicateKeys.pairs(entity), (d) => withoutPair(d, [pair.a.id, pair.b.id]));
      await queryClient.invalidateQueries({ queryKey: duplicateKeys.dismissals(entity) });
      await queryClient.invalidateQueries({ queryKey: ['audit'] });
    },
  });
}

/** Undoes a dismissal: the pair shows among the likely duplicates again. */
export function useUndoDismissal(entity: DuplicateEntity) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (d: DuplicateDismissal) => undoDismissal(api, d),
    onSuccess: async (_, d) => {
      queryClient.setQueryData<InfiniteData<Page<DuplicateDismissal>>>(duplicateKeys.dismissals(entity), (data) => withoutPair(data, [d.aId, d.bId]));
      await queryClient.invalidateQueries({ queryKey: duplicateKeys.pairs(entity) });
      await queryClient.invalidateQueries({ queryKey: ['audit'] });
    },
  });
}
