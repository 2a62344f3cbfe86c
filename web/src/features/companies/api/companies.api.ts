import type { Filter, Page } from '@kapocs/contracts';
import type { ApiClient, QueryValue } from '@/api/client';

export const COMPANY_KINDS = ['customer', 'prospect', 'reseller', 'supplier', 'competitor', 'partner'] as const;
export type CompanyKind = (typeof COMPANY_KINDS)[number];
export const COMPANY_STATUSES = ['active', 'inactive'] as const;
export type CompanyStatus = (typeof COMPANY_STATUSES)[number];
export const COMPANY_SIZES = ['micro', 'small', 'medium', 'large', 'enterprise'] as const;
export type CompanySize = (typeof COMPANY_SIZES)[number];
export const ADDRESS_KINDS = ['headquarters', 'billing', 'shipping', 'site', 'mailing'] as const;
export type AddressKind = (typeof ADDRESS_KINDS)[number];

export interface CompanyAddress {
  kind: AddressKind;
  country: string;
  postalCode: string;
  city: string;
  street: string;
}

export interface ExternalIdRef {
  system: string;
  externalId: string;
}

/** A company as the partners service answers it (API.md "Shapes"). */
export interface Company {
  id: string;
  name: string;
  legalForm?: string | null;
  kind: CompanyKind;
  status: CompanyStatus;
  taxNumber?: string | null;
  registrationNumber?: string | null;
  country?: string | null;
  industry?: string | null;
  size?: CompanySize | null;
  website?: string | null;
  emails: { address: string; label?: string | null }[];
  phones: { number: string; label?: string | null }[];
  addresses: CompanyAddress[];
  groupId?: string | null;
  ownerId: string;
  departmentId: string | null;
  custom: Record<string, unknown>;
  version: number;
  createdAt: string;
  updatedAt: string;
  /** Only on GET /companies/{id}. */
  externalIds?: ExternalIdRef[];
}

/** Body of `POST /companies` and `PATCH /companies/{id}` (the latter: any subset). */
export interface CompanyBody {
  name?: string;
  legalForm?: string | null;
  kind?: CompanyKind;
  status?: CompanyStatus;
  taxNumber?: string | null;
  registrationNumber?: string | null;
  country?: string;
  industry?: string | null;
  size?: CompanySize | null;
  website?: string | null;
  emails?: { address: string; label?: string }[];
  phones?: { number: string; label?: string }[];
  addresses?: CompanyAddress[];
  groupId?: string | null;
  ownerId?: string;
  custom?: Record<string, unknown>;
}

export interface CompanyListParams {
  q: string;
  filter: Filter | undefined;
  /** `name`, `-createdAt`, `custom.region`… */
  sort: string;
  mineOnly: boolean;
}

export const COMPANY_PAGE_SIZE = 50;

function listQuery(params: CompanyListParams): Record<string, QueryValue> {
  return {
    q: params.q.trim(),
    sort: params.sort,
    ownerId: params.mineOnly ? 'me' : undefined,
    filter: params.filter ? JSON.stringify(params.filter) : undefined,
  };
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
export interface CompanyPerson {
  id: string;
  familyName: string;
  givenName: string;
  displayName: string;
  title: string | null;
  position: string | null;
  emails: { address: string; label?: string | null }[];
  phones: { number: string; label?: string | null }[];
  ownerId: string;
  employmentId: string;
  role: string | null;
  from: string;
  to: string | null;
  primary: boolean;
}

export const companyPersons = (api: ApiClient, id: string, signal?: AbortSignal) =>
  api.get<{ current: CompanyPerson[]; former: CompanyPerson[] }>(`/partners/companies/${encodeURIComponent(id)}/persons`, undefined, signal);

export interface ReassignResult {
  updated: number;
  unchanged: string[];
  notFound: string[];
}

export async function reassignCompanies(api: ApiClient, ids: string[], ownerId: string) {
  return (await api.request<ReassignResult>('/partners/companies/reassign', { method: 'POST', body: { ids, ownerId } })).data;
}
