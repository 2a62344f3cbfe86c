import type { Page } from '@kapocs/contracts';
import type { ApiClient } from '@/api/client';
import type { CompanyKind, CompanyStatus } from '@/features/companies/api/companies.api';

/** A company group as lists answer it. */
export interface CompanyGroup {
  id: string;
  name: string;
  description: string | null;
  ownerId: string;
  departmentId: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** A member company as the group shows it. */
export interface GroupMember {
  id: string;
  name: string;
  kind: CompanyKind;
  status: CompanyStatus;
  country: string;
  city: string | null;
  ownerId: string;
  departmentId: string | null;
}

export interface CompanyGroupDetail extends CompanyGroup {
  members: GroupMember[];
}

export interface CompanyGroupBody {
  name?: string;
  description?: string | null;
  ownerId?: string;
}

export interface GroupListParams {
  q: string;
  mineOnly: boolean;
  sort: string;
}

export const GROUP_PAGE_SIZE = 50;

export const listCompanyGroups = (api: ApiClient, params: GroupListParams, cursor: string | null, signal?: AbortSignal) =>
  api.get<Page<CompanyGroup>>(
    '/partners/company-groups',
    { q: params.q.trim(), sort: params.sort, ownerId: params.mineOnly ? 'me' : undefined, limit: GROUP_PAGE_SIZE, cursor, count: true },
    signal,
  );

export const searchCompanyGroups = async (api: ApiClient, q: string, signal?: AbortSignal) =>
  (await api.get<Page<CompanyGroup>>('/partners/company-groups', { q: q.trim(), limit: 20 }, signal)).items;

export const getCompanyGroup = (api: ApiClient, id: string, signal?: AbortSignal) =>
  api.get<CompanyGroupDetail>(`/partners/company-groups/${encodeURIComponent(id)}`, undefined, signal);

export const createCompanyGroup = async (api: ApiClient, body: CompanyGroupBody) =>
  (await api.request<CompanyGroupDetail>('/partners/company-groups', { method: 'POST', body, idempotent: true })).data;

export const updateCompanyGroup = async (api: ApiClient, id: string, version: number, body: CompanyGroupBody) =>
  (await api.request<CompanyGroupDetail>(`/partners/company-groups/${encodeURIComponent(id)}`, { method: 'PATCH', body, ifMatch: version })).data;

export const deleteCompanyGroup = async (api: ApiClient, id: string, version: number) => {
  await api.request<void>(`/partners/company-groups/${encodeURIComponent(id)}`, { method: 'DELETE', ifMatch: version });
};
