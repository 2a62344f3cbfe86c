'use client';

import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '@/api/api-provider';
import {
  companyPersons,
  createCompany,
  deleteCompany,
  getCompany,
  listCompanies,
  reassignCompanies,
  updateCompany,
  type Company,
  type CompanyBody,
  type CompanyListParams,
} from '../api/companies.api';

export const companyKeys = {
  all: ['companies'] as const,
  list: (params: CompanyListParams) => ['companies', 'list', params] as const,
  detail: (id: string) => ['companies', 'detail', id] as const,
  persons: (id: string) => ['companies', 'persons', id] as const,
};

export function useCompanyList(params: CompanyListParams, enabled = true) {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: companyKeys.list(params),
    queryFn: ({ pageParam, signal }) => listCompanies(api, params, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useCompany(id: string) {
  const api = useApi();
  return useQuery({ queryKey: companyKeys.detail(id), queryFn: ({ signal }) => getCompany(api, id, signal), staleTime: 0 });
}

export function useCompanyPersons(id: string) {
  const api = useApi();
  return useQuery({ queryKey: companyKeys.persons(id), queryFn: ({ signal }) => companyPersons(api, id, signal), staleTime: 0 });
}

export function useCreateCompany() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CompanyBody) => createCompany(api, body),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: companyKeys.all });
    },
  });
}

export function useUpdateCompany(company: Pick<Company, 'id' | 'version'> | undefined) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CompanyBody) => {
      if (!company) throw new Error('no company loaded');
      return updateCompany(api, company.id, company.version, body);
    },
    onSuccess: async (updated) => {
      queryClient.setQueryData<Company>(companyKeys.detail(updated.id), (old) => ({ ...old, ...updated }));
      await queryClient.invalidateQueries({ queryKey: companyKeys.all });
      await queryClient.invalidateQueries({ queryKey: ['audit'] });
    },
  });
}

export function useDeleteCompany() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (company: Pick<Company, 'id' | 'version'>) => deleteCompany(api, company.id, company.version),
    onSuccess: async (_, company) => {
      queryClient.removeQueries({ queryKey: companyKeys.detail(company.id) });
      await queryClient.invalidateQueries({ queryKey: companyKeys.all });
    },
  });
}

export function useReassignCompanies() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ ids, ownerId }: { ids: string[]; ownerId: string }) => reassignCompanies(api, ids, ownerId),
    onSettled: () => queryClient.invalidateQueries({ queryKey: companyKeys.all }),
  });
}
