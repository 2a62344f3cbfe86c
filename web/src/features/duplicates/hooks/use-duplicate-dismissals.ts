'use client';

import { useMutation, useQueryClient, type InfiniteData } from '@tanstack/react-query';
import type { DuplicateDismissal, DuplicateEntity, DuplicatePair } from '@kapocs/contracts';
import { useApi } from '@/api/api-provider';
import { useCursorList } from '@/shared/records/record-queries';
import { dismissDuplicate, listDismissals, listDuplicates, undoDismissal } from '../api/duplicates.api';

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

/** The likely duplicate pairs of an entity, best first. */
export function useDuplicatePairs(entity: DuplicateEntity) {
  const api = useApi();
  return useCursorList(duplicateKeys.pairs(entity), (cursor, signal) => listDuplicates(api, entity, cursor, signal), { staleTime: 0 });
}

export function useDismissalList(entity: DuplicateEntity) {
  const api = useApi();
  return useCursorList(duplicateKeys.dismissals(entity), (cursor, signal) => listDismissals(api, entity, cursor, signal), { staleTime: 0 });
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
