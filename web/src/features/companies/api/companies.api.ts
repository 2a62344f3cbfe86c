import type { CompanyDto, CompanyPersonDto, CompanyPersonsDto, ExternalIdRef, Filter, Page, PatchCompanyBody, ReassignBody, ReassignResult } from '@kapocs/contracts';
import type { ApiClient, QueryValue } from '@/api/client';
import type { OwnedListParams } from '@/shared/records/list-url-state';
import { ownedListQuery } from '@/shared/records/record-api';

/** A company as the partners service answers it (API.md "Shapes"); `externalIds` only on GET /companies/{id}. */
export type Company = CompanyDto & { externalIds?: ExternalIdRef[] };

/** Body of `POST /companies` (name and kind at least) and `PATCH /companies/{id}` (any subset). */
export type CompanyBody = PatchCompanyBody;

export interface CompanyListParams extends OwnedListParams {
  filter: Filter | undefined;
}

export const COMPANY_PAGE_SIZE = 50;

function listQuery(params: CompanyListParams): Record<string, QueryValue> {
  return { ...ownedListQuery(params), filter: params.filter ? JSON.stringify(params.filter) : undefined };
}

export function listCompanies(api: ApiClient, params: CompanyListParams, cursor: string | null, signal?: AbortSignal) {
  return api.get<Page<Company>>(
    '/partners/companies',
    { ...listQuery(params), limit: COMPANY_PAGE_SIZE, cursor, count: true },
    signal,
  );
}

/** Companies whose name or number matches, for pickers. */
export async function searchCompanies(api: ApiClient, q: string, signal?: AbortSignal) {
  return (await api.get<Page<Company>>('/partners/companies', { q: q.trim(), limit: 20 }, signal)).items;
}

/** The list as a file, with the same search, filter and sort. */
export function exportCompanies(api: ApiClient, params: CompanyListParams, format: 'csv' | 'xlsx') {
  return api.download(`/partners/companies/export.${format}`, listQuery(params), `companies.${format}`);
}

export async function getCompany(api: ApiClient, id: string, signal?: AbortSignal) {
  return (await api.request<Company>(`/partners/companies/${encodeURIComponent(id)}`, { signal })).data;
}

export async function createCompany(api: ApiClient, body: CompanyBody) {
  return (await api.request<Company>('/partners/companies', { method: 'POST', body, idempotent: true })).data;
}

export async function updateCompany(api: ApiClient, id: string, version: number, body: CompanyBody) {
  return (await api.request<Company>(`/partners/companies/${encodeURIComponent(id)}`, { method: 'PATCH', body, ifMatch: version })).data;
}

export async function deleteCompany(api: ApiClient, id: string, version: number) {
  await api.request<void>(`/partners/companies/${encodeURIComponent(id)}`, { method: 'DELETE', ifMatch: version });
}

/** A person as a company's people tab shows them. */
export type CompanyPerson = CompanyPersonDto;

export const companyPersons = (api: ApiClient, id: string, signal?: AbortSignal) =>
  api.get<CompanyPersonsDto>(`/partners/companies/${encodeURIComponent(id)}/persons`, undefined, signal);

export async function reassignCompanies(api: ApiClient, ids: string[], ownerId: string) {
  return (await api.request<ReassignResult>('/partners/companies/reassign', { method: 'POST', body: { ids, ownerId } satisfies ReassignBody })).data;
}
