import type { CompanyMergeResult, DismissDuplicateBody, DuplicateDismissal, DuplicateEntity, DuplicatePair, MergeBody, PersonMergeResult } from '@kapocs/contracts';
import type { ApiClient } from '@/api/client';

export const listDuplicates = (api: ApiClient, entity: DuplicateEntity, cursor: string | null, signal?: AbortSignal) =>
  api.get<{ items: DuplicatePair[]; nextCursor: string | null }>('/partners/duplicates', { entity, cursor, limit: 50 }, signal);

/** 201 the first time, 200 with the same dismissal when the pair was already dismissed. */
export const dismissDuplicate = async (api: ApiClient, entity: DuplicateEntity, aId: string, bId: string) =>
  (await api.request<DuplicateDismissal>('/partners/duplicates/dismissals', { method: 'POST', body: { entity, aId, bId } satisfies DismissDuplicateBody, idempotent: true })).data;

export const listDismissals = (api: ApiClient, entity: DuplicateEntity, cursor: string | null, signal?: AbortSignal) =>
  api.get<{ items: DuplicateDismissal[]; nextCursor: string | null }>('/partners/duplicates/dismissals', { entity, cursor, limit: 50 }, signal);

export const undoDismissal = async (api: ApiClient, d: Pick<DuplicateDismissal, 'entity' | 'aId' | 'bId'>) => {
  await api.request<void>(`/partners/duplicates/dismissals/${d.entity}/${d.aId}/${d.bId}`, { method: 'DELETE' });
};

export const mergeCompanies = async (api: ApiClient, body: MergeBody) =>
  (await api.request<CompanyMergeResult>('/partners/companies/merge', { method: 'POST', body })).data;

export const mergePersons = async (api: ApiClient, body: MergeBody) =>
  (await api.request<PersonMergeResult>('/partners/persons/merge', { method: 'POST', body })).data;
