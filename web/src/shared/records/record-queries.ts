'use client';

import { keepPreviousData, useInfiniteQuery, useMutation, useQueryClient, type QueryClient, type QueryKey } from '@tanstack/react-query';
import type { ReassignResult } from '@kapocs/contracts';
import { useApi } from '@/api/api-provider';
import type { ApiClient } from '@/api/client';

/**
 * A list read page by page with keyset cursors (`nextCursor` of the last page asks for the next).
 * `options` are the query's own (placeholder data, enabled, staleTime) and are passed on as given.
 */
export function useCursorList<P extends { nextCursor?: string | null }>(
  queryKey: QueryKey,
  fetchPage: (cursor: string | null, signal: AbortSignal) => Promise<P>,
  options: { placeholderData?: typeof keepPreviousData; enabled?: boolean; staleTime?: number } = {},
) {
  return useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam, signal }) => fetchPage(pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    ...options,
  });
}

/** Deletes a record with If-Match: its cached detail goes, then `invalidate` refreshes what showed it. */
export function useDeleteRecord(
  detailKey: (id: string) => QueryKey,
  remove: (api: ApiClient, id: string, version: number) => Promise<void>,
  invalidate: (queryClient: QueryClient) => Promise<unknown>,
) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (record: { id: string; version: number }) => remove(api, record.id, record.version),
    onSuccess: async (_, record) => {
      queryClient.removeQueries({ queryKey: detailKey(record.id) });
      await invalidate(queryClient);
    },
  });
}

/** Hands the ticked records to another owner; the lists are read again whatever the answer. */
export function useReassignRecords(
  reassign: (api: ApiClient, ids: string[], ownerId: string) => Promise<ReassignResult>,
  invalidate: (queryClient: QueryClient) => Promise<unknown>,
) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ ids, ownerId }: { ids: string[]; ownerId: string }) => reassign(api, ids, ownerId),
    onSettled: () => invalidate(queryClient),
  });
}
