'use client';

import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '@/api/api-provider';
import {
  createCompanyGroup,
  deleteCompanyGroup,
  getCompanyGroup,
  listCompanyGroups,
  updateCompanyGroup,
  type CompanyGroupBody,
  type CompanyGroupDetail,
  type GroupListParams,
} from '../api/company-groups.api';
import { useCursorList, useDeleteRecord } from '@/shared/records/record-queries';

export const groupKeys = {
  all: ['company-groups'] as const,
  list: (params: GroupListParams) => ['company-groups', 'list', params] as const,
  detail: (id: string) => ['company-groups', 'detail', id] as const,
};

export function useCompanyGroupList(params: GroupListParams) {
  const api = useApi();
  return useCursorList(groupKeys.list(params), (cursor, signal) => listCompanyGroups(api, params, cursor, signal), {
    placeholderData: keepPreviousData,
  });
}

export function useCompanyGroup(id: string | null | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: groupKeys.detail(id ?? ''),
    queryFn: ({ signal }) => getCompanyGroup(api, id!, signal),
    enabled: !!id,
    staleTime: 0,
  });
}

export function useSaveCompanyGroup(existing?: Pick<CompanyGroupDetail, 'id' | 'version'>) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CompanyGroupBody) =>
      existing ? updateCompanyGroup(api, existing.id, existing.version, body) : createCompanyGroup(api, body),
    onSuccess: async (saved) => {
      queryClient.setQueryData(groupKeys.detail(saved.id), saved);
      await queryClient.invalidateQueries({ queryKey: groupKeys.all });
      await queryClient.invalidateQueries({ queryKey: ['audit'] });
    },
  });
}

export const useDeleteCompanyGroup = () =>
  useDeleteRecord(groupKeys.detail, deleteCompanyGroup, (queryClient) => queryClient.invalidateQueries({ queryKey: groupKeys.all }));
