import type { ApiClient } from '@/api/client';

export const IMPORT_ENTITIES = ['company', 'person'] as const;
export type ImportEntity = (typeof IMPORT_ENTITIES)[number];
export type ImportStatus = 'validating' | 'validated' | 'committing' | 'committed' | 'undoing' | 'undone' | 'failed';
export type OnDuplicate = 'skip' | 'update' | 'create';

/** `GET /imports/{id}`: the dry run's report, then the commit's and the undo's, as far as they got. */
export interface ImportReport {
  id: string;
  entity: ImportEntity;
  status: ImportStatus;
  fileName: string | null;
  format: 'csv' | 'xlsx';
  rows: number;
  processed: number;
  valid: number;
  errors: { row: number; column: string; message: string }[];
  errorCount: number;
  duplicates: { row: number; matchId: string | null; matchRow?: number; reason: string }[];
  duplicateCount: number;
  truncated: boolean;
  onDuplicate?: OnDuplicate;
  created?: number;
  updated?: number;
  skipped?: number;
  failed?: number;
  undone?: number;
  conflicts?: { row: number; id: string; reason: string }[];
  failure?: string;
  createdAt: string;
  finishedAt: string | null;
}

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
