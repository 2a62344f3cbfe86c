import { z } from 'zod';

/**
 * Custom field definitions (API.md "Shapes"), as every service's `/custom-fields` takes and answers them. What the
 * values must be (`custom` of a record) the services check against the definitions.
 */

export const CUSTOM_FIELD_TYPES = ['text', 'textarea', 'integer', 'date', 'boolean', 'list'] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];

const label = z.strictObject({ hu: z.string().trim().min(1).max(100), en: z.string().trim().min(1).max(100) });
const helpText = z.strictObject({ hu: z.string().trim().max(500).optional(), en: z.string().trim().max(500).optional() });
const options = z.array(z.string().trim().min(1).max(100)).min(1).max(200)
  .refine((o) => new Set(o).size === o.length, 'options must be distinct');

/** A custom field's key: a lowercase letter, then letters, digits and _ (at most 60 in all). */
export const CUSTOM_FIELD_KEY_PATTERN = /^[a-z][a-zA-Z0-9_]{0,59}$/;

export const customFieldKeySchema = z.string().regex(CUSTOM_FIELD_KEY_PATTERN, 'must start with a lowercase letter and hold only letters, digits and _ (at most 60)');

/** Body of `POST /custom-fields`. */
export const createCustomFieldSchema = z.strictObject({
  entity: z.string(),
  subtype: z.string().trim().min(1).max(60).nullable().optional(),
  key: customFieldKeySchema,
  label,
  type: z.enum(CUSTOM_FIELD_TYPES),
  options: options.optional(),
  helpText: helpText.nullable().optional(),
  default: z.unknown().optional(),
  weight: z.number().int().min(-10000).max(10000).default(0),
  placement: z.string().trim().min(1).max(60).nullable().optional(),
  required: z.boolean().default(false),
});
export type CreateCustomFieldBody = z.input<typeof createCustomFieldSchema>;
export type CreateCustomFieldInput = z.output<typeof createCustomFieldSchema>;

/** Body of `PATCH /custom-fields/{id}`. Entity, key and type are fixed once values may exist; the rest can change. */
export const patchCustomFieldSchema = z.strictObject({
  subtype: z.string().trim().min(1).max(60).nullable(),
  label,
  options,
  helpText: helpText.nullable(),
  default: z.unknown(),
  weight: z.number().int().min(-10000).max(10000),
  placement: z.string().trim().min(1).max(60).nullable(),
  required: z.boolean(),
}).partial();
export type PatchCustomFieldBody = z.input<typeof patchCustomFieldSchema>;
export type PatchCustomFieldInput = z.output<typeof patchCustomFieldSchema>;

/** A custom field definition as the API answers it. */
export const customFieldSchema = z.object({
  id: z.uuid(),
  entity: z.string(),
  /** e.g. a company kind; null: applies to every record of the entity. */
  subtype: z.string().nullable(),
  key: z.string(),
  label: z.object({ hu: z.string(), en: z.string() }),
  type: z.enum(CUSTOM_FIELD_TYPES),
  options: z.array(z.string()).nullable(),
  helpText: z.object({ hu: z.string().optional(), en: z.string().optional() }).nullable(),
  default: z.unknown(),
  weight: z.number(),
  /** The section of the form; built-in section keys (basics, contact, address) put it inside that one. */
  placement: z.string().nullable(),
  required: z.boolean(),
  version: z.number(),
});
export type CustomFieldDto = z.output<typeof customFieldSchema>;
