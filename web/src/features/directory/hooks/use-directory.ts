'use client';

import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useApi } from '@/api/api-provider';
import { fetchDirectoryUsers, fetchMe } from '../api/directory.api';

export function useMe() {
  const api = useApi();
  return useQuery({ queryKey: ['me'], queryFn: ({ signal }) => fetchMe(api, signal), staleTime: 5 * 60_000 });
}

/** Users by id, to show owner names instead of ids; an unknown id falls back to itself. */
export function useUserNames() {
  const api = useApi();
  const query = useQuery({
    queryKey: ['directory', 'users'],
    queryFn: ({ signal }) => fetchDirectoryUsers(api, signal),
    staleTime: 5 * 60_000,
  });
  return useMemo(() => {
    const byId = new Map((query.data ?? []).map((u) => [u.id, u.name || u.username]));
    const loaded = query.data !== undefined;
    return (id: string | null | undefined) => (id && loaded ? (byId.get(id) ?? id) : '');
  }, [query.data]);
}
