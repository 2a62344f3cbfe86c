'use client';

import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '@/api/api-provider';
import {
  createCompany,
  getCompany,
  listCompanies,
  type CompanyListParams,
  type CreateCompanyBody,
} from '../api/companies.api';

const companyKeys = {
  all: ['companies'] as const,
  list: (params: CompanyListParams) => ['companies', 'list', params] as const,
  detail: (id: string) => ['companies', 'detail', id] as const,
};

export function useCompanyList(params: CompanyListParams, enabled = true) {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: companyKeys.list(params),
    queryFn: ({ pageParam, signal }) => listCompanies(api, params, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled,
  });
}

export function useCompany(id: string) {
  const api = useApi();
  return useQuery({ queryKey: companyKeys.detail(id), queryFn: ({ signal }) => getCompany(api, id, signal) });
}

export function useCreateCompany() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateCompanyBody) => createCompany(api, body),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: companyKeys.all });
    },
  });
}
