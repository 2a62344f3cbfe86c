'use client';

import { keepPreviousData, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
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
import { useCursorList, useDeleteRecord, useReassignRecords } from '@/shared/records/record-queries';

export const personKeys = {
  all: ['persons'] as const,
  list: (params: PersonListParams) => ['persons', 'list', params] as const,
  detail: (id: string) => ['persons', 'detail', id] as const,
};

export function usePersonList(params: PersonListParams) {
  const api = useApi();
  return useCursorList(personKeys.list(params), (cursor, signal) => listPersons(api, params, cursor, signal), { placeholderData: keepPreviousData });
}

export function usePerson(id: string) {
  const api = useApi();
  return useQuery({ queryKey: personKeys.detail(id), queryFn: ({ signal }) => getPerson(api, id, signal), staleTime: 0 });
}

/** After a change of a person: lists, the person, audits and the people tabs of companies. */
async function invalidatePersons(queryClient: QueryClient) {
  await Promise.all([
    queryClient.invalidateQueries({ queryKey: personKeys.all }),
    queryClient.invalidateQueries({ queryKey: ['companies', 'persons'] }),
    queryClient.invalidateQueries({ queryKey: ['audit'] }),
  ]);
}

function useInvalidatePersons() {
  const queryClient = useQueryClient();
  return () => invalidatePersons(queryClient);
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

export const useDeletePerson = () => useDeleteRecord(personKeys.detail, deletePerson, invalidatePersons);

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

export const useReassignPersons = () => useReassignRecords(reassignPersons, invalidatePersons);
