'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '@/api/api-provider';
import {
  createCustomField,
  deleteCustomField,
  listCustomFields,
  updateCustomField,
  type CustomFieldBody,
  type CustomFieldDefinition,
} from '../api/custom-fields.api';

const keys = {
  all: ['custom-fields'] as const,
  entity: (entity: string) => ['custom-fields', entity] as const,
};

/** The definitions of an entity, in form order (placement, weight, key). */
export function useCustomFields(entity: string) {
  const api = useApi();
  return useQuery({
    queryKey: keys.entity(entity),
    queryFn: ({ signal }) => listCustomFields(api, entity, signal),
    staleTime: 60_000,
  });
}

export function useSaveCustomField() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ existing, body }: { existing?: CustomFieldDefinition; body: CustomFieldBody }) =>
      existing ? updateCustomField(api, existing.id, existing.version, body) : createCustomField(api, body),
    onSettled: () => queryClient.invalidateQueries({ queryKey: keys.all }),
  });
}

export function useDeleteCustomField() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (d: CustomFieldDefinition) => deleteCustomField(api, d.id, d.version),
    onSettled: () => queryClient.invalidateQueries({ queryKey: keys.all }),
  });
}
