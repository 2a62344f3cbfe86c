import type { ApiClient } from '@/api/client';
import type { Company } from '@/features/companies/api/companies.api';
import type { Person } from '@/features/persons/api/persons.api';

export type DuplicateEntity = 'company' | 'person';
export type DuplicateReason = 'taxNumber' | 'registrationNumber' | 'name' | 'email';

/** One side of a likely duplicate pair. */
export interface DuplicateSide {
  id: string;
  name: string;
  ownerId: string;
  departmentId: string | null;
  taxNumber?: string | null;
  registrationNumber?: string | null;
  city?: string | null;
  familyName?: string;
  givenName?: string;
  emails?: string[];
}

export interface DuplicatePair {
  a: DuplicateSide;
  b: DuplicateSide;
  reasons: DuplicateReason[];
  /** 0–1, higher is likelier. */
  score: number;
}

export const listDuplicates = (api: ApiClient, entity: DuplicateEntity, cursor: string | null, signal?: AbortSignal) =>
  api.get<{ items: DuplicatePair[]; nextCursor: string | null }>('/partners/duplicates', { entity, cursor, limit: 50 }, signal);

/** A pair users said is not a duplicate pair: it stays out of the list until the dismissal is undone. */
export interface DuplicateDismissal {
  entity: DuplicateEntity;
  /** the smaller id of the two; `a` is that record */
  aId: string;
  bId: string;
  a: DuplicateSide;
  b: DuplicateSide;
  dismissedBy: string;
  dismissedAt: string;
}

/** 201 the first time, 200 with the same dismissal when the pair was already dismissed. */
export const dismissDuplicate = async (api: ApiClient, entity: DuplicateEntity, aId: string, bId: string) =>
  (await api.request<DuplicateDismissal>('/partners/duplicates/dismissals', { method: 'POST', body: { entity, aId, bId }, idempotent: true })).data;

export const listDismissals = (api: ApiClient, entity: DuplicateEntity, cursor: string | null, signal?: AbortSignal) =>
  api.get<{ items: DuplicateDismissal[]; nextCursor: string | null }>('/partners/duplicates/dismissals', { entity, cursor, limit: 50 }, signal);

export const undoDismissal = async (api: ApiClient, d: Pick<DuplicateDismissal, 'entity' | 'aId' | 'bId'>) => {
  await api.request<void>(`/partners/duplicates/dismissals/${d.entity}/${d.aId}/${d.bId}`, { method: 'DELETE' });
};

/** Fields a merge may take from the merged record (API: merge.schemas.ts); `custom.<key>` besides. */
export const COMPANY_MERGE_FIELDS = ['name', 'legalForm', 'kind', 'status', 'taxNumber', 'registrationNumber', 'country', 'industry', 'size', 'website', 'groupId', 'ownerId'] as const;
export const PERSON_MERGE_FIELDS = ['familyName', 'givenName', 'title', 'position', 'ownerId'] as const;

export interface MergeBody {
  survivorId: string;
  mergedId: string;
  versions: { survivor: number; merged: number };
  fields: Record<string, 'survivor' | 'merged'>;
}

/** An employment the merge combined with the overlapping ones at the same company (`combinedIds`, removed). */
export interface CombinedEmployment {
  id: string;
  personId: string;
  companyId: string;
  role: string | null;
  from: string;
  to: string | null;
  primary: boolean;
  combinedIds: string[];
}

export const mergeCompanies = async (api: ApiClient, body: MergeBody) =>
  (await api.request<Company & { combinedEmployments: CombinedEmployment[] }>('/partners/companies/merge', { method: 'POST', body })).data;

export const mergePersons = async (api: ApiClient, body: MergeBody) =>
  (await api.request<Person & { combinedEmployments: CombinedEmployment[] }>('/partners/persons/merge', { method: 'POST', body })).data;
