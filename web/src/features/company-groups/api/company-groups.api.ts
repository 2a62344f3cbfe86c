import type { CompanyGroupDetailDto, CompanyGroupDto, GroupMemberDto, Page, PatchCompanyGroupBody } from '@kapocs/contracts';
import type { ApiClient } from '@/api/client';
import type { OwnedListParams } from '@/shared/records/list-url-state';
import { ownedListQuery } from '@/shared/records/record-api';

/** A company group as lists answer it. */
export type CompanyGroup = CompanyGroupDto;

/** A member company as the group shows it. */
export type GroupMember = GroupMemberDto;

/** One company group with the member companies the caller may see. */
export type CompanyGroupDetail = CompanyGroupDetailDto;

/** Body of `POST /company-groups` (a name at least) and `PATCH /company-groups/{id}` (any subset). */
export type CompanyGroupBody = PatchCompanyGroupBody;

export type GroupListParams = OwnedListParams;

export const GROUP_PAGE_SIZE = 50;

export const listCompanyGroups = (api: ApiClient, params: GroupListParams, cursor: string | null, signal?: AbortSignal) =>
  api.get<Page<CompanyGroup>>(
    '/partners/company-groups',
    { ...ownedListQuery(params), limit: GROUP_PAGE_SIZE, cursor, count: true },
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
