'use client';

import { Roles, type Role } from '@kapocs/contracts';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useApi } from '@/api/api-provider';
import { fetchDirectoryUsers, fetchMe } from '../api/directory.api';

export function useMe() {
  const api = useApi();
  return useQuery({ queryKey: ['me'], queryFn: ({ signal }) => fetchMe(api, signal), staleTime: 5 * 60_000 });
}

/** Whether the signed-in user has any of the roles; undefined while /api/me is loading. */
export function useHasRole(...roles: Role[]): boolean | undefined {
  const me = useMe();
  const key = roles.join(',');
  return useMemo(() => {
    if (!me.data) return undefined;
    return key.split(',').some((r) => me.data.roles.includes(r));
  }, [me.data, key]);
}

/** Managers, directors and admins may hand records to another owner and merge duplicates. */
export const useMayAssignOwners = () => useHasRole(Roles.admin, Roles.director, Roles.manager);

export function useDirectoryUsers() {
  const api = useApi();
  return useQuery({
    queryKey: ['directory', 'users'],
    queryFn: ({ signal }) => fetchDirectoryUsers(api, signal),
    staleTime: 5 * 60_000,
  });
}

/** Users by id, to show owner names instead of ids; an unknown id falls back to itself. */
export function useUserNames() {
  const query = useDirectoryUsers();
  return useMemo(() => {
    const byId = new Map((query.data ?? []).map((u) => [u.id, u.name || u.username]));
    const loaded = query.data !== undefined;
    return (id: string | null | undefined) => (id && loaded ? (byId.get(id) ?? id) : '');
  }, [query.data]);
}

/** Select options of the directory's users (name, then username). */
export function useUserOptions() {
  const query = useDirectoryUsers();
  return useMemo(
    () =>
      (query.data ?? [])
        .filter((u) => (u as { enabled?: boolean }).enabled !== false)
        .map((u) => ({ value: u.id, label: u.name ? `${u.name} (${u.username})` : u.username })),
    [query.data],
  );
}
