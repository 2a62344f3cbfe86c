'use client';

import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '@/api/api-provider';
import {
  addEmployment,
  createPerson,
  deleteEmployment,
  deletePerson,
  getPerson,
  listPersons,
  reassignPersons,
  updateEmployment,
  updatePerson,
  type EmploymentBody,
  type Person,
  type PersonBody,
  type PersonListParams,
} from '../api/persons.api';

export const personKeys = {
  all: ['persons'] as const,
  list: (params: PersonListParams) => ['persons', 'list', params] as const,
  detail: (id: string) => ['persons', 'detail', id] as const,
};

export function usePersonList(params: PersonListParams) {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: personKeys.list(params),
    queryFn: ({ pageParam, signal }) => listPersons(api, params, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

export function usePerson(id: string) {
  const api = useApi();
  return useQuery({ queryKey: personKeys.detail(id), queryFn: ({ signal }) => getPerson(api, id, signal), staleTime: 0 });
}

/** After a change of a person: lists, the person, audits and the people tabs of companies. */
function useInvalidatePersons() {
  const queryClient = useQueryClient();
  return async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: personKeys.all }),
      queryClient.invalidateQueries({ queryKey: ['companies', 'persons'] }),
      queryClient.invalidateQueries({ queryKey: ['audit'] }),
    ]);
  };
}

export function useSavePerson(existing?: Pick<Person, 'id' | 'version'>) {
  const api = useApi();
  const queryClient = useQueryClient();
  const invalidate = useInvalidatePersons();
  return useMutation({
    mutationFn: (body: PersonBody) => (existing ? updatePerson(api, existing.id, existing.version, body) : createPerson(api, body)),
    onSuccess: async (saved) => {
      queryClient.setQueryData(personKeys.detail(saved.id), saved);
      await invalidate();
    },
  });
}

export function useDeletePerson() {
  const api = useApi();
  const queryClient = useQueryClient();
  const invalidate = useInvalidatePersons();
  return useMutation({
    mutationFn: (p: Pick<Person, 'id' | 'version'>) => deletePerson(api, p.id, p.version),
    onSuccess: async (_, p) => {
      queryClient.removeQueries({ queryKey: personKeys.detail(p.id) });
      await invalidate();
    },
  });
}

/** Adds, changes or removes an employment of the person (If-Match: the person's version). */
export function useEmploymentMutation(person: Pick<Person, 'id' | 'version'>) {
  const api = useApi();
  const invalidate = useInvalidatePersons();
  return useMutation({
    mutationFn: async (
      change: { kind: 'add'; body: EmploymentBody } | { kind: 'update'; id: string; body: EmploymentBody } | { kind: 'delete'; id: string },
    ) => {
      if (change.kind === 'add') return addEmployment(api, person.id, person.version, change.body);
      if (change.kind === 'update') return updateEmployment(api, change.id, person.version, change.body);
      await deleteEmployment(api, change.id, person.version);
      return undefined;
    },
    onSettled: invalidate,
  });
}

export function useReassignPersons() {
  const api = useApi();
  const invalidate = useInvalidatePersons();
  return useMutation({
    mutationFn: ({ ids, ownerId }: { ids: string[]; ownerId: string }) => reassignPersons(api, ids, ownerId),
    onSettled: invalidate,
  });
}
