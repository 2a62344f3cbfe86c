import type { CreateEmploymentBody, EmploymentDto, ExternalIdRef, Page, PatchEmploymentBody, PatchPersonBody, PersonDto, ReassignBody, ReassignResult } from '@kapocs/contracts';
import type { ApiClient } from '@/api/client';
import type { OwnedListParams } from '@/shared/records/list-url-state';
import { ownedListQuery } from '@/shared/records/record-api';

/** An employment as the API answers it, inside its person and on its own. */
export type Employment = EmploymentDto;

/** A person as the partners service answers it (API.md "Shapes"); ids in other systems (P7) when the service answers them. */
export type Person = PersonDto & { externalIds?: ExternalIdRef[] };

/** Body of `POST /persons` (family and given name at least) and `PATCH /persons/{id}` (any subset). */
export type PersonBody = PatchPersonBody;

/** Body of `POST /persons/{id}/employments` (company and from at least) and `PATCH /employments/{id}` (no company). */
export type EmploymentBody = PatchEmploymentBody & Partial<Pick<CreateEmploymentBody, 'companyId'>>;

export type PersonListParams = OwnedListParams;

export const PERSON_PAGE_SIZE = 50;

export const listPersons = (api: ApiClient, params: PersonListParams, cursor: string | null, signal?: AbortSignal) =>
  api.get<Page<Person>>(
    '/partners/persons',
    { ...ownedListQuery(params), limit: PERSON_PAGE_SIZE, cursor, count: true },
    signal,
  );

/** The list as a file (CSV or XLSX), with the same search and sort. */
export const exportPersons = (api: ApiClient, params: PersonListParams, format: 'csv' | 'xlsx') =>
  api.download(`/partners/persons/export.${format}`, ownedListQuery(params), `persons.${format}`);

export const searchPersons = async (api: ApiClient, q: string, signal?: AbortSignal) =>
  (await api.get<Page<Person>>('/partners/persons', { q: q.trim(), limit: 20 }, signal)).items;

export const getPerson = (api: ApiClient, id: string, signal?: AbortSignal) =>
  api.get<Person>(`/partners/persons/${encodeURIComponent(id)}`, undefined, signal);

export const createPerson = async (api: ApiClient, body: PersonBody) =>
  (await api.request<Person>('/partners/persons', { method: 'POST', body, idempotent: true })).data;

export const updatePerson = async (api: ApiClient, id: string, version: number, body: PersonBody) =>
  (await api.request<Person>(`/partners/persons/${encodeURIComponent(id)}`, { method: 'PATCH', body, ifMatch: version })).data;

export const deletePerson = async (api: ApiClient, id: string, version: number) => {
  await api.request<void>(`/partners/persons/${encodeURIComponent(id)}`, { method: 'DELETE', ifMatch: version });
};

/** Employments are part of their person: If-Match is the person's version. */
export const addEmployment = async (api: ApiClient, personId: string, personVersion: number, body: EmploymentBody) =>
  (
    await api.request<Employment>(`/partners/persons/${encodeURIComponent(personId)}/employments`, {
      method: 'POST',
      body,
      ifMatch: personVersion,
      idempotent: true,
    })
  ).data;

export const updateEmployment = async (api: ApiClient, id: string, personVersion: number, body: EmploymentBody) =>
  (await api.request<Employment>(`/partners/employments/${encodeURIComponent(id)}`, { method: 'PATCH', body, ifMatch: personVersion })).data;

export const deleteEmployment = async (api: ApiClient, id: string, personVersion: number) => {
  await api.request<void>(`/partners/employments/${encodeURIComponent(id)}`, { method: 'DELETE', ifMatch: personVersion });
};

export async function reassignPersons(api: ApiClient, ids: string[], ownerId: string) {
  return (
    await api.request<ReassignResult>('/partners/persons/reassign', {
      method: 'POST',
      body: { ids, ownerId } satisfies ReassignBody,
    })
  ).data;
}
