'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '@/api/api-provider';
import { commitImport, getImport, RUNNING, undoImport, uploadImport, type ImportEntity, type OnDuplicate } from '../api/imports.api';

const importKey = (id: string) => ['imports', id] as const;

/** An import's report, polled every second while the server works on it. */
export function useImport(id: string | null) {
  const api = useApi();
  return useQuery({
    queryKey: importKey(id ?? ''),
    queryFn: ({ signal }) => getImport(api, id!, signal),
    enabled: !!id,
    staleTime: 0,
    refetchInterval: (query) => (query.state.data && !RUNNING.includes(query.state.data.status) ? false : 1000),
  });
}

export function useUploadImport() {
  const api = useApi();
  return useMutation({ mutationFn: ({ entity, file }: { entity: ImportEntity; file: File }) => uploadImport(api, entity, file) });
}

/** Commit or undo; afterwards the lists show the new (or removed) records. */
export function useImportStep(id: string | null) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (step: { kind: 'commit'; onDuplicate: OnDuplicate } | { kind: 'undo' }) =>
      step.kind === 'commit' ? commitImport(api, id!, step.onDuplicate) : undoImport(api, id!),
    onSettled: async () => {
      await queryClient.invalidateQueries({ queryKey: importKey(id ?? '') });
    },
  });
}
