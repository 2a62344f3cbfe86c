// The definitions' DTOs are contracts, shared with the portal; the service side adds the value rules (custom-values.ts).
export {
  createCustomFieldSchema, customFieldKeySchema, customFieldSchema, patchCustomFieldSchema,
  type CreateCustomFieldInput, type CustomFieldDto, type PatchCustomFieldInput,
} from '@kapocs/contracts';
