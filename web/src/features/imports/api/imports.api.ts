import type { ApiClient } from '@/api/client';

import { IMPORT_ENTITIES, type ImportEntity, type ImportReport, type ImportStatus, type OnDuplicate } from '@kapocs/contracts';
export { IMPORT_ENTITIES, type ImportEntity, type ImportReport, type ImportStatus, type OnDuplicate };

/** The statuses in which the server is still working on the import. */
export const RUNNING: ImportStatus[] = ['validating', 'committing', 'undoing'];

export async function uploadImport(api: ApiClient, entity: ImportEntity, file: File) {
  const form = new FormData();
  form.append('entity', entity);
  form.append('file', file, file.name);
  return (await api.request<{ id: string; status: ImportStatus }>('/partners/imports', { method: 'POST', body: form, idempotent: true })).data;
}

export const getImport = (api: ApiClient, id: string, signal?: AbortSignal) =>
  api.get<ImportReport>(`/partners/imports/${encodeURIComponent(id)}`, undefined, signal);

export const commitImport = async (api: ApiClient, id: string, onDuplicate: OnDuplicate) =>
  (await api.request<{ id: string; status: ImportStatus }>(`/partners/imports/${encodeURIComponent(id)}/commit`, { method: 'POST', body: { onDuplicate } })).data;

export const undoImport = async (api: ApiClient, id: string) =>
  (await api.request<{ id: string; status: ImportStatus }>(`/partners/imports/${encodeURIComponent(id)}/undo`, { method: 'POST' })).data;

export const downloadTemplate = (api: ApiClient, entity: ImportEntity, format: 'csv' | 'xlsx') =>
  api.download(`/partners/imports/templates/${entity}.${format}`, undefined, `${entity}-import.${format}`);
