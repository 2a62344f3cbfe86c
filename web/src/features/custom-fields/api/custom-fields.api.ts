import type { ApiClient } from '@/api/client';

export const CUSTOM_FIELD_TYPES = ['text', 'textarea', 'integer', 'date', 'boolean', 'list'] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];

/** Entities of the partners service that take custom fields. */
export const CUSTOM_FIELD_ENTITIES = ['company', 'person'] as const;
export type CustomFieldEntity = (typeof CUSTOM_FIELD_ENTITIES)[number];

/** A custom field definition (API.md "Shapes"). */
export interface CustomFieldDefinition {
  id: string;
  entity: string;
  /** e.g. a company kind; null: applies to every record of the entity. */
  subtype: string | null;
  key: string;
  label: { hu: string; en: string };
  type: CustomFieldType;
  options: string[] | null;
  helpText: { hu?: string; en?: string } | null;
  default: unknown;
  weight: number;
  /** The section of the form; built-in section keys (basics, contact, address) put it inside that one. */
  placement: string | null;
  required: boolean;
  version: number;
}

export interface CustomFieldBody {
  entity?: string;
  subtype?: string | null;
  key?: string;
  label: { hu: string; en: string };
  type?: CustomFieldType;
  options?: string[];
  helpText?: { hu?: string; en?: string } | null;
  default?: unknown;
  weight: number;
  placement?: string | null;
  required: boolean;
}

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
