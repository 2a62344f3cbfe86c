'use client';

import { keepPreviousData, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
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
import { useCursorList, useDeleteRecord, useReassignRecords } from '@/shared/records/record-queries';

export const companyKeys = {
  all: ['companies'] as const,
  list: (params: CompanyListParams) => ['companies', 'list', params] as const,
  detail: (id: string) => ['companies', 'detail', id] as const,
  persons: (id: string) => ['companies', 'persons', id] as const,
};

export function useCompanyList(params: CompanyListParams, enabled = true) {
  const api = useApi();
  return useCursorList(companyKeys.list(params), (cursor, signal) => listCompanies(api, params, cursor, signal), {
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

const invalidateCompanies = (queryClient: QueryClient) => queryClient.invalidateQueries({ queryKey: companyKeys.all });

export const useDeleteCompany = () => useDeleteRecord(companyKeys.detail, deleteCompany, invalidateCompanies);

export const useReassignCompanies = () => useReassignRecords(reassignCompanies, invalidateCompanies);
