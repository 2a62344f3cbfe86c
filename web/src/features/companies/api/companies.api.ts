import type { Filter, FilterCondition, Page } from '@kapocs/contracts';
import type { ApiClient } from '@/api/client';

export const COMPANY_KINDS = ['customer', 'prospect', 'reseller', 'supplier', 'competitor', 'partner'] as const;
export type CompanyKind = (typeof COMPANY_KINDS)[number];
export const COMPANY_STATUSES = ['active', 'inactive'] as const;
export type CompanyStatus = (typeof COMPANY_STATUSES)[number];
export const COMPANY_SIZES = ['micro', 'small', 'medium', 'large', 'enterprise'] as const;
export type CompanySize = (typeof COMPANY_SIZES)[number];

export interface CompanyAddress {
  kind: string;
  country: string;
  postalCode: string;
  city: string;
  street: string;
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
}

/** Body of `POST /companies`. */
export interface CreateCompanyBody {
  name: string;
  kind: CompanyKind;
  status?: CompanyStatus;
  taxNumber?: string;
  registrationNumber?: string;
  country?: string;
  industry?: string;
  size?: CompanySize;
  website?: string;
  emails?: { address: string; label?: string }[];
  phones?: { number: string; label?: string }[];
  addresses?: CompanyAddress[];
}

export type CompanySort = 'name' | '-name';

export interface CompanyListParams {
  q: string;
  kind: CompanyKind | null;
  /** The caller's id when "mine only" is on. */
  ownerId: string | null;
  sort: CompanySort;
}

export const COMPANY_PAGE_SIZE = 50;

/** The filter-language value for the list's switches, or undefined when nothing is filtered. */
export function companyListFilter({ kind, ownerId }: Pick<CompanyListParams, 'kind' | 'ownerId'>): Filter | undefined {
  const conditions: FilterCondition[] = [];
  if (kind) conditions.push({ field: 'kind', op: 'eq', value: kind });
  if (ownerId) conditions.push({ field: 'ownerId', op: 'eq', value: ownerId });
  if (conditions.length === 0) return undefined;
  return conditions.length === 1 ? conditions[0] : { and: conditions };
}

export function listCompanies(api: ApiClient, params: CompanyListParams, cursor: string | null, signal?: AbortSignal) {
  const filter = companyListFilter(params);
  return api.get<Page<Company>>(
    '/partners/companies',
    {
      q: params.q.trim(),
      limit: COMPANY_PAGE_SIZE,
      cursor,
      sort: params.sort,
      count: true,
      filter: filter ? JSON.stringify(filter) : undefined,
    },
    signal,
  );
}

export async function getCompany(api: ApiClient, id: string, signal?: AbortSignal) {
  const res = await api.request<Company>(`/partners/companies/${encodeURIComponent(id)}`, { signal });
  return { company: res.data, etag: res.etag };
}

export async function createCompany(api: ApiClient, body: CreateCompanyBody) {
  const res = await api.request<Company>('/partners/companies', {
    method: 'POST',
    body,
    headers: { 'Idempotency-Key': crypto.randomUUID() },
  });
  return res.data;
}
