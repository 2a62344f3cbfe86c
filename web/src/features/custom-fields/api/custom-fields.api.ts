import type { CustomFieldDto, PatchCustomFieldBody } from '@kapocs/contracts';
import type { ApiClient } from '@/api/client';

/** Entities of the partners service that take custom fields. */
export const CUSTOM_FIELD_ENTITIES = ['company', 'person'] as const;
export type CustomFieldEntity = (typeof CUSTOM_FIELD_ENTITIES)[number];

/** A custom field definition (API.md "Shapes"). */
export type CustomFieldDefinition = CustomFieldDto;

/** Body of `POST /custom-fields` (with entity, key and type) and `PATCH /custom-fields/{id}` (without them). */
export type CustomFieldBody = PatchCustomFieldBody & { entity?: string; key?: string; type?: CustomFieldDto['type'] };

export const listCustomFields = async (api: ApiClient, entity: string, signal?: AbortSignal) =>
  (await api.get<{ items: CustomFieldDefinition[] }>('/partners/custom-fields', { entity }, signal)).items;

export const createCustomField = async (api: ApiClient, body: CustomFieldBody) =>
  (await api.request<CustomFieldDefinition>('/partners/custom-fields', { method: 'POST', body, idempotent: true })).data;

export const updateCustomField = async (api: ApiClient, id: string, version: number, body: CustomFieldBody) =>
  (
    await api.request<CustomFieldDefinition>(`/partners/custom-fields/${encodeURIComponent(id)}`, {
      method: 'PATCH',
      body,
      ifMatch: version,
    })
  ).data;

export const deleteCustomField = async (api: ApiClient, id: string, version: number) => {
  await api.request<void>(`/partners/custom-fields/${encodeURIComponent(id)}`, { method: 'DELETE', ifMatch: version });
};
